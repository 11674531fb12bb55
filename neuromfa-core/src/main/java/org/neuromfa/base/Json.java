package org.neuromfa.base;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The library's two JSON mappers: {@link #MAPPER} for the files it reads (configs, safetensors
 * headers, shard indexes, Hub answers, benchmark results) and {@link #RESULTS}, which writes results
 * (indented; never closing the stream it writes to). One instance each, shared (a mapper is
 * thread-safe once configured), because building a mapper is what a short run pays for: Jackson's
 * first mapper costs on the order of a hundred milliseconds of class initialisation.
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    /** The writer of result files; their layout (two-space indentation) is part of the results' contract. */
    public static final ObjectMapper RESULTS = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private Json() {
    }

    /**
     * Initialises Jackson (reading and the results' writer) on a daemon thread, so that a command
     * line's first JSON read, a moment later, finds it ready: the class initialisation overlaps the
     * parsing of the command line instead of following it. Harmless when nothing reads JSON.
     */
    public static void initialiseInBackground() {
        Thread t = new Thread(() -> {
            try {
                MAPPER.readTree("{\"a\": [1, 2.5, \"b\", null, true]}");
                RESULTS.writeValueAsString(RESULTS.createObjectNode().put("a", 2.5));
            } catch (Exception | LinkageError e) {
                // Only a head start: the real use reports any problem.
            }
        }, "neuromfa-json-init");
        t.setDaemon(true);
        t.start();
    }
}

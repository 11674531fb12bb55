package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze org/name[@rev]} end to end: the environment reaches the Hub source, the JSON names
 * the Hub model and its commit, and offline runs work from the cache or fail with exit code 2 and
 * one line. A minimal Hub-shaped server (API + resolve with Range) serves a golden fixture; the
 * redirect, token and fault behaviour is tested in neuromfa-core (HubSourceTest).
 */
class HubAnalyzeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    @TempDir
    Path tmp;

    HttpServer server;
    Path fixture = Cli.golden("neox-d96-l3-rowscaled-bf16");

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/api/models/golden/bf16/revision/main")) {
                byte[] b = ("{\"sha\":\"" + COMMIT + "\",\"siblings\":[{\"rfilename\":\"config.json\"},"
                        + "{\"rfilename\":\"model.safetensors\"}]}").getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
                return;
            }
            Matcher m = Pattern.compile("/golden/bf16/resolve/" + COMMIT + "/(config\\.json|model\\.safetensors)")
                    .matcher(path);
            if (!m.matches()) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            byte[] all = Files.readAllBytes(fixture.resolve(m.group(1)));
            ex.getResponseHeaders().set("ETag", "\"etag-" + m.group(1) + "\"");
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Content-Length", Integer.toString(all.length));
                ex.sendResponseHeaders(200, -1);
                return;
            }
            Matcher r = Pattern.compile("bytes=(\\d+)-(\\d+)").matcher(ex.getRequestHeaders().getFirst("Range"));
            if (!r.matches()) {
                ex.sendResponseHeaders(400, -1);
                return;
            }
            int from = Integer.parseInt(r.group(1));
            int to = Math.min(all.length - 1, Integer.parseInt(r.group(2)));
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + all.length);
            ex.sendResponseHeaders(206, to - from + 1);
            ex.getResponseBody().write(all, from, to - from + 1);
        } finally {
            ex.close();
        }
    }

    private Map<String, String> env(boolean offline) {
        Map<String, String> env = new HashMap<>();
        env.put("HF_ENDPOINT", "http://127.0.0.1:" + server.getAddress().getPort());
        env.put("HF_HOME", tmp.resolve("hf").toString());
        // No coalescing across gaps, so that the bytes read are the rows read (coalescing is
        // tested in neuromfa-core, RemoteReadPlanTest).
        env.put("NEUROMFA_HUB_LINK", "0:1000");
        if (offline) {
            env.put("HF_HUB_OFFLINE", "1");
        }
        return env;
    }

    private static Cli run(Map<String, String> env, String... args) {
        return Cli.runWithEnv(env, args);
    }

    @Test
    void analyzesAHubModelLikeTheLocalCopyAndThenOffline() throws IOException {
        Path local = tmp.resolve("local.json");
        Path remote = tmp.resolve("remote.json");
        Path offline = tmp.resolve("offline.json");
        String[] common = {"--samples", "2", "--nodes-per-layer", "12", "--threads", "1"};
        Cli a = run(env(false), concat(new String[] {"analyze", fixture.toString(), "--json", local.toString()}, common));
        Cli b = run(env(false), concat(new String[] {"analyze", "golden/bf16", "--revision", "main", "--json", remote.toString()}, common));
        assertThat(a.exitCode).as(a.toString()).isZero();
        assertThat(b.exitCode).as(b.toString()).isZero();
        assertThat(b.out).contains("golden/bf16@main").contains("alpha0").doesNotContain("identical");

        JsonNode l = JSON.readTree(local.toFile());
        JsonNode r = JSON.readTree(remote.toFile());
        assertThat(r.get("model").asText()).isEqualTo("golden/bf16@main");
        assertThat(r.get("commit").asText()).isEqualTo(COMMIT);
        assertThat(r.get("bytes_total").asLong()).isEqualTo(Files.size(fixture.resolve("model.safetensors")));
        assertThat(r.get("bytes_read").asLong()).isPositive().isLessThan(r.get("bytes_total").asLong() / 2);
        assertThat(r.get("files").get(1).get("etag").asText()).isEqualTo("etag-model.safetensors");
        assertThat(strip(r)).isEqualTo(strip(l));
        // The cache lives in a neuromfa sub-folder of the Hub cache, beside (not inside) the official layout.
        assertThat(tmp.resolve("hf/hub/neuromfa/models--golden--bf16")).isDirectory();

        Cli c = run(env(true), concat(new String[] {"analyze", "golden/bf16@main", "--json", offline.toString()}, common));
        assertThat(c.exitCode).as(c.toString()).isZero();
        JsonNode o = JSON.readTree(offline.toFile());
        assertThat(o.get("bytes_read").asLong()).isZero();
        assertThat(strip(o)).isEqualTo(strip(l));

        Cli d = run(env(true), "analyze", "golden/bf16@main", "--samples", "3", "--nodes-per-layer", "12");
        assertThat(d.exitCode).as(d.toString()).isEqualTo(2);
        assertThat(d.err.trim()).doesNotContain("\n").startsWith("neuromfa: ")
                .contains("/golden/bf16/resolve/main/model.safetensors").contains("HF_HUB_OFFLINE");
    }

    @Test
    void offlineWithoutCacheIsExitCode2WithOneLine() {
        Cli r = run(env(true), "analyze", "EleutherAI/pythia-70m@step1000");
        assertThat(r.exitCode).as(r.toString()).isEqualTo(2);
        assertThat(r.err.trim()).doesNotContain("\n")
                .startsWith("neuromfa: EleutherAI/pythia-70m@step1000: not in the cache").contains("HF_HUB_OFFLINE");
    }

    private static ObjectNode strip(JsonNode n) {
        ObjectNode o = n.deepCopy();
        o.remove(List.of("model", "commit", "bytes_read", "bytes_total", "files"));
        return o;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

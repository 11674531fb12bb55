package org.neuromfa.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Access to the golden fixtures in {@code ../shared/golden}: checkpoints with the numbers the
 * authors' published code computes for them. The shared folder sits beside the project checkout.
 */
public final class Golden {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Golden() {
    }

    /**
     * The shared fixtures folder, by one rule for every module: the system property
     * {@code neuromfa.shared}, which the build sets to {@code <project root>/../shared}; outside
     * Maven (an IDE), the same folder beside the project root, the nearest folder above the
     * working directory that holds {@code neuromfa-core} (never some other {@code shared/golden}
     * further up). A missing folder is an error naming the path looked at and how to set another.
     */
    public static Path shared() {
        String configured = System.getProperty("neuromfa.shared");
        Path shared;
        if (configured != null) {
            shared = Paths.get(configured).toAbsolutePath().normalize();
        } else {
            Path root = Paths.get("").toAbsolutePath();
            while (root != null && !Files.isDirectory(root.resolve("neuromfa-core"))) {
                root = root.getParent();
            }
            if (root == null) {
                throw new IllegalStateException("cannot find the project root (a folder holding neuromfa-core) above "
                        + Paths.get("").toAbsolutePath() + "; set -Dneuromfa.shared=DIR to the shared fixtures");
            }
            shared = root.resolveSibling("shared").normalize();
        }
        if (!Files.isDirectory(shared.resolve("golden"))) {
            throw new IllegalStateException("no golden fixtures at " + shared.resolve("golden")
                    + " (the shared folder beside the project checkout); set -Dneuromfa.shared=DIR to another");
        }
        return shared;
    }

    public static Path dir(String name) {
        return shared().resolve("golden").resolve(name);
    }

    /** Fixture folders (relative names) that hold a {@code model.safetensors}. */
    public static List<String> safetensorsFixtures() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(shared().resolve("golden"))) {
            s.filter(p -> Files.isRegularFile(p.resolve("model.safetensors")))
                    .forEach(p -> out.add(p.getFileName().toString()));
        }
        out.sort(null);
        return out;
    }

    public static JsonNode expected(Path fixtureDir) throws IOException {
        return JSON.readTree(fixtureDir.resolve("expected.json").toFile());
    }

    /** |actual - expected| within 1e-9 relative (with a 1e-15 floor for values that are exactly 0). */
    public static boolean close(double actual, double expected) {
        return Math.abs(actual - expected) <= 1e-9 * Math.abs(expected) + 1e-15;
    }
}

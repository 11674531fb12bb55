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

    public static Path shared() {
        String configured = System.getProperty("neuromfa.shared");
        if (configured != null && Files.isDirectory(Paths.get(configured, "golden"))) {
            return Paths.get(configured).toAbsolutePath().normalize();
        }
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("golden"))) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find ../shared/golden beside the project");
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

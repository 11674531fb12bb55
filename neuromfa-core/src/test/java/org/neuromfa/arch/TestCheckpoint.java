package org.neuromfa.arch;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.neuromfa.network.Network;

/**
 * Writes small checkpoints for tests: {@code config.json} and a float32 {@code model.safetensors}
 * (format: u64 little-endian header length, JSON header with dtype, shape and data_offsets, data),
 * with seeded random weights that are never zero.
 */
final class TestCheckpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, long[]> shapes = new LinkedHashMap<>();
    final Map<String, float[]> values = new LinkedHashMap<>();
    private final Random random;

    TestCheckpoint(long seed) {
        this.random = new Random(seed);
    }

    /** Adds a tensor of random values in (-1, -0.01] u [0.01, 1). */
    TestCheckpoint tensor(String name, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            float x = 0.01f + 0.99f * random.nextFloat();
            v[i] = random.nextBoolean() ? x : -x;
        }
        shapes.put(name, shape);
        values.put(name, v);
        return this;
    }

    /** Adds a tensor with the given values. */
    TestCheckpoint tensor(String name, long[] shape, float... v) {
        shapes.put(name, shape);
        values.put(name, v);
        return this;
    }

    /** Element {@code [row, column]} of a matrix. */
    float at(String name, int row, int column) {
        return values.get(name)[row * (int) shapes.get(name)[1] + column];
    }

    Path write(Path dir, Map<String, Object> config) throws IOException {
        Files.createDirectories(dir);
        if (config != null) {
            Files.write(dir.resolve("config.json"), JSON.writeValueAsBytes(config));
        }
        Map<String, Object> header = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long bytes = 4L * values.get(e.getKey()).length;
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", "F32");
            entry.put("shape", e.getValue());
            entry.put("data_offsets", new long[] {offset, offset + bytes});
            header.put(e.getKey(), entry);
            offset += bytes;
        }
        byte[] h = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.writeBytes(h);
        for (float[] v : values.values()) {
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float x : v) {
                b.putFloat(x);
            }
            out.writeBytes(b.array());
        }
        Files.write(dir.resolve("model.safetensors"), out.toByteArray());
        return dir;
    }

    /** The weight of the edge between two model-wide node ids, or NaN when there is none. */
    static float edge(Network network, int source, int target) {
        int s = Arrays.binarySearch(network.nodeIds(), source);
        if (s < 0) {
            return Float.NaN;
        }
        for (int e = network.offsets()[s]; e < network.offsets()[s + 1]; e++) {
            if (network.nodeIds()[network.targets()[e]] == target) {
                return network.weights()[e];
            }
        }
        return Float.NaN;
    }

    static Map<String, Object> config(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}

package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.tensor.DType;
import org.neuromfa.tensor.safetensors.SafetensorsWriter;

/**
 * Bad input gives one line on stderr naming the file and the problem, exit code 2, and no stack
 * trace (unless --verbose).
 */
class MalformedInputTest {
    private static final String NEOX_CONFIG = "{\"model_type\":\"gpt_neox\",\"architectures\":[\"GPTNeoXForCausalLM\"],"
            + "\"hidden_size\":8,\"num_hidden_layers\":1,\"intermediate_size\":32}";

    @TempDir
    Path tmp;

    private Path checkpoint(String config, byte[] weights) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("ckpt"));
        Files.writeString(dir.resolve("config.json"), config);
        Files.write(dir.resolve("model.safetensors"), weights);
        return dir;
    }

    private static byte[] withHeader(String header, int dataBytes, long claimedLength) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(claimedLength < 0 ? h.length : claimedLength).put(h).array();
    }

    /** A valid tiny GPT-NeoX checkpoint (d=8, m=32, one block), optionally without one tensor. */
    private static byte[] neox(String omit) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        String p = "gpt_neox.layers.0.";
        long[][] shapes = {{24, 8}, {8, 8}, {32, 8}, {8, 32}};
        String[] names = {"attention.query_key_value", "attention.dense", "mlp.dense_h_to_4h", "mlp.dense_4h_to_h"};
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(omit)) {
                continue;
            }
            float[] v = new float[(int) (shapes[i][0] * shapes[i][1])];
            for (int j = 0; j < v.length; j++) {
                v[j] = 0.01f * ((j * 37 + i * 11) % 17 + 1);
            }
            w.add(p + names[i] + ".weight", DType.F32, shapes[i], v);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        w.write(out);
        return out.toByteArray();
    }

    private static void assertOneLineError(Cli r, Path file, String problem) {
        assertThat(r.exitCode).as(r.toString()).isEqualTo(2);
        assertThat(r.err.lines().count()).as(r.toString()).isEqualTo(1);
        assertThat(r.err).startsWith("neuromfa: ").contains(file.toString()).contains(problem).doesNotContain("\tat ");
        assertThat(r.out).isEmpty();
    }

    private Cli analyze(Path dir) {
        return Cli.run("analyze", dir.toString(), "--samples", "1", "--nodes-per-layer", "2");
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] whole = neox(null);
        Path dir = checkpoint(NEOX_CONFIG, java.util.Arrays.copyOf(whole, whole.length - 100));
        assertOneLineError(analyze(dir), dir.resolve("model.safetensors"), "outside the data section");
    }

    @Test
    void fileShorterThanHeaderLength() throws IOException {
        Path dir = checkpoint(NEOX_CONFIG, new byte[] {42, 0, 0});
        assertOneLineError(analyze(dir), dir.resolve("model.safetensors"), "truncated");
    }

    @Test
    void headerLengthLargerThanFile() throws IOException {
        Path dir = checkpoint(NEOX_CONFIG, withHeader("{}", 0, 1L << 33));
        assertOneLineError(analyze(dir), dir.resolve("model.safetensors"), "header length 8589934592 does not fit");
    }

    @Test
    void headerNotJson() throws IOException {
        Path dir = checkpoint(NEOX_CONFIG, withHeader("this is not json", 0, -1));
        assertOneLineError(analyze(dir), dir.resolve("model.safetensors"), "header is not valid JSON");
    }

    @Test
    void tensorOffsetsOutsideData() throws IOException {
        String h = "{\"gpt_neox.layers.0.attention.dense.weight\":{\"dtype\":\"F32\",\"shape\":[8,8],\"data_offsets\":[0,256]}}";
        Path dir = checkpoint(NEOX_CONFIG, withHeader(h, 100, -1));
        assertOneLineError(analyze(dir), dir.resolve("model.safetensors"), "lie outside the data section");
    }

    @Test
    void unknownDtype() throws IOException {
        String h = "{\"gpt_neox.layers.0.attention.dense.weight\":{\"dtype\":\"F12\",\"shape\":[8,8],\"data_offsets\":[0,96]}}";
        Path dir = checkpoint(NEOX_CONFIG, withHeader(h, 96, -1));
        assertOneLineError(analyze(dir), dir.resolve("model.safetensors"), "unknown dtype 'F12'");
    }

    @Test
    void missingTensor() throws IOException {
        Path dir = checkpoint(NEOX_CONFIG, neox("mlp.dense_h_to_4h"));
        assertOneLineError(analyze(dir), dir.resolve("model.safetensors"),
                "missing tensor 'gpt_neox.layers.0.mlp.dense_h_to_4h.weight'");
    }

    @Test
    void unsupportedArchitecture() throws IOException {
        Path dir = checkpoint("{\"model_type\":\"mamba\",\"hidden_size\":8}", neox(null));
        assertOneLineError(analyze(dir), dir.resolve("config.json"), "unsupported architecture: model_type 'mamba'");
    }

    @Test
    void configThatIsNotJson() throws IOException {
        Path dir = checkpoint("{\"model_type\": ", neox(null));
        assertOneLineError(analyze(dir), dir.resolve("config.json"), "not valid JSON");
    }

    @Test
    void shapesThatDoNotFitTheConfig() throws IOException {
        Path dir = checkpoint(NEOX_CONFIG.replace("\"hidden_size\":8", "\"hidden_size\":16"), neox(null));
        assertOneLineError(analyze(dir), dir.resolve("model.safetensors"), "but the configuration implies [48, 16]");
    }

    @Test
    void nonFiniteWeightNamesTheTensor() throws IOException {
        byte[] b = neox(null);
        int headerLength = (int) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
        // The first tensor is the QKV weight (F32): make every element NaN so any sample meets one.
        ByteBuffer data = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 24 * 8; i++) {
            data.putFloat(8 + headerLength + 4 * i, Float.NaN);
        }
        Path dir = checkpoint(NEOX_CONFIG, b);
        assertOneLineError(analyze(dir), dir.resolve("model.safetensors"),
                "tensor 'gpt_neox.layers.0.attention.query_key_value.weight' has a non-finite weight (NaN)");
    }

    @Test
    void networkWhereNoNodePassesTheFilterIsAClearError() {
        Path dir = Cli.golden("neox-d128-l4-normal-f32");
        // Weights ~ N(0, 0.02): no distance 1/|w| is at most 2, so no node is selected.
        Cli r = Cli.run("analyze", dir.toString(), "--samples", "1", "--threshold", "2");
        assertThat(r.exitCode).as(r.toString()).isEqualTo(2);
        assertThat(r.err).contains("seed 0: no node has more than 10 distances in (1, 2]").doesNotContain("NaN");
    }

    @Test
    void missingModel() {
        Path dir = tmp.resolve("nowhere");
        assertOneLineError(analyze(dir), dir, "no such file or directory");
    }

    @Test
    void validTinyCheckpointAnalyses() throws IOException {
        Path dir = checkpoint(NEOX_CONFIG, neox(null));
        Cli r = Cli.run("analyze", dir.toString(), "--samples", "2", "--nodes-per-layer", "4", "--threshold", "1000");
        assertThat(r.exitCode).as(r.toString()).isZero();
    }

    @Test
    void verbosePrintsTheStackTrace() throws IOException {
        Path dir = checkpoint(NEOX_CONFIG, withHeader("nope", 0, -1));
        Cli r = Cli.run("analyze", dir.toString(), "--verbose");
        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.err).contains("\tat ");
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        Path dir = Cli.golden("neox-d128-l4-normal-f32");
        Cli r = Cli.run("analyze", dir.toString(), "--filter-mode", "7");
        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.err).contains("filter mode must be 0, 1, 2 or 3");
        r = Cli.run("analyze", dir.toString(), "--nodes-per-layer", "500");
        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.err).contains("nodes per layer");
    }
}

package org.neuromfa.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointAnalysis;
import org.neuromfa.analysis.CheckpointResult;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.tensor.DType;
import org.neuromfa.tensor.safetensors.SafetensorsWriter;

/**
 * Hostile JSON beside valid weights: every value of {@code config.json} of each architecture family
 * replaced by numbers that overflow an int or a long, negative or fractional ones, strings, nulls,
 * arrays and objects; and JSON nested a hundred thousand levels deep in a config, a safetensors
 * header and an index. Every case analyses or fails with a one-line NeuroMfaException; never another
 * exception, a hang, or a loop over the billions of layers a config claims.
 */
class ConfigFuzzTest {
    private static final String[] CONFIGS = {
        "{\"model_type\":\"gpt_neox\",\"hidden_size\":8,\"num_hidden_layers\":2,\"intermediate_size\":32,"
                + "\"num_attention_heads\":2}",
        "{\"model_type\":\"llama\",\"hidden_size\":8,\"num_hidden_layers\":2,\"intermediate_size\":16,"
                + "\"num_attention_heads\":2,\"num_key_value_heads\":1,\"head_dim\":4}",
        "{\"model_type\":\"gpt2\",\"n_embd\":8,\"n_layer\":2,\"n_head\":2,\"n_inner\":null}",
    };
    private static final String[] HOSTILE = {"-1", "0", "1", "3", "2147483647", "2147483648", "4294967304",
        "9223372036854775807", "-9223372036854775808", "99999999999999999999999", "1e308", "-1e308", "2.5", "NaN",
        "\"8\"", "null", "[]", "{}", "true", "\"gpt_neox\"", "\"llama\"", "\"bert\""};

    @TempDir
    static Path tmp;

    private static byte[] weights(int family) {
        SafetensorsWriter w = new SafetensorsWriter();
        SplittableRandom r = new SplittableRandom(family);
        List<Object[]> tensors = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            if (family == 0) {
                String p = "gpt_neox.layers." + b + ".";
                tensors.add(new Object[] {p + "attention.query_key_value.weight", new long[] {24, 8}});
                tensors.add(new Object[] {p + "attention.dense.weight", new long[] {8, 8}});
                tensors.add(new Object[] {p + "mlp.dense_h_to_4h.weight", new long[] {32, 8}});
                tensors.add(new Object[] {p + "mlp.dense_4h_to_h.weight", new long[] {8, 32}});
            } else if (family == 1) {
                String p = "model.layers." + b + ".";
                tensors.add(new Object[] {p + "self_attn.q_proj.weight", new long[] {8, 8}});
                tensors.add(new Object[] {p + "self_attn.k_proj.weight", new long[] {4, 8}});
                tensors.add(new Object[] {p + "self_attn.v_proj.weight", new long[] {4, 8}});
                tensors.add(new Object[] {p + "self_attn.o_proj.weight", new long[] {8, 8}});
                tensors.add(new Object[] {p + "mlp.gate_proj.weight", new long[] {16, 8}});
                tensors.add(new Object[] {p + "mlp.up_proj.weight", new long[] {16, 8}});
                tensors.add(new Object[] {p + "mlp.down_proj.weight", new long[] {8, 16}});
            } else {
                String p = "h." + b + ".";
                tensors.add(new Object[] {p + "attn.c_attn.weight", new long[] {8, 24}});
                tensors.add(new Object[] {p + "attn.c_proj.weight", new long[] {8, 8}});
                tensors.add(new Object[] {p + "mlp.c_fc.weight", new long[] {8, 32}});
                tensors.add(new Object[] {p + "mlp.c_proj.weight", new long[] {32, 8}});
            }
        }
        for (Object[] t : tensors) {
            long[] shape = (long[]) t[1];
            float[] v = new float[(int) (shape[0] * shape[1])];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextBoolean() ? r.nextDouble(0.01, 0.3) : -r.nextDouble(0.01, 0.3));
            }
            w.add((String) t[0], DType.F32, shape, v);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            w.write(out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    /** (family, key index, hostile value index) for every key of every config. */
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int f = 0; f < CONFIGS.length; f++) {
            int keys = CONFIGS[f].split(",").length;
            for (int k = 0; k < keys; k++) {
                for (int v = 0; v < HOSTILE.length; v++) {
                    out.add(Arguments.of(f, k, v));
                }
            }
        }
        return out.stream();
    }

    /** The config with the value of its {@code key}-th member replaced. */
    private static String replace(String config, int key, String value) {
        String[] members = config.substring(1, config.length() - 1).split(",");
        int colon = members[key].indexOf(':');
        members[key] = members[key].substring(0, colon + 1) + value;
        return "{" + String.join(",", members) + "}";
    }

    @Test
    void unmutatedConfigsAnalyse() throws IOException {
        for (int f = 0; f < CONFIGS.length; f++) {
            Path dir = Files.createDirectories(tmp.resolve("valid" + f));
            Files.writeString(dir.resolve("config.json"), CONFIGS[f]);
            Files.write(dir.resolve("model.safetensors"), weights(f));
            try (Checkpoint c = Checkpoint.open(dir)) {
                assertThat(CheckpointAnalysis.run(c, options(), 1, null).samples).hasSize(1);
            }
        }
    }

    private static AnalysisOptions options() {
        return AnalysisOptions.defaults().withSamples(1).withNodesPerLayer(4).withThreshold(1000);
    }

    @ParameterizedTest
    @MethodSource("cases")
    @Timeout(10)
    void hostileConfigValueFailsCleanlyOrAnalyses(int family, int key, int value) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("f" + family + "k" + key + "v" + value));
        Files.writeString(dir.resolve("config.json"), replace(CONFIGS[family], key, HOSTILE[value]));
        Files.write(dir.resolve("model.safetensors"), weights(family));
        try (Checkpoint c = Checkpoint.open(dir)) {
            CheckpointResult result = CheckpointAnalysis.run(c, options(), 1, null);
            assertThat(result.samples).hasSize(1);
        } catch (NeuroMfaException | IOException expected) {
            assertThat(expected.getMessage()).isNotBlank().doesNotContain("\n");
        } catch (RuntimeException | Error e) {
            fail("config " + replace(CONFIGS[family], key, HOSTILE[value]) + " escaped with " + e, e);
        }
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    @Test
    @Timeout(30)
    void jsonNestedAHundredThousandLevelsDeepIsRefused() throws IOException {
        String deep = nested(100_000);
        Path dir = Files.createDirectories(tmp.resolve("deep-config"));
        Files.writeString(dir.resolve("config.json"), "{\"model_type\":" + deep + "}");
        Files.write(dir.resolve("model.safetensors"), weights(0));
        assertThatThrownBy(() -> Checkpoint.open(dir).close()).isInstanceOf(NeuroMfaException.class)
                .hasMessageStartingWith(dir.resolve("config.json") + ": not valid JSON")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

        Path header = Files.createDirectories(tmp.resolve("deep-header"));
        byte[] h = ("{\"w\":" + deep + "}").getBytes(StandardCharsets.UTF_8);
        Files.write(header.resolve("model.safetensors"),
                ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array());
        assertThatThrownBy(() -> Checkpoint.open(header).close()).isInstanceOf(NeuroMfaException.class)
                .hasMessageStartingWith(header.resolve("model.safetensors") + ": safetensors header is not valid JSON")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

        Path index = Files.createDirectories(tmp.resolve("deep-index"));
        Files.writeString(index.resolve("model.safetensors.index.json"), "{\"weight_map\":{\"w\":" + deep + "}}");
        assertThatThrownBy(() -> Checkpoint.open(index).close()).isInstanceOf(NeuroMfaException.class)
                .hasMessageStartingWith(index.resolve("model.safetensors.index.json") + ": not valid JSON")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}

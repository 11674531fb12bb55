package org.neuromfa.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointAnalysis;
import org.neuromfa.analysis.CheckpointResult;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.arch.Architecture;
import org.neuromfa.arch.Architectures;
import org.neuromfa.distance.DirectDistances;
import org.neuromfa.distance.NodeDistances;
import org.neuromfa.golden.Golden;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.network.Network;
import org.neuromfa.sample.SamplePlan;
import org.neuromfa.tensor.DType;
import org.neuromfa.tensor.onnx.OnnxWriter;
import org.neuromfa.tensor.safetensors.SafetensorsWriter;

/**
 * Weights that make the computation degenerate: zeros (infinite distance: the edge is dropped),
 * NaN and infinities (refused, naming the tensor, in every weight format), networks where no node
 * passes the filter, and constant distances (a single radius: no slope can be fitted).
 */
class NumericalEdgeCasesTest {
    private static final String CONFIG = "{\"model_type\":\"gpt_neox\",\"hidden_size\":8,\"num_hidden_layers\":1,"
            + "\"intermediate_size\":32}";
    private static final String[] NAMES = {"attention.query_key_value", "attention.dense", "mlp.dense_h_to_4h", "mlp.dense_4h_to_h"};
    private static final long[][] SHAPES = {{24, 8}, {8, 8}, {32, 8}, {8, 32}};

    @TempDir
    Path tmp;

    /** A one-block GPT-NeoX (d = 8, m = 32) whose tensor {@code t} element {@code i} is {@code value.apply(t)[i]}. */
    private Path neox(String name, IntFunction<float[]> values) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        for (int t = 0; t < NAMES.length; t++) {
            w.add("gpt_neox.layers.0." + NAMES[t] + ".weight", DType.F32, SHAPES[t], values.apply(t));
        }
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("config.json"), CONFIG);
        w.write(dir.resolve("model.safetensors"));
        return dir;
    }

    private static float[] random(int t, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 10 + t);
        float[] v = new float[(int) (SHAPES[t][0] * SHAPES[t][1])];
        for (int i = 0; i < v.length; i++) {
            double x = r.nextDouble(0.01, 0.3);
            v[i] = (float) (r.nextBoolean() ? x : -x);
        }
        return v;
    }

    private static AnalysisOptions options() {
        return AnalysisOptions.defaults().withSamples(1).withNodesPerLayer(8).withThreshold(1000);
    }

    @Test
    void zeroWeightsAreDroppedWithTheirEdges() throws IOException {
        Path full = neox("full", t -> random(t, 1));
        // The same weights with attention.dense all zero, and one zero inside query_key_value.
        Path zeros = neox("zeros", t -> {
            float[] v = random(t, 1);
            if (t == 1) {
                Arrays.fill(v, 0f);
            }
            if (t == 0) {
                v[3 * 8 + 5] = -0f; // row 3, column 5: a negative zero is a zero too
            }
            return v;
        });
        int k = 8;
        try (Checkpoint a = Checkpoint.open(full); Checkpoint b = Checkpoint.open(zeros)) {
            Architecture arch = Architectures.detect(a);
            SamplePlan plan = arch.samplePlan(0, k);
            Network n1 = arch.network(plan, a.tensors());
            Network n2 = Architectures.detect(b).network(plan, b.tensors());
            // attention.dense maps nums3 (t) -> nums4 (s4): |t| * |s4| edges, all gone; query_key_value
            // row 3 from column 5 is an edge when 5 is in s1 and row 3 is in the sampled QKV rows (k = d: it is).
            int dense = plan.get("block0_nums3").length * plan.get("block0_nums4").length;
            assertThat(plan.get("block0_nums1")).contains(5);
            assertThat(plan.get("block0_nums2")).contains(3);
            assertThat(n2.edgeCount()).isEqualTo(n1.edgeCount() - dense - 1);
            for (double l : DirectDistances.of(n2).distances()) {
                assertThat(l).isFinite().isPositive();
            }
            // The analysis runs and reports the smaller edge count.
            CheckpointResult r = CheckpointAnalysis.run(b, options(), 1, null);
            assertThat(r.samples.get(0).edges()).isEqualTo(n2.edgeCount());
            assertThat(r.samples.get(0).alpha0()).isFinite();
        }
    }

    @Test
    void nonFiniteSafetensorsWeightNamesTheTensor() throws IOException {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            Path dir = neox("bad" + bad, t -> {
                float[] v = random(t, 2);
                if (t == 2) {
                    Arrays.fill(v, bad);
                }
                return v;
            });
            try (Checkpoint c = Checkpoint.open(dir)) {
                assertThatThrownBy(() -> CheckpointAnalysis.run(c, options(), 1, null))
                        .isInstanceOf(NeuroMfaException.class)
                        .hasMessageStartingWith(dir.resolve("model.safetensors").toString())
                        .hasMessageContaining("tensor 'gpt_neox.layers.0.mlp.dense_h_to_4h.weight' has a non-finite weight ("
                                + bad + ")");
            }
        }
    }

    @Test
    void nonFiniteOnnxWeightNamesTheTensorAlsoThroughAQuantisationScale() throws IOException {
        for (boolean quantised : new boolean[] {false, true}) {
            OnnxWriter w = new OnnxWriter();
            String[] paths = {"attention/self/query", "attention/self/key", "attention/self/value",
                "attention/output/dense", "intermediate/dense", "output/dense"};
            int id = 800;
            for (String path : paths) {
                String name = "onnx::MatMul_" + id++;
                int in = path.equals("output/dense") ? 16 : 8;
                int out = path.equals("intermediate/dense") ? 16 : 8;
                float[] v = new float[in * out];
                Arrays.fill(v, 0.125f);
                String input = name;
                if (path.endsWith("key") && quantised) {
                    // A scale of +Inf makes every dequantised weight infinite (or NaN for q = zero point).
                    w.raw(name + "_quantized", 3, new long[] {in, out}, new byte[in * out]);
                    w.initializer(OnnxWriter.tensor(name + "_scale", 1).packedFloats(4, Float.POSITIVE_INFINITY));
                    input = name + "_quantized";
                } else {
                    if (path.endsWith("key")) {
                        v[7] = Float.NaN;
                    }
                    w.rawFloat(name, new long[] {in, out}, v);
                }
                w.node("/encoder/layer.0/" + path + "/MatMul" + (quantised && path.endsWith("key") ? "_quant" : ""),
                        "MatMul", new String[] {"/x" + path, input}, "/y" + path);
            }
            Path dir = Files.createDirectories(tmp.resolve("onnx" + quantised));
            Files.write(dir.resolve("model.onnx"), w.toBytes());
            try (Checkpoint c = Checkpoint.open(dir)) {
                assertThatThrownBy(() -> CheckpointAnalysis.run(c, options(), 1, null))
                        .isInstanceOf(NeuroMfaException.class)
                        .hasMessageStartingWith(dir.resolve("model.onnx").toString())
                        .hasMessageContaining("tensor 'onnx::MatMul_801' has a non-finite weight (NaN)");
            }
        }
    }

    @Test
    void nonFinitePyTorchWeightNamesTheTensor() throws IOException {
        // The golden PyTorch checkpoint with every storage's float32 data overwritten by +Inf. Storage
        // entries are stored uncompressed; each local header (APPNOTE 4.3.7) is 30 bytes plus the name
        // and extra field, then the data. The central directory is not changed, so its CRCs go stale:
        // the reader does not check them (it reads rows in place).
        Path dir = Files.createDirectories(tmp.resolve("torch"));
        Path source = Golden.dir("neox-d128-l4-normal-f32-torch").resolve("single");
        Files.copy(source.resolve("config.json"), dir.resolve("config.json"));
        byte[] b = Files.readAllBytes(source.resolve("pytorch_model.bin"));
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int storages = 0;
        for (int p = 0; p + 46 < b.length; p++) {
            // Central directory entries (APPNOTE 4.3.12) carry the sizes; the local headers may not.
            if (buf.getInt(p) != 0x02014b50) {
                continue;
            }
            long size = buf.getInt(p + 20) & 0xffffffffL;
            int nameLength = buf.getShort(p + 28) & 0xffff;
            int local = buf.getInt(p + 42);
            String entry = new String(b, p + 46, nameLength, StandardCharsets.UTF_8);
            if (entry.matches(".*/data/\\d+")) {
                int data = local + 30 + (buf.getShort(local + 26) & 0xffff) + (buf.getShort(local + 28) & 0xffff);
                for (int i = 0; i + 4 <= size; i += 4) {
                    buf.putFloat(data + i, Float.POSITIVE_INFINITY);
                }
                storages++;
            }
        }
        assertThat(storages).isGreaterThan(10);
        Files.write(dir.resolve("pytorch_model.bin"), b);
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertThatThrownBy(() -> CheckpointAnalysis.run(c, options(), 1, null))
                    .isInstanceOf(NeuroMfaException.class)
                    .hasMessageStartingWith(dir.resolve("pytorch_model.bin").toString())
                    .hasMessageMatching(".*tensor 'gpt_neox\\.layers\\.\\d\\.[a-z_.0-9]+\\.weight' has a non-finite weight \\(Infinity\\).*");
        }
    }

    @Test
    void noNodePassingTheFilterIsAClearErrorNotNaN() throws IOException {
        // Weights of magnitude 0.01 to 0.3: every distance is above 3.3, and T = 2 keeps none.
        Path dir = neox("none", t -> random(t, 3));
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertThatThrownBy(() -> CheckpointAnalysis.run(c, options().withThreshold(2), 1, null))
                    .isInstanceOf(NeuroMfaException.class)
                    // The library names settings as the results' parameters do; the command line shows
                    // flags (FlagMessagesTest).
                    .hasMessage("seed 0: no node has more than 10 distances in (1, 2], so the spectrum is undefined"
                            + " (try a larger threshold or nodes_per_layer)");
        }
    }

    @Test
    void constantDistancesHaveNoScalingToFit() throws IOException {
        // |w| = 0.25 everywhere (signs vary): every distance is exactly 4, so the radii are {4} and
        // ln(r / D) is 0 at the only radius: the OLS slope tau(q) would be 0/0.
        Path constant = neox("constant", t -> {
            float[] v = random(t, 4);
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.copySign(0.25f, v[i]);
            }
            return v;
        });
        // Distances 1/0.26 = 3.85 and 1/0.24 = 4.17 differ but round to the same radius 4.
        Path rounded = neox("rounded", t -> {
            float[] v = random(t, 5);
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.copySign(i % 2 == 0 ? 0.26f : 0.24f, v[i]);
            }
            return v;
        });
        for (Path dir : new Path[] {constant, rounded}) {
            try (Checkpoint c = Checkpoint.open(dir)) {
                assertThatThrownBy(() -> CheckpointAnalysis.run(c, options(), 1, null))
                        .isInstanceOf(NeuroMfaException.class)
                        .hasMessage("seed 0: all kept distances round to the same radius 4, so no scaling can be fitted");
            }
        }
        // Two radii are enough for a fit: |w| in {0.25, 0.5} gives distances 4 and 2.
        Path two = neox("two", t -> {
            float[] v = random(t, 6);
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.copySign(i % 3 == 0 ? 0.5f : 0.25f, v[i]);
            }
            return v;
        });
        try (Checkpoint c = Checkpoint.open(two)) {
            SampleResult s = CheckpointAnalysis.run(c, options(), 1, null).samples.get(0);
            assertThat(s.radii()).isEqualTo(2);
            assertThat(s.alpha0()).isFinite();
            assertThat(s.width()).isFinite();
        }
    }
}

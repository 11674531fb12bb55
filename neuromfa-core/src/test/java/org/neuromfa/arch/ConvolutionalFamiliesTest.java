package org.neuromfa.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.neuromfa.arch.TestCheckpoint.edge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.network.Network;
import org.neuromfa.sample.SamplePlan;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointAnalysis;
import org.neuromfa.analysis.CheckpointResult;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.tensor.SparseTensors;
import org.neuromfa.tensor.onnx.SparseOnnxFile;
import org.neuromfa.tensor.torch.SparseTorchFile;

/**
 * torchvision ResNets: the wiring worked out by hand on a tiny one (group ids, edges, each kernel
 * aggregation, the projection shortcut, grouped convolutions), and ResNet-18 and ResNet-50 in their
 * real shapes analysed end to end from safetensors, a PyTorch zip and an ONNX export, which must
 * agree. The real-shaped files are sparse: only the rows the analysed seeds read are filled, learnt
 * by building their networks through a recording store on the all-zero file first.
 */
class ConvolutionalFamiliesTest {
    @TempDir
    Path dir;

    /** Fills every row of every tensor of a small model. */
    static void fillAll(SparseTensors t, long seed) {
        Map<String, List<Integer>> all = new LinkedHashMap<>();
        for (SparseTensors.Spec s : t.specs()) {
            List<Integer> rows = new ArrayList<>();
            for (int r = 0; r < (s.shape.length == 0 ? 1 : s.shape[0]); r++) {
                rows.add(r);
            }
            if (s.dtype == org.neuromfa.tensor.DType.F32) {
                all.put(s.name, rows);
            }
        }
        t.fill(all, seed, 1f);
    }

    /** The kernel {@code W[out, in, :, :]} of a stored convolution, flattened. */
    static float[] kernel(SparseTensors t, String tensor, int out, int in) {
        SparseTensors.Spec s = t.spec(tensor);
        int kk = (int) (s.rowLength() / s.shape[1]);
        float[] k = new float[kk];
        for (int i = 0; i < kk; i++) {
            k[i] = t.at(tensor, out, in * kk + i);
        }
        return k;
    }

    static float l2(float[] k) {
        double s = 0;
        for (float v : k) {
            s += (double) v * v;
        }
        return (float) Math.sqrt(s);
    }

    @Test
    void tinyResNetIsWiredChannelByChannel() throws IOException {
        TorchvisionResNet r = TorchvisionResNet.build(false, new int[] {1, 1}, 5, 4);
        fillAll(r.state, 1);
        Files.createDirectories(dir.resolve("tiny"));
        r.state.writeSafetensors(dir.resolve("tiny/model.safetensors"));
        try (Checkpoint checkpoint = Checkpoint.open(dir.resolve("tiny"))) {
            Architecture arch = Architectures.detect(checkpoint);
            assertThat(arch.family()).isEqualTo("resnet");
            assertThat(arch.describe()).containsEntry("block", "basic").containsEntry("stages", "[1, 1]")
                    .containsEntry("widths", "[4, 8]").containsEntry("classes", 5).containsEntry("depth", 6)
                    .doesNotContainKey("kernel_aggregation");
            WiredArchitecture wired = (WiredArchitecture) arch;
            // Groups in id order: the image's 3 channels, the stem, each block's inner and output channels, the classes.
            assertThat(wired.groupSizes()).containsExactly(Map.entry("input", 3), Map.entry("conv1", 4),
                    Map.entry("layer1.0.conv1", 4), Map.entry("layer1.0", 4), Map.entry("layer2.0.conv1", 8),
                    Map.entry("layer2.0", 8), Map.entry("fc", 5));
            int k = 3;
            SamplePlan plan = arch.samplePlan(4, k);
            assertThat(plan.groups().keySet()).containsExactly("input", "conv1", "layer1.0.conv1", "layer1.0",
                    "layer2.0.conv1", "layer2.0", "fc");
            assertThat(new TreeSet<>(List.of(box(plan.get("input"))))).containsExactly(0, 1, 2);
            Network net = arch.network(plan, checkpoint.tensors());
            // Seven connections (stem, two per block, the shortcut of layer2.0, fc), k x k edges each,
            // between seven groups of k sampled channels (the image's 3 channels are all of them).
            assertThat(net.edgeCount()).isEqualTo(7 * k * k);
            assertThat(net.nodeCount()).isEqualTo(7 * k);
            assertThat(net.sourceNodeCount()).isEqualTo(6 * k);
            // The stem: image channel i -> stem channel j is the L2 norm of the 7 x 7 kernel W[j, i].
            int i = plan.get("input")[0];
            int j = plan.get("conv1")[1];
            assertThat(edge(net, i, 3 + j)).isEqualTo(l2(kernel(r.state, "conv1.weight", j, i)));
            // Block layer2.0 (ids from 15): conv1 from layer1.0's output (ids from 11), conv2, and the 1 x 1 shortcut.
            int a = plan.get("layer1.0")[2];
            int c = plan.get("layer2.0.conv1")[0];
            int o = plan.get("layer2.0")[1];
            assertThat(edge(net, 11 + a, 15 + c)).isEqualTo(l2(kernel(r.state, "layer2.0.conv1.weight", c, a)));
            assertThat(edge(net, 15 + c, 23 + o)).isEqualTo(l2(kernel(r.state, "layer2.0.conv2.weight", o, c)));
            assertThat(edge(net, 11 + a, 23 + o)).isEqualTo(r.state.at("layer2.0.downsample.0.weight", o, a));
            // No identity shortcut edges: layer1.0's output does not reach conv1's channels directly.
            assertThat(edge(net, 3 + plan.get("conv1")[0], 11 + plan.get("layer1.0")[0])).isNaN();
            int f = plan.get("fc")[0];
            assertThat(edge(net, 23 + o, 31 + f)).isEqualTo(r.state.at("fc.weight", f, o));
            WiringEquivalence.assertSame(arch, checkpoint.tensors(), k);

            // The other aggregations of the same kernel.
            float[] w = kernel(r.state, "layer2.0.conv1.weight", c, a);
            double max = 0;
            double sum = 0;
            for (float v : w) {
                max = Math.max(max, Math.abs(v));
                sum += Math.abs(v);
            }
            Map<KernelAggregation, Float> want = Map.of(KernelAggregation.MAX, (float) max, KernelAggregation.MEAN,
                    (float) (sum / w.length), KernelAggregation.L1, (float) sum, KernelAggregation.L2, l2(w));
            for (Map.Entry<KernelAggregation, Float> e : want.entrySet()) {
                Architecture other = Architectures.detect(checkpoint, ArchitectureOptions.defaults().withKernelAggregation(e.getKey()));
                assertThat(other.wiring().get(2)).endsWith("3x3 kernel, " + e.getKey().label() + "]");
                assertThat(edge(other.network(plan, checkpoint.tensors()), 11 + a, 15 + c)).as(e.getKey().label())
                        .isEqualTo(e.getValue());
            }
        }
    }

    private static Integer[] box(int[] v) {
        Integer[] out = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    @Test
    void groupedConvolutionsConnectChannelsOfTheSameGroupOnly() throws IOException {
        // A ResNeXt-style bottleneck: conv2 has 2 groups of 2 channels, weight [4, 2, 3, 3].
        SparseTensors t = new SparseTensors().f32("conv1.weight", 4, 3, 3, 3).f32("layer1.0.conv1.weight", 4, 4, 1, 1)
                .f32("layer1.0.conv2.weight", 4, 2, 3, 3).f32("layer1.0.conv3.weight", 4, 4, 1, 1);
        fillAll(t, 2);
        Files.createDirectories(dir.resolve("resnext"));
        t.writeSafetensors(dir.resolve("resnext/model.safetensors"));
        try (Checkpoint checkpoint = Checkpoint.open(dir.resolve("resnext"))) {
            WiredArchitecture arch = (WiredArchitecture) Architectures.detect(checkpoint);
            assertThat(arch.describe()).containsEntry("block", "bottleneck").doesNotContainKey("classes");
            assertThat(arch.wiring()).contains("layer1.0.conv1 4 -> layer1.0.conv2 4 [layer1.0.conv2.weight, 3x3 kernel, l2, 2 groups]");
            SamplePlan plan = arch.samplePlan(0, 4);
            Network net = arch.network(plan, checkpoint.tensors());
            int from = arch.base("layer1.0.conv1");
            int to = arch.base("layer1.0.conv2");
            int inGroup = 0;
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    float e = edge(net, from + i, to + j);
                    if (i / 2 == j / 2) {
                        assertThat(e).as(i + " -> " + j).isEqualTo(l2(kernel(t, "layer1.0.conv2.weight", j, i % 2)));
                        inGroup++;
                    } else {
                        assertThat(e).as(i + " -> " + j).isNaN();
                    }
                }
            }
            assertThat(inGroup).isEqualTo(8);
            // stem 3 x 4 + conv1 16 + conv2 8 + conv3 16.
            assertThat(net.edgeCount()).isEqualTo(12 + 16 + 8 + 16);
            WiringEquivalence.assertSame(arch, checkpoint.tensors(), 4);
        }
    }

    @Test
    void aBlockWithoutItsSecondConvolutionIsAnError() throws IOException {
        SparseTensors t = new SparseTensors().f32("conv1.weight", 4, 3, 3, 3).f32("layer1.0.conv1.weight", 4, 4, 3, 3);
        Files.createDirectories(dir.resolve("broken"));
        t.writeSafetensors(dir.resolve("broken/model.safetensors"));
        try (Checkpoint checkpoint = Checkpoint.open(dir.resolve("broken"))) {
            assertThatThrownBy(() -> Architectures.detect(checkpoint)).isInstanceOf(NeuroMfaException.class)
                    .hasMessageContaining("block 'layer1.0' has only conv1");
        }
        SparseTensors u = new SparseTensors().f32("conv1.weight", 4, 3, 3, 3).f32("layer1.0.conv1.weight", 4, 5, 3, 3)
                .f32("layer1.0.conv2.weight", 4, 4, 3, 3);
        Files.createDirectories(dir.resolve("mismatch"));
        u.writeSafetensors(dir.resolve("mismatch/model.safetensors"));
        try (Checkpoint checkpoint = Checkpoint.open(dir.resolve("mismatch"))) {
            assertThatThrownBy(() -> Architectures.detect(checkpoint)).isInstanceOf(NeuroMfaException.class)
                    .hasMessageContaining("model.safetensors: tensor 'layer1.0.conv1.weight' [4, 5, 3, 3]: its 5 input channels"
                            + " (axis 1) do not match the 4 neurons of group 'conv1'");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "resnet50"})
    void realShapedResNetsAgreeAcrossSafetensorsPyTorchAndOnnx(String model) throws IOException {
        TorchvisionResNet r = model.equals("resnet18") ? TorchvisionResNet.resnet18() : TorchvisionResNet.resnet50();
        // torchvision's published parameter counts.
        assertThat(r.parameters).isEqualTo(model.equals("resnet18") ? 11_689_512L : 25_557_032L);
        int k = 32;
        AnalysisOptions options = AnalysisOptions.defaults().withSamples(2).withNodesPerLayer(k);
        Path st = Files.createDirectories(dir.resolve(model + "-safetensors")).resolve("model.safetensors");
        r.state.writeSafetensors(st);
        // Learn the rows the two seeds read from the all-zero file, then fill exactly those.
        RecordingStore recorder;
        try (Checkpoint checkpoint = Checkpoint.open(st)) {
            Architecture arch = CheckpointAnalysis.architecture(checkpoint, options);
            recorder = new RecordingStore(checkpoint.tensors());
            for (long seed = 0; seed < 2; seed++) {
                arch.network(arch.samplePlan(seed, k), recorder);
            }
        }
        assertThat(recorder.rows).containsKey("layer4.1.conv2.weight").doesNotContainKey("bn1.weight");
        r.state.fill(recorder.rows, 3, 0.05f);
        Map<String, TreeSet<Integer>> onnxRows = new LinkedHashMap<>();
        recorder.rows.forEach((name, rows) -> onnxRows.put(r.onnxNames.get(name.substring(0, name.length() - ".weight".length())), rows));
        r.onnx.fill(onnxRows, 3, 0.05f);
        r.state.writeSafetensors(st);
        Path torch = Files.createDirectories(dir.resolve(model + "-torch")).resolve("pytorch_model.bin");
        SparseTorchFile.write(r.state, torch);
        Path onnx = Files.createDirectories(dir.resolve(model + "-onnx")).resolve(model + ".onnx");
        SparseOnnxFile.write(r.onnx, r.nodes, onnx);
        assertThat(Files.size(st)).isGreaterThan(4 * r.parameters);

        CheckpointResult a = analyse(st, options);
        CheckpointResult b = analyse(torch, options);
        CheckpointResult c = analyse(onnx, options);
        boolean bottleneck = model.equals("resnet50");
        int blocks = bottleneck ? 16 : 8;
        int convs = blocks * (bottleneck ? 3 : 2);
        int shortcuts = bottleneck ? 4 : 3;
        assertThat(a.architecture).containsEntry("family", "resnet").containsEntry("depth", bottleneck ? 50 : 18)
                .containsEntry("stages", bottleneck ? "[3, 4, 6, 3]" : "[2, 2, 2, 2]")
                .containsEntry("widths", bottleneck ? "[256, 512, 1024, 2048]" : "[64, 128, 256, 512]")
                .containsEntry("classes", 1000);
        assertThat(c.architecture).containsEntry("layout", "onnx").containsEntry("depth", bottleneck ? 50 : 18);
        for (int s = 0; s < 2; s++) {
            SampleResult x = a.samples.get(s);
            // The image's 3 channels reach k stem channels; every other connection joins k x k channels.
            assertThat(x.edges()).isEqualTo((convs + shortcuts + 1) * k * k + 3 * k);
            // Every node but the classes has out-edges: 3 image channels, the stem, (convs) groups of k.
            assertThat(x.sourceNodes()).isEqualTo(3 + (1 + convs) * k);
            for (SampleResult y : List.of(b.samples.get(s), c.samples.get(s))) {
                assertThat(y.plan().groups().keySet()).containsExactlyElementsOf(x.plan().groups().keySet());
                assertThat(y.edges()).isEqualTo(x.edges());
                assertThat(y.selectedNodes()).isEqualTo(x.selectedNodes());
                assertThat(y.tau()).containsExactly(x.tau());
                assertThat(y.alpha0()).isEqualTo(x.alpha0());
                assertThat(y.width()).isEqualTo(x.width());
            }
        }
        assertThat(a.alpha0Mean).isFinite();
        assertThat(a.fingerprint).isEqualTo(b.fingerprint);
        assertThat(a.bytesRead).isLessThan(a.bytesTotal / 2);
    }

    private static CheckpointResult analyse(Path model, AnalysisOptions options) throws IOException {
        try (Checkpoint checkpoint = Checkpoint.open(model)) {
            return CheckpointAnalysis.run(checkpoint, options, 2, null);
        }
    }
}

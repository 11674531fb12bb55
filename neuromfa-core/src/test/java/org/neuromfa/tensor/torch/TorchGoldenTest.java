package org.neuromfa.tensor.torch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuromfa.golden.Golden;
import org.neuromfa.golden.GoldenSpectrumTest;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointAnalysis;
import org.neuromfa.analysis.CheckpointResult;
import org.neuromfa.tensor.TensorInfo;
import org.neuromfa.tensor.TensorStore;

/**
 * The PyTorch copies of {@code neox-d128-l4-normal-f32} (one {@code pytorch_model.bin}, and two
 * shards with {@code pytorch_model.bin.index.json}) hold the same tensors as its safetensors file
 * and give the numbers of its {@code expected.json}.
 */
class TorchGoldenTest {
    private static final String SAFETENSORS = "neox-d128-l4-normal-f32";

    @ParameterizedTest
    @ValueSource(strings = {"single", "sharded"})
    void tensorsEqualTheSafetensorsCopy(String layout) throws Exception {
        Path dir = Golden.dir(SAFETENSORS + "-torch").resolve(layout);
        try (Checkpoint torch = Checkpoint.open(dir); Checkpoint reference = Checkpoint.open(Golden.dir(SAFETENSORS))) {
            assertThat(torch.weightsFile()).isEqualTo(layout.equals("single") ? "pytorch_model.bin" : "pytorch_model.bin.index.json");
            TensorStore t = torch.tensors();
            TensorStore r = reference.tensors();
            assertThat(t.names()).containsExactlyInAnyOrderElementsOf(r.names());
            for (String name : r.names()) {
                TensorInfo expected = r.info(name);
                assertThat(t.info(name).shape()).as(name).containsExactly(expected.shape());
                assertThat(t.info(name).dtype()).as(name).isEqualTo(expected.dtype());
                int[] rows = new int[(int) expected.rows()];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = rows.length - 1 - i;
                }
                assertThat(t.readRows(name, rows)).as(name).isEqualTo(r.readRows(name, rows));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"single", "sharded"})
    void reproducesTheSafetensorsFixturesNumbers(String layout) throws Exception {
        Path dir = Golden.dir(SAFETENSORS + "-torch").resolve(layout);
        JsonNode expected = Golden.expected(Golden.dir(SAFETENSORS));
        AnalysisOptions options = AnalysisOptions.defaults()
                .withSamples(expected.get("samples").size())
                .withNodesPerLayer(expected.get("nodes_per_layer").asInt())
                .withThreshold(expected.get("threshold").asDouble())
                .withNodeFractalDimensions(true);
        CheckpointResult result;
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            result = CheckpointAnalysis.run(checkpoint, options, 2, null);
            // Only the sampled rows are read, not the whole checkpoint.
            assertThat(checkpoint.tensors().bytesRead()).isLessThan(checkpoint.tensors().bytesTotal() / 2);
        }
        GoldenSpectrumTest.assertMatches(expected, result);
    }
}

package org.neuromfa.golden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointAnalysis;
import org.neuromfa.analysis.CheckpointResult;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.model.Checkpoint;

/** The reference-compatible mode reproduces every golden fixture (library level; the CLI has its own test). */
public class GoldenSpectrumTest {

    static List<String> fixtures() throws Exception {
        return Golden.safetensorsFixtures();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void reproducesReferenceNumbers(String fixture) throws Exception {
        Path dir = Golden.dir(fixture);
        JsonNode expected = Golden.expected(dir);
        AnalysisOptions options = AnalysisOptions.defaults()
                .withSamples(expected.get("samples").size())
                .withNodesPerLayer(expected.get("nodes_per_layer").asInt())
                .withThreshold(expected.get("threshold").asDouble())
                .withNodeFractalDimensions(true);
        CheckpointResult result;
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            result = CheckpointAnalysis.run(checkpoint, options, 2, null);
        }
        assertMatches(expected, result);
    }

    /** Compares a result with an {@code expected.json}; shared with the PyTorch-format fixtures. */
    public static void assertMatches(JsonNode expected, CheckpointResult result) {
        assertThat(result.samples).hasSize(expected.get("samples").size());
        double alpha0Low = 0;
        double alpha0High = 0;
        for (int i = 0; i < result.samples.size(); i++) {
            SampleResult actual = result.samples.get(i);
            JsonNode e = expected.get("samples").get(i);
            String where = "seed " + e.get("seed").asLong();
            assertThat(actual.seed()).as(where).isEqualTo(e.get("seed").asLong());
            Iterator<Map.Entry<String, JsonNode>> plan = e.get("plan").properties().iterator();
            while (plan.hasNext()) {
                Map.Entry<String, JsonNode> group = plan.next();
                int[] drawn = actual.plan().get(group.getKey());
                int[] want = new int[group.getValue().size()];
                for (int j = 0; j < want.length; j++) {
                    want[j] = group.getValue().get(j).asInt();
                }
                assertThat(drawn).as(where + " plan " + group.getKey()).containsExactly(want);
            }
            assertThat(actual.edges()).as(where + " edges").isEqualTo(e.get("edges").asInt());
            assertThat(actual.sourceNodes()).as(where + " source_nodes").isEqualTo(e.get("source_nodes").asInt());
            assertThat(actual.selectedNodes()).as(where + " selected_nodes").isEqualTo(e.get("selected_nodes").asInt());
            assertClose(where + " tau", actual.tau(), e.get("tau"));
            assertClose(where + " alpha", actual.alpha(), e.get("alpha"));
            assertClose(where + " f_alpha", actual.fAlpha(), e.get("f_alpha"));
            assertThat(Golden.close(actual.width(), e.get("width").asDouble())).as(where + " width " + actual.width()).isTrue();
            double a29 = e.get("alpha").get(29).asDouble();
            double a30 = e.get("alpha").get(30).asDouble();
            assertThat(Golden.close(actual.alpha0(), a29) || Golden.close(actual.alpha0(), a30))
                    .as(where + " alpha0 " + actual.alpha0() + " is alpha[29] " + a29 + " or alpha[30] " + a30).isTrue();
            alpha0Low += Math.min(a29, a30);
            alpha0High += Math.max(a29, a30);
            int[] ids = actual.nfdNodeIds();
            JsonNode wantIds = e.get("nfd_node_ids");
            assertThat(ids).as(where + " nfd ids").hasSize(wantIds.size());
            for (int j = 0; j < ids.length; j++) {
                assertThat(ids[j]).as(where + " nfd node " + j).isEqualTo(wantIds.get(j).asInt());
            }
            assertClose(where + " nfd", actual.nfd(), e.get("nfd"));
        }
        int n = result.samples.size();
        assertThat(Golden.close(result.widthMean, expected.get("width_mean").asDouble())).as("width_mean").isTrue();
        assertThat(result.alpha0Mean).as("alpha0_mean")
                .isBetween(alpha0Low / n - 1e-12, alpha0High / n + 1e-12);
    }

    static void assertClose(String what, double[] actual, JsonNode expected) {
        assertThat(actual).as(what + " length").hasSize(expected.size());
        for (int j = 0; j < actual.length; j++) {
            double want = expected.get(j).asDouble();
            assertThat(Golden.close(actual[j], want))
                    .as(what + "[" + j + "] = " + actual[j] + ", expected " + want).isTrue();
        }
    }
}

package org.neuromfa.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.neuromfa.arch.TestCheckpoint.edge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.network.Network;
import org.neuromfa.sample.SamplePlan;

/**
 * Models described by hand-written wiring files: a multilayer perceptron (sizes read from tensor
 * axes, one draw per group) wired exactly as the linear-stack adapter wires it, a depthwise
 * convolution, and every kind of bad file refused with one line naming the file and the entry.
 */
class WiringFileTest {
    @TempDir
    Path dir;

    private static final String MLP = "{\"neuromfa_wiring\": 1, \"family\": \"my_mlp\", \"comment\": \"three layers\",\n"
            + " \"groups\": [{\"name\": \"layer0\", \"tensor\": \"0.weight\", \"axis\": 1},\n"
            + "  {\"name\": \"layer1\", \"tensor\": \"0.weight\", \"axis\": 0}, {\"name\": \"layer2\", \"size\": 10},\n"
            + "  {\"name\": \"layer3\", \"tensor\": \"4.weight\", \"axis\": 0}],\n"
            + " \"connections\": [{\"from\": \"layer0\", \"to\": \"layer1\", \"tensor\": \"0.weight\"},\n"
            + "  {\"from\": \"layer1\", \"to\": \"layer2\", \"tensor\": \"2.weight\", \"layout\": \"out_in\"},\n"
            + "  {\"from\": \"layer2\", \"to\": \"layer3\", \"tensor\": \"4.weight\"}]}";

    private Checkpoint mlp() throws IOException {
        return Checkpoint.open(new TestCheckpoint(5).tensor("0.weight", 8, 6).tensor("0.bias", 8).tensor("2.weight", 10, 8)
                .tensor("4.weight", 5, 10).write(dir.resolve("mlp"), null));
    }

    private static Architecture wired(Checkpoint checkpoint, String json) {
        return Architectures.detect(checkpoint, ArchitectureOptions.defaults().withWiring("w.json", json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aHandWrittenMlpWiringIsTheLinearStack() throws IOException {
        try (Checkpoint checkpoint = mlp()) {
            Architecture stack = Architectures.detect(checkpoint);
            Architecture file = wired(checkpoint, MLP);
            assertThat(file.describe()).containsEntry("family", "my_mlp").containsEntry("wiring", "w.json")
                    .containsEntry("groups", 4).containsEntry("connections", 3);
            for (long seed = 0; seed < 3; seed++) {
                SamplePlan a = stack.samplePlan(seed, 4);
                SamplePlan b = file.samplePlan(seed, 4);
                for (String g : a.groups().keySet()) {
                    assertThat(b.get(g)).containsExactly(a.get(g));
                }
                Network x = stack.network(a, checkpoint.tensors());
                Network y = file.network(b, checkpoint.tensors());
                assertThat(y.nodeIds()).containsExactly(x.nodeIds());
                assertThat(y.targets()).containsExactly(x.targets());
                assertThat(y.weights()).containsExactly(x.weights());
            }
            assertThatThrownBy(() -> file.samplePlan(0, 6)).hasMessageContaining(
                    "nodes per layer must be between 1 and 5 for this my_mlp model, not 6");
        }
    }

    @Test
    void aDepthwiseConvolutionJoinsEachChannelToItself() throws IOException {
        org.neuromfa.tensor.SparseTensors t = new org.neuromfa.tensor.SparseTensors().f32("dw.weight", 8, 1, 3, 3)
                .f32("pw.weight", 6, 8, 1, 1);
        ConvolutionalFamiliesTest.fillAll(t, 9);
        java.nio.file.Files.createDirectories(dir.resolve("dw"));
        t.writeSafetensors(dir.resolve("dw/model.safetensors"));
        String json = "{\"neuromfa_wiring\": 1, \"groups\": [{\"name\": \"in\", \"size\": 8, \"sample\": \"channels\"},"
                + " {\"name\": \"dw\", \"size\": 8, \"sample\": \"channels\"}, {\"name\": \"pw\", \"size\": 6}],"
                + " \"samples\": [{\"name\": \"channels\"}, {\"name\": \"pw\"}],"
                + " \"connections\": [{\"from\": \"in\", \"to\": \"dw\", \"tensor\": \"dw.weight\", \"aggregation\": \"max\"},"
                + " {\"from\": \"dw\", \"to\": \"pw\", \"tensor\": \"pw.weight\"}]}";
        try (Checkpoint checkpoint = Checkpoint.open(dir.resolve("dw"))) {
            Architecture arch = wired(checkpoint, json);
            assertThat(arch.wiring()).containsExactly("in 8 -> dw 8 [dw.weight, 3x3 kernel, max, 8 groups]", "dw 8 -> pw 6 [pw.weight, 1x1 kernel]");
            SamplePlan plan = arch.samplePlan(2, 4);
            Network net = arch.network(plan, checkpoint.tensors());
            // The depthwise kernel of channel c joins in c to dw c only: k edges, then k x k pointwise.
            assertThat(net.edgeCount()).isEqualTo(4 + 16);
            int c = plan.get("channels")[1];
            float max = 0;
            for (float v : ConvolutionalFamiliesTest.kernel(t, "dw.weight", c, 0)) {
                max = Math.max(max, Math.abs(v));
            }
            assertThat(edge(net, c, 8 + c)).isEqualTo(max);
            assertThat(edge(net, c, 8 + plan.get("channels")[0])).isNaN();
        }
    }

    static Stream<Arguments> badFiles() {
        String ok = "\"groups\": [{\"name\": \"a\", \"size\": 6}, {\"name\": \"b\", \"size\": 8}],"
                + " \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"tensor\": \"0.weight\"}]";
        return Stream.of(
                Arguments.of("{\"neuromfa_wiring\": 1,", "w.json: not valid JSON (line 1)"),
                Arguments.of("[1, 2]", "w.json: not a wiring file: expected a JSON object"),
                Arguments.of("{\"neuromfa_wiring\": 1, \"groups\": [{\"name\": \"a\", \"size\": 6, \"size\": 7}], \"connections\": []}",
                        "w.json: not valid JSON (line 1): Duplicate field 'size'"),
                Arguments.of("{" + ok + "}", "w.json: not a wiring file: no \"neuromfa_wiring\""),
                Arguments.of("{\"neuromfa_wiring\": 2, " + ok + "}", "w.json: \"neuromfa_wiring\" is 2, but this version reads format 1"),
                Arguments.of("{\"neuromfa_wiring\": 1, \"grups\": [], " + ok + "}", "w.json: unknown field 'grups' (allowed: comment,"),
                Arguments.of("{\"neuromfa_wiring\": 1, \"groups\": [{\"name\": \"a\"}], \"connections\": []}",
                        "w.json: groups[0] ('a'): give 'size', or 'tensor' and 'axis'"),
                Arguments.of("{\"neuromfa_wiring\": 1, \"groups\": [{\"name\": \"a\", \"size\": \"6\"}], \"connections\": []}",
                        "w.json: groups[0].size must be an integer below 2^31, not \"6\""),
                Arguments.of("{\"neuromfa_wiring\": 1, \"groups\": [{\"name\": \"a\", \"size\": 6, \"szie\": 6}], \"connections\": []}",
                        "w.json: groups[0]: unknown field 'szie'"),
                Arguments.of("{\"neuromfa_wiring\": 1, \"groups\": [{\"name\": \"a\", \"size\": 6}, {\"name\": \"a\", \"size\": 8}],"
                        + " \"connections\": [{\"from\": \"a\", \"to\": \"a\", \"tensor\": \"0.weight\"}]}",
                        "w.json: groups[1]: a second group named 'a'"),
                Arguments.of("{\"neuromfa_wiring\": 1, \"groups\": [{\"name\": \"a\", \"size\": 6}, {\"name\": \"b\", \"size\": 8}],"
                        + " \"connections\": [{\"from\": \"a\", \"to\": \"c\", \"tensor\": \"0.weight\"}]}",
                        "w.json: connections[0] (a -> c): unknown group 'c'"),
                Arguments.of("{\"neuromfa_wiring\": 1, \"groups\": [{\"name\": \"a\", \"size\": 6, \"sample\": \"s\"}, {\"name\": \"b\", \"size\": 8}],"
                        + " \"samples\": [{\"name\": \"b\"}], \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"tensor\": \"0.weight\"}]}",
                        "w.json: groups[0] ('a'): unknown sample 's'"),
                Arguments.of("{\"neuromfa_wiring\": 1, \"groups\": [{\"name\": \"a\", \"size\": 6}, {\"name\": \"b\", \"size\": 8}],"
                        + " \"connections\": [{\"from\": \"a\", \"to\": \"b\"}]}",
                        "w.json: connections[0] (a -> b): give 'tensor' (weights) or 'fixed' (a fixed weight)"),
                Arguments.of("{\"neuromfa_wiring\": 1, \"groups\": [{\"name\": \"a\", \"size\": 6}, {\"name\": \"b\", \"size\": 8}],"
                        + " \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"tensor\": \"0.weight\", \"layout\": \"oi\"}]}",
                        "w.json: connections[0].layout must be 'out_in' or 'in_out', not 'oi'"),
                Arguments.of("{\"neuromfa_wiring\": 1, \"groups\": [{\"name\": \"a\", \"size\": 6}, {\"name\": \"b\", \"size\": 8}],"
                        + " \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"fixed\": 0}]}",
                        "w.json: connections[0].fixed must be a finite non-zero number, not 0"),
                Arguments.of("{\"neuromfa_wiring\": 1, \"groups\": [{\"name\": \"a\", \"size\": 6}, {\"name\": \"b\", \"size\": 8}],"
                        + " \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"fixed\": 1, \"tensor\": \"0.weight\"}]}",
                        "w.json: connections[0]: give either 'tensor' or 'fixed', not both"),
                Arguments.of("{\"neuromfa_wiring\": 1, \"groups\": [{\"name\": \"a\", \"size\": 6}, {\"name\": \"b\", \"size\": 8}],"
                        + " \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"fixed\": 1, \"from_range\": [4, 2]}]}",
                        "w.json: connections[0].from_range must be [lo, hi] with 0 <= lo < hi, not [4,2]"),
                Arguments.of("{\"neuromfa_wiring\": 1, \"groups\": [{\"name\": \"a\", \"size\": 6, \"sample\": \"t\"}, {\"name\": \"b\", \"size\": 8}],"
                        + " \"samples\": [{\"name\": \"t\", \"tile\": \"t\", \"copies\": 2, \"stride\": 3}, {\"name\": \"b\"}],"
                        + " \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"tensor\": \"0.weight\"}]}",
                        "w.json: samples[0] ('t'): tile of a tile ('t')"));
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void aMalformedWiringFileIsOneLineNamingTheFile(String json, String message) {
        assertThatThrownBy(() -> ArchitectureOptions.defaults().withWiring("w.json", json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(NeuroMfaException.class).hasMessageStartingWith(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    static Stream<Arguments> filesThatDoNotFitTheCheckpoint() {
        String groups = "\"groups\": [{\"name\": \"a\", \"size\": 6}, {\"name\": \"b\", \"size\": 8}, {\"name\": \"c\", \"size\": 10}],";
        return Stream.of(
                Arguments.of(groups + " \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"tensor\": \"fc9.weight\"}]",
                        "w.json: connections[0] (a -> b): no tensor 'fc9.weight' in "),
                Arguments.of(groups + " \"connections\": [{\"from\": \"a\", \"to\": \"c\", \"tensor\": \"0.weight\"}]",
                        "w.json: connections[0] (a -> c): tensor '0.weight' [8, 6]: its 8 outputs (axis 0) do not match the 10 neurons of group 'c'"),
                Arguments.of(groups + " \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"tensor\": \"0.weight\", \"layout\": \"in_out\"}]",
                        "w.json: connections[0] (a -> b): tensor '0.weight' [8, 6]: its 8 inputs (axis 0) do not match the 6 neurons of group 'a'"),
                Arguments.of(groups + " \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"tensor\": \"0.weight\", \"out_offset\": 4}]",
                        "w.json: connections[0] (a -> b): tensor '0.weight' [8, 6]: its 8 outputs (axis 0) do not hold out_offset 4 + the 8 neurons of group 'b'"),
                Arguments.of(groups + " \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"tensor\": \"0.bias\"}]",
                        "w.json: connections[0] (a -> b): tensor '0.bias' [8] is not a matrix or a convolution kernel"),
                Arguments.of("\"groups\": [{\"name\": \"a\", \"tensor\": \"0.weight\", \"axis\": 2}, {\"name\": \"b\", \"size\": 8}],"
                        + " \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"tensor\": \"0.weight\"}]",
                        "w.json: groups[0] ('a'): tensor '0.weight' has shape [8, 6], which has no axis 2"),
                Arguments.of("\"groups\": [{\"name\": \"a\", \"size\": 5, \"tensor\": \"0.weight\", \"axis\": 1}, {\"name\": \"b\", \"size\": 8}],"
                        + " \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"tensor\": \"0.weight\"}]",
                        "w.json: groups[0] ('a'): size 5, but axis 1 of tensor '0.weight' [8, 6] has 6"),
                Arguments.of("\"groups\": [{\"name\": \"a\", \"size\": 6}, {\"name\": \"b\", \"size\": 8}],"
                        + " \"samples\": [{\"name\": \"a\", \"population\": 7}, {\"name\": \"b\"}],"
                        + " \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"tensor\": \"0.weight\"}]",
                        "w.json: groups[0] ('a') has 6 neurons, but its sample 'a' draws from 7"),
                Arguments.of(groups + " \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"fixed\": 1, \"to_range\": [2, 9]}]",
                        "w.json: connections[0] (a -> b): to_range [2, 9] runs past the 8 neurons of group 'b'"),
                Arguments.of("\"groups\": [{\"name\": \"a\", \"size\": 6, \"sample\": \"t\"}, {\"name\": \"b\", \"size\": 8}],"
                        + " \"samples\": [{\"name\": \"t\", \"tile\": \"s\", \"copies\": 2, \"stride\": 2}, {\"name\": \"s\", \"population\": 3}, {\"name\": \"b\"}],"
                        + " \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"tensor\": \"0.weight\"}]",
                        "w.json: samples[0] ('t'): copies of 's' (indices below 3) overlap at stride 2"));
    }

    @ParameterizedTest
    @MethodSource("filesThatDoNotFitTheCheckpoint")
    void aWiringFileThatDoesNotFitTheTensorsIsOneLineNamingTheFile(String body, String message) throws IOException {
        try (Checkpoint checkpoint = mlp()) {
            assertThatThrownBy(() -> wired(checkpoint, "{\"neuromfa_wiring\": 1, " + body + "}"))
                    .isInstanceOf(NeuroMfaException.class).hasMessageStartingWith(message)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }
}

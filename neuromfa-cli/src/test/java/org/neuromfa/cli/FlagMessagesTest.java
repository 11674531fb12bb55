package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;

/**
 * The library's messages name its settings as the results' parameters do ({@code hops},
 * {@code radius_range}); the command line names them by their flags. One case per message that names
 * a setting, checked as the user sees it: the exact line on stderr, exit code 2.
 */
class FlagMessagesTest {

    static Stream<Arguments> badOptions() {
        String g = Cli.golden("neox-d128-l4-normal-f32").toString();
        String onnx = DemoModels.directory().resolve(DemoModels.FLOAT32).toString();
        return Stream.of(
                Arguments.of(new String[] {"analyze", g, "--samples", "0"}, "--samples must be at least 1, not 0"),
                Arguments.of(new String[] {"analyze", g, "--first-seed", "-1"}, "--first-seed must be in [0, 2^32), not -1"),
                Arguments.of(new String[] {"analyze", g, "--nodes-per-layer", "0"}, "--nodes-per-layer must be at least 1, not 0"),
                Arguments.of(new String[] {"analyze", g, "--threshold", "0.5"},
                        "--threshold must be greater than 1 and at most 1e7, not 0.5"),
                Arguments.of(new String[] {"analyze", g, "--hops", "0"}, "--hops must be between 1 and 64, not 0"),
                Arguments.of(new String[] {"analyze", g, "--lambda", "0"}, "--lambda must be a positive number, not 0.0"),
                Arguments.of(new String[] {"analyze", g, "--gamma", "-1"}, "--gamma must be a non-negative number, not -1.0"),
                Arguments.of(new String[] {"analyze", g, "--estimate-edges", "0"}, "--estimate-edges must be at least 1, not 0"),
                Arguments.of(new String[] {"analyze", g, "--shortest-paths", "fast"},
                        "--shortest-paths must be exact, bounded or estimated, not 'fast'"),
                Arguments.of(new String[] {"analyze", g, "--path-distance", "mean"},
                        "--path-distance must be sum, power or linear, not 'mean'"),
                Arguments.of(new String[] {"analyze", g, "--spectrum", "other"}, "--spectrum must be reference or legendre, not 'other'"),
                Arguments.of(new String[] {"analyze", g, "--spectrum", "legendre", "--q-min", "0", "--q-max", "0.1",
                    "--q-step", "0.1", "--samples", "1"}, "--spectrum legendre needs at least 3 values of q, not 2"),
                Arguments.of(new String[] {"analyze", g, "--min-r-squared", "2"}, "--min-r-squared must be between 0 and 1, not 2.0"),
                Arguments.of(new String[] {"analyze", g, "--radius-range", "5"},
                        "--radius-range must look like lo:hi (for example 5:120) or be auto, not '5'"),
                Arguments.of(new String[] {"analyze", g, "--radius-range", "9:3"}, "--radius-range needs 0 <= lo < hi, not 9.0:3.0"),
                Arguments.of(new String[] {"analyze", g, "--samples", "1", "--nodes-per-layer", "4", "--radius-range", "5:7"},
                        "seed 0: only 0 of the radii 15..115 lie in --radius-range 5:7; the fit needs at least 2"),
                Arguments.of(new String[] {"analyze", g, "--samples", "1", "--nodes-per-layer", "4", "--threshold", "1.01"},
                        "seed 0: no node has more than 10 distances in (1, 1.01], so the spectrum is undefined"
                                + " (try a larger --threshold or --nodes-per-layer)"),
                Arguments.of(new String[] {"analyze", g, "--qkv-layout", "rows"}, "--qkv-layout must be 'thirds' or 'heads', not 'rows'"),
                Arguments.of(new String[] {"analyze", onnx, "--qkv-layout", "heads"},
                        onnx + ": --qkv-layout heads applies to GPT-NeoX models only"),
                Arguments.of(new String[] {"analyze", g, "--revision", "main"},
                        g + ": --revision applies to Hub models, not to a local path"),
                Arguments.of(new String[] {"analyze", "a/b@step1", "--revision", "step2"},
                        "a/b@step1: names revision 'step1' but --revision says 'step2'"),
                Arguments.of(new String[] {"analyze", "a/b@main", "--connections", "0"},
                        "--connections must be from 1 to 256, not 0"),
                Arguments.of(new String[] {"demo", "--init-std", "0"}, "--init-std must be positive, not 0.0"));
    }

    @ParameterizedTest
    @MethodSource("badOptions")
    void settingsAreNamedByTheirFlags(String[] args, String message) {
        Cli r = Cli.run(args);
        assertThat(r.exitCode).as(r.toString()).isEqualTo(2);
        assertThat(r.err).isEqualTo("neuromfa: " + message + System.lineSeparator());
    }

    @Test
    void scalingWithoutACommonStepAsksForTheFlag(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a.json");
        Files.writeString(a, "{\"parameters\":{},\"revisions\":[{\"revision\":\"main\",\"step\":null,"
                + "\"parameter_count\":10,\"samples\":[{\"seed\":0,\"kept\":true,\"alpha0\":1.3,\"width\":0.6}]}]}");
        Cli r = Cli.run("scaling", a.toString(), a.toString());
        assertThat(r.exitCode).as(r.toString()).isEqualTo(2);
        assertThat(r.err).isEqualTo("neuromfa: the trajectories have no training step in common (checkpoints need stepN"
                + " labels); give --step N" + System.lineSeparator());
    }

    /** A message names settings as the library's parameters; the command line renders them as flags. */
    @Test
    void theLibraryNamesSettingsAsItsParametersAndTheCommandLineAsFlags() {
        NeuroMfaException e = new NeuroMfaException("m.safetensors", "try a larger " + Message.setting("threshold")
                + ", more " + Message.setting("nodes_per_layer") + " or another " + Message.setting("estimator"));
        assertThat(e.getMessage()).isEqualTo("m.safetensors: try a larger threshold, more nodes_per_layer or another estimator");
        assertThat(Flags.message(e))
                .isEqualTo("m.safetensors: try a larger --threshold, more --nodes-per-layer or another --spectrum");
        NeuroMfaException wrapped = new NeuroMfaException(null, e.message().prefixed("seed 3: "), null);
        assertThat(Flags.message(wrapped)).startsWith("seed 3: m.safetensors: try a larger --threshold,");
        // Hostile text stays one line, whatever it holds.
        assertThat(new NeuroMfaException("a\nb " + Message.setting("hops")).getMessage()).isEqualTo("a\\u000ab hops");
    }
}

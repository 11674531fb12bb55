package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code analyze} with multi-hop distances, the Legendre spectrum and the fit diagnostics. */
class MultiHopCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void explicitOneHopReproducesGolden() throws Exception {
        Path dir = Cli.golden("neox-d128-l4-student-f16");
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
        Path json = tmp.resolve("out.json");
        Cli r = Cli.run("analyze", dir.toString(), "--samples", "3",
                "--nodes-per-layer", expected.get("nodes_per_layer").asText(),
                "--threshold", expected.get("threshold").asText(), "--hops", "1", "--path-distance", "sum",
                "--shortest-paths", "exact", "--spectrum", "reference", "--json", json.toString());
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.err).doesNotContain("warning");
        JsonNode actual = JSON.readTree(json.toFile());
        GoldenComparison.assertSamplesMatch(expected, actual);
        JsonNode distances = actual.get("parameters").get("distances");
        assertThat(distances.get("hops").asInt()).isEqualTo(1);
        assertThat(distances.get("path_distance").asText()).isEqualTo("sum");
        JsonNode spectrum = actual.get("parameters").get("spectrum");
        assertThat(spectrum.get("estimator").asText()).isEqualTo("reference");
        assertThat(spectrum.get("radius_range").get(1).isNull()).isTrue();
        for (JsonNode s : actual.get("samples")) {
            assertThat(s.get("scaling_points").asInt()).isEqualTo(s.get("radii").asInt());
            assertThat(s.get("scaling_range").get(0).asInt()).isLessThan(s.get("scaling_range").get(1).asInt());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void multiHopWithLegendreSpectrumNfdAndScalingRange(int hops) throws Exception {
        Path dir = Cli.golden("neox-d128-l4-normal-f32");
        Path json = tmp.resolve("out.json");
        Path nfd = tmp.resolve("nfd.csv");
        Cli r = Cli.run("analyze", dir.toString(), "--samples", "3", "--hops", "" + hops,
                "--path-distance", "power", "--lambda", "1", "--gamma", "0.5",
                "--spectrum", "legendre", "--radius-range", "5:140", "--json", json.toString(), "--nfd", nfd.toString());
        assertThat(r.exitCode).as(r.toString()).isZero();
        JsonNode actual = JSON.readTree(json.toFile());
        JsonNode distances = actual.get("parameters").get("distances");
        assertThat(distances.get("hops").asInt()).isEqualTo(hops);
        assertThat(distances.get("path_distance").asText()).isEqualTo("power");
        assertThat(distances.get("gamma").asDouble()).isEqualTo(0.5);
        JsonNode spectrum = actual.get("parameters").get("spectrum");
        assertThat(spectrum.get("estimator").asText()).isEqualTo("legendre");
        assertThat(spectrum.get("radius_range").get(0).asDouble()).isEqualTo(5);
        assertThat(spectrum.get("radius_range").get(1).asDouble()).isEqualTo(140);
        for (JsonNode s : actual.get("samples")) {
            assertThat(s.get("alpha").size()).isEqualTo(61);
            assertThat(s.get("f_alpha").size()).isEqualTo(61);
            // tau(0) = 0, so the Legendre spectrum peaks at q = 0 with f = 0.
            assertThat(s.get("f_alpha").get(30).asDouble()).isEqualTo(0.0);
            assertThat(s.get("alpha0").asDouble()).isEqualTo(s.get("alpha").get(30).asDouble());
            assertThat(s.get("scaling_range").get(0).asInt()).isGreaterThanOrEqualTo(5);
            assertThat(s.get("scaling_range").get(1).asInt()).isLessThanOrEqualTo(140);
            assertThat(s.get("scaling_points").asInt()).isLessThan(s.get("radii").asInt());
            assertThat(s.get("nfd").size()).isEqualTo(s.get("nfd_node_ids").size()).isPositive();
        }
        List<String> lines = Files.readAllLines(nfd);
        assertThat(lines.get(0)).isEqualTo("model,seed,node_id,nfd");
        assertThat(lines).hasSizeGreaterThan(1);
    }

    @Test
    void poorFitsGiveOneWarningLinePerCheckpoint() {
        Path dir = Cli.golden("neox-d128-l4-normal-f32");
        Cli r = Cli.run("analyze", dir.toString(), "--samples", "3", "--hops", "2", "--min-r-squared", "0.99");
        assertThat(r.exitCode).as(r.toString()).isZero();
        List<String> warnings = r.err.lines().filter(l -> l.contains("warning")).toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).startsWith("neuromfa: warning: neox-d128-l4-normal-f32: R^2 of the tau(q) fit"
                + " is below 0.99 for ").contains("in 3 of 3 samples");
        Cli quiet = Cli.run("analyze", dir.toString(), "--samples", "3", "--hops", "2", "--min-r-squared", "0");
        assertThat(quiet.err).doesNotContain("warning");
    }

    @Test
    void estimatedShortestPathsRun() throws Exception {
        Path dir = Cli.golden("neox-d96-l3-rowscaled-bf16");
        Path json = tmp.resolve("est.json");
        Cli r = Cli.run("analyze", dir.toString(), "--samples", "2", "--nodes-per-layer", "12", "--hops", "3",
                "--shortest-paths", "estimated", "--estimate-edges", "4", "--json", json.toString());
        assertThat(r.exitCode).as(r.toString()).isZero();
        JsonNode distances = JSON.readTree(json.toFile()).get("parameters").get("distances");
        assertThat(distances.get("shortest_paths").asText()).isEqualTo("estimated");
        assertThat(distances.get("estimate_edges").asInt()).isEqualTo(4);
    }

    @Test
    void badOptionsAreOneLineErrors() {
        Path dir = Cli.golden("neox-d96-l3-rowscaled-bf16");
        String[][] cases = {
            {"--hops", "0"}, {"--path-distance", "mean"}, {"--lambda", "-1"}, {"--shortest-paths", "fast"},
            {"--spectrum", "smooth"}, {"--radius-range", "5"}, {"--radius-range", "9:3"}, {"--min-r-squared", "2"},
            {"--radius-range", "1000:2000"}};
        for (String[] c : cases) {
            Cli r = Cli.run("analyze", dir.toString(), "--samples", "1", "--nodes-per-layer", "12", c[0], c[1]);
            assertThat(r.exitCode).as(String.join(" ", c) + "\n" + r).isEqualTo(2);
            assertThat(r.err.trim().lines().count()).as(r.toString()).isEqualTo(1);
            assertThat(r.err).startsWith("neuromfa: ");
        }
    }

    @Test
    void helpListsTheNewOptions() {
        Cli r = Cli.run("analyze", "--help");
        for (String option : new String[] {"--hops", "--path-distance", "--lambda", "--gamma", "--shortest-paths",
                "--estimate-edges", "--spectrum", "--radius-range", "--min-r-squared"}) {
            assertThat(r.out).contains(option);
        }
    }
}

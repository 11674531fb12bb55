package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The acceptance of the analyze command: for every golden fixture with a model.safetensors,
 * {@code analyze DIR --samples 3 --nodes-per-layer K --threshold T --json out.json --nfd nfd.csv}
 * reproduces expected.json.
 */
class AnalyzeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static List<String> fixtures() throws Exception {
        try (Stream<Path> s = Files.list(Cli.golden(""))) {
            return s.filter(p -> Files.isRegularFile(p.resolve("model.safetensors")))
                    .map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void jsonAndNfdMatchGolden(String fixture) throws Exception {
        Path dir = Cli.golden(fixture);
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
        Path json = tmp.resolve("out.json");
        Path nfd = tmp.resolve("nfd.csv");
        Cli r = Cli.run("analyze", dir.toString(), "--samples", "3",
                "--nodes-per-layer", expected.get("nodes_per_layer").asText(),
                "--threshold", expected.get("threshold").asText(),
                "--json", json.toString(), "--nfd", nfd.toString());
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).contains("alpha0").contains(fixture);
        JsonNode actual = JSON.readTree(json.toFile());
        GoldenComparison.assertSamplesMatch(expected, actual);
        GoldenComparison.assertNfdCsvMatches(expected, Files.readAllLines(nfd));
        assertThat(actual.get("parameters").get("nodes_per_layer").asInt()).isEqualTo(expected.get("nodes_per_layer").asInt());
        assertThat(actual.get("bytes_read").asLong()).isPositive().isLessThanOrEqualTo(actual.get("bytes_total").asLong());
    }

    @Test
    void jsonToStandardOutputKeepsSummaryOnStderr() {
        Path dir = Cli.golden("neox-d96-l3-rowscaled-bf16");
        Cli r = Cli.run("analyze", dir.toString(), "--samples", "1", "--nodes-per-layer", "12", "--json", "-");
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out.trim()).startsWith("{").endsWith("}");
        assertThat(r.err).contains("alpha0");
    }

    @Test
    void helpExplainsEveryOption() {
        Cli r = Cli.run("analyze", "--help");
        assertThat(r.exitCode).isZero();
        for (String option : new String[] {"--samples", "--first-seed", "--nodes-per-layer", "--threshold",
                "--q-min", "--q-max", "--q-step", "--filter-mode", "--nfd", "--json", "--csv"}) {
            assertThat(r.out).contains(option);
        }
        assertThat(Cli.run("--help").out).contains("analyze");
    }
}

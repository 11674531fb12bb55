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
    void outputsNeedTheirDirectoryAndAModelFileIsLabelledByItsName() throws Exception {
        Path dir = Cli.golden("neox-d96-l3-rowscaled-bf16");
        Path missing = tmp.resolve("typo/x.json");
        Cli r = Cli.run("analyze", dir.toString(), "--samples", "1", "--nodes-per-layer", "12", "--json", missing.toString());
        assertThat(r.exitCode).as(r.toString()).isEqualTo(2);
        assertThat(r.err).endsWith("neuromfa: " + missing + ": cannot write: no directory " + tmp.resolve("typo")
                + " (create it first)" + System.lineSeparator());
        assertThat(tmp.resolve("typo")).doesNotExist();
        // A weights file is labelled by itself, not by its folder (issue 15: "model: models").
        Path file = Files.copy(dir.resolve("model.safetensors"), tmp.resolve("rowscaled-step1000.safetensors"));
        Files.copy(dir.resolve("config.json"), tmp.resolve("config.json"));
        Path json = tmp.resolve("x.json");
        Cli f = Cli.run("analyze", file.toString(), "--samples", "1", "--nodes-per-layer", "12", "--json", json.toString());
        assertThat(f.exitCode).as(f.toString()).isZero();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).get("model").asText())
                .isEqualTo("rowscaled-step1000");
        // A file others can read (the umask's mode), not 0600.
        if (Files.getFileStore(json).supportsFileAttributeView("posix")) {
            Path plain = Files.createFile(tmp.resolve("plain"));
            assertThat(Files.getPosixFilePermissions(json)).isEqualTo(Files.getPosixFilePermissions(plain));
        }
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

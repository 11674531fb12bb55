package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inspect --wiring} prints a detected family as a wiring file; {@code analyze --wiring} of
 * that file reproduces the golden numbers; wiring files that are malformed or do not fit the
 * checkpoint end with one line naming the file and exit code 2.
 */
class WiringCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theWiringThatInspectPrintsReproducesTheGoldenNumbers() throws Exception {
        Path fixture = Cli.golden("neox-d128-l4-normal-f32");
        Cli inspect = Cli.run("inspect", fixture.toString(), "--wiring");
        assertThat(inspect.exitCode).as(inspect.toString()).isZero();
        assertThat(inspect.out).startsWith("{\n  \"neuromfa_wiring\": 1,\n  \"family\": \"gpt_neox\",\n  \"groups\": [\n"
                + "    {\"name\": \"block0.input\", \"size\": 128, \"sample\": \"block0_nums1\"},\n");
        assertThat(inspect.out).contains("{\"name\": \"block0_nums2\", \"tile\": \"block0_nums3\", \"copies\": 3, \"stride\": 128}",
                "{\"from\": \"block0.qkv\", \"to\": \"block0.mix\", \"fixed\": 1.0, \"pattern\": \"same_index\", \"from_range\": [0, 128]}");
        Path wiring = tmp.resolve("pythia.json");
        Files.writeString(wiring, inspect.out);
        JsonNode expected = JSON.readTree(fixture.resolve("expected.json").toFile());
        Path json = tmp.resolve("out.json");
        Cli r = Cli.run("analyze", fixture.toString(), "--wiring", wiring.toString(), "--samples", "3",
                "--nodes-per-layer", expected.get("nodes_per_layer").asText(), "--threshold", expected.get("threshold").asText(),
                "--json", json.toString());
        assertThat(r.exitCode).as(r.toString()).isZero();
        JsonNode result = JSON.readTree(json.toFile());
        GoldenComparison.assertSamplesMatch(expected, result);
        assertThat(result.get("architecture").get("wiring").asText()).isEqualTo(wiring.toString());
        assertThat(result.get("parameters").get("wiring_sha256").asText()).hasSize(64);
        assertThat(result.get("parameters").has("kernel_aggregation")).isFalse();

        // Listing the file's groups and connections checks it against the tensors.
        Cli listed = Cli.run("inspect", fixture.toString(), "--wiring-file", wiring.toString());
        assertThat(listed.exitCode).as(listed.toString()).isZero();
        assertThat(listed.out).contains("architecture: gpt_neox, wiring=" + wiring + ", groups=21, connections=24",
                "  block0.qkv 384 [0:128] -> block0.mix 128 (fixed weight 1, equal indices)",
                "  block3.mlp 512 -> output 128 [gpt_neox.layers.3.mlp.dense_4h_to_h.weight]");
    }

    @Test
    void aWiringFileThatNamesAMissingTensorIsOneLine() throws Exception {
        Path wiring = tmp.resolve("bad.json");
        Files.writeString(wiring, "{\"neuromfa_wiring\": 1, \"groups\": [{\"name\": \"a\", \"size\": 128},"
                + " {\"name\": \"b\", \"size\": 128}], \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"tensor\": \"layers.0.dense.weight\"}]}");
        Cli r = Cli.run("analyze", Cli.golden("neox-d128-l4-normal-f32").toString(), "--wiring", wiring.toString());
        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.err).startsWith("neuromfa: " + wiring + ": connections[0] (a -> b): no tensor 'layers.0.dense.weight' in ")
                .doesNotContain("Exception").hasLineCount(1);
    }

    @Test
    void malformedWiringFilesAndOptionsAreOneLine() throws Exception {
        Path fixture = Cli.golden("neox-d128-l4-normal-f32");
        Path wiring = tmp.resolve("broken.json");
        Files.writeString(wiring, "{\"neuromfa_wiring\": 1, \"groups\": [{\"name\": \"a\", \"size\": -3}], \"connections\": []}");
        Cli r = Cli.run("analyze", fixture.toString(), "--wiring", wiring.toString());
        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.err).isEqualTo("neuromfa: " + wiring + ": groups[0].size must be a positive integer, not -3\n");

        Cli missing = Cli.run("trajectory", fixture.toString(), "--wiring", tmp.resolve("nope.json").toString(), "--no-store");
        assertThat(missing.exitCode).isEqualTo(2);
        assertThat(missing.err).isEqualTo("neuromfa: " + tmp.resolve("nope.json") + ": no such file\n");

        Cli aggregation = Cli.run("analyze", fixture.toString(), "--kernel-aggregation", "median");
        assertThat(aggregation.exitCode).isEqualTo(2);
        assertThat(aggregation.err).isEqualTo("neuromfa: kernel aggregation must be l2, max, mean or l1, not 'median'\n");

        Cli heads = Cli.run("inspect", fixture.toString(), "--wiring", "--qkv-layout", "heads");
        assertThat(heads.exitCode).isEqualTo(2);
        assertThat(heads.err).contains("has no wiring-file description").hasLineCount(1);
    }
}

package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options beside the reference wiring, on a golden GPT-NeoX fixture, and inspect on it. */
class ArchitectureOptionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIXTURE = "neox-d128-l4-normal-f32";

    @TempDir
    Path tmp;

    private JsonNode analyze(String... extra) throws Exception {
        Path json = tmp.resolve("r" + extra.length + ".json");
        String[] args = new String[6 + extra.length];
        args[0] = "analyze";
        args[1] = Cli.golden(FIXTURE).toString();
        args[2] = "--samples";
        args[3] = "2";
        args[4] = "--json";
        args[5] = json.toString();
        System.arraycopy(extra, 0, args, 6, extra.length);
        Cli r = Cli.run(args);
        assertThat(r.exitCode).as(r.toString()).isZero();
        return JSON.readTree(json.toFile());
    }

    @Test
    void defaultsAreReportedAndOptionsChangeTheWiring() throws Exception {
        JsonNode reference = analyze();
        assertThat(reference.get("parameters").get("qkv_layout").asText()).isEqualTo("thirds");
        assertThat(reference.get("parameters").get("normalize_weights").asBoolean()).isFalse();

        JsonNode heads = analyze("--qkv-layout", "heads");
        assertThat(heads.get("parameters").get("qkv_layout").asText()).isEqualTo("heads");
        assertThat(heads.get("architecture").get("qkv_layout").asText()).isEqualTo("heads");
        // Same draws, other rows: the sampled QKV rows differ from the reference's thirds.
        JsonNode refPlan = reference.get("samples").get(0).get("plan");
        JsonNode headsPlan = heads.get("samples").get(0).get("plan");
        assertThat(headsPlan.get("block0_nums3")).isEqualTo(refPlan.get("block0_nums3"));
        assertThat(headsPlan.get("block0_nums2")).isNotEqualTo(refPlan.get("block0_nums2"));

        JsonNode normalized = analyze("--normalize-weights");
        assertThat(normalized.get("parameters").get("normalize_weights").asBoolean()).isTrue();
        assertThat(normalized.get("samples").get(0).get("edges").asInt())
                .isEqualTo(reference.get("samples").get(0).get("edges").asInt());
        assertThat(normalized.get("alpha0_mean").asDouble()).isNotEqualTo(reference.get("alpha0_mean").asDouble());
        // The standard deviations need every analysed matrix read whole.
        assertThat(normalized.get("bytes_read").asLong()).isGreaterThan(reference.get("bytes_read").asLong());
        // Read more than the file holds (whole matrices, then their rows): said so, not "read 97 MiB of 87 MiB".
        assertThat(AnalyzeCommand.readLine(20L << 20, 80L << 20)).isEqualTo("read 20.0 MiB of 80.0 MiB");
        assertThat(AnalyzeCommand.readLine(97L << 20, 87L << 20))
                .isEqualTo("read 97.0 MiB from 87.0 MiB of weights (some parts more than once)");
    }

    @Test
    void badLayoutIsAOneLineError() {
        Cli r = Cli.run("analyze", Cli.golden(FIXTURE).toString(), "--qkv-layout", "rows");
        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.err.trim()).isEqualTo("neuromfa: --qkv-layout must be 'thirds' or 'heads', not 'rows'");
    }

    @Test
    void inspectShowsTheNeoXWiring() {
        Cli r = Cli.run("inspect", Cli.golden(FIXTURE).toString());
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).contains("architecture: gpt_neox, hidden_size=128")
                .contains("attention.query_key_value.weight")
                .contains("(thirds)")
                .contains("block0_nums1, block0_nums2");
    }

    @Test
    void inspectOfAnUnknownModelFailsWithOneLine() throws Exception {
        Files.write(tmp.resolve("config.json"), "{\"model_type\": \"t5\"}".getBytes());
        Files.copy(Cli.golden(FIXTURE).resolve("model.safetensors"), tmp.resolve("model.safetensors"));
        Cli r = Cli.run("inspect", tmp.toString());
        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.out).contains("architecture: not recognised");
        assertThat(r.err).contains("unsupported architecture: model_type 't5'");
    }
}

package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.testhub.HubServer;

/** {@code trajectory --sweep}: one trajectory per value, each as on its own, from one read of each checkpoint. */
class SweepCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static String[] args(List<String> checkpoints, String... extra) {
        String[] base = {"trajectory"};
        String[] common = {"--samples", "3", "--no-store", "--threads", "2"};
        String[] out = new String[base.length + checkpoints.size() + common.length + extra.length];
        int n = 0;
        for (String s : base) {
            out[n++] = s;
        }
        for (String s : checkpoints) {
            out[n++] = s;
        }
        for (String s : common) {
            out[n++] = s;
        }
        for (String s : extra) {
            out[n++] = s;
        }
        return out;
    }

    private static final List<String> LOCAL = List.of(Cli.golden("neox-d128-l4-normal-f32").toString(),
            Cli.golden("neox-d128-l4-student-f16").toString());

    @Test
    void eachValuesTrajectoryIsTheTrajectoryOfThatValue() throws Exception {
        Path json = tmp.resolve("sweep.json");
        Path csv = tmp.resolve("sweep.csv");
        Path plots = tmp.resolve("plots");
        Cli r = Cli.run(args(LOCAL, "--sweep", "nodes-per-layer=8,16", "--json", json.toString(), "--csv", csv.toString(),
                "--plots", plots.toString()));
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).contains("E by nodes_per_layer").contains("E 8").contains("E 16");
        JsonNode sweep = JSON.readTree(json.toFile());
        assertThat(sweep.get("kind").asText()).isEqualTo("sweep");
        assertThat(sweep.get("setting").asText()).isEqualTo("nodes_per_layer");
        int k = 0;
        for (String value : new String[] {"8", "16"}) {
            Path one = tmp.resolve("k" + value + ".json");
            Cli single = Cli.run(args(LOCAL, "--nodes-per-layer", value, "--json", one.toString()));
            assertThat(single.exitCode).as(single.toString()).isZero();
            JsonNode alone = JSON.readTree(one.toFile());
            assertThat(sweep.get("trajectories").get(k)).isEqualTo(alone);
            assertThat(sweep.get("summary").get(1).get("emergence").get(k).asDouble())
                    .isEqualTo(alone.get("revisions").get(1).get("emergence").asDouble());
            k++;
        }
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).startsWith("nodes_per_layer,revision,step,");
        assertThat(lines).hasSize(5);
        assertThat(lines.get(1)).startsWith("8,");
        assertThat(lines.get(4)).startsWith("16,");
        assertThat(plots.resolve("sweep-emergence.png")).isNotEmptyFile();
        assertThat(plots.resolve("sweep-emergence.svg")).isNotEmptyFile();
        Cli report = Cli.run("report", json.toString(), "--out", tmp.resolve("r.html").toString());
        assertThat(report.exitCode).as(report.toString()).isZero();
        String html = Files.readString(tmp.resolve("r.html"));
        assertThat(html).contains("<h3>E by nodes_per_layer</h3>").contains("nodes_per_layer = 8")
                .contains("nodes_per_layer = 16");
    }

    @Test
    void thresholdSweepsAndBadSweepsAreOneLineErrors() throws Exception {
        Cli r = Cli.run(args(LOCAL, "--sweep", "threshold=100,150", "--null", "shuffle"));
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).contains("E 100").contains("E 150").contains("null 100");
        for (String bad : new String[] {"k=1,2", "nodes-per-layer=16", "nodes-per-layer=8,8", "nodes-per-layer=8.5,16",
            "threshold=a,b", "nodes-per-layer"}) {
            Cli e = Cli.run(args(LOCAL, "--sweep", bad));
            assertThat(e.exitCode).as(bad + "\n" + e).isEqualTo(2);
            assertThat(e.err.trim().lines().count()).as(e.toString()).isEqualTo(1);
            assertThat(e.err).contains("--sweep");
        }
    }

    /**
     * Over the Hub: the sweep reports what the values report apart, and its checkpoints' bytes are
     * fetched once (never more than the files hold). How many bytes and requests a run makes depends
     * on the transfer's timing (the client adapts to the link), so only the bound is asserted.
     */
    @Test
    void aSweepOverTheHubReportsWhatTheValuesReportApart() throws Exception {
        try (HubServer hub = new HubServer()) {
            Path a = Cli.golden("neox-d128-l4-normal-f32");
            Path b = Cli.golden("neox-d128-l4-student-f16");
            hub.serve("golden/neox", "step0", a);
            hub.serve("golden/neox", "step1000", b);
            long files = 0;
            for (Path dir : List.of(a, b)) {
                try (var list = Files.list(dir)) {
                    for (Path f : (Iterable<Path>) list::iterator) {
                        files += Files.size(f);
                    }
                }
            }
            List<String> hubModels = List.of("golden/neox@step0", "golden/neox@step1000");
            String[][] runs = {{"--nodes-per-layer", "8"}, {"--nodes-per-layer", "16"}, {"--sweep", "nodes-per-layer=8,16"}};
            JsonNode[] out = new JsonNode[3];
            for (int i = 0; i < runs.length; i++) {
                Map<String, String> env = new HashMap<>();
                env.put("HF_ENDPOINT", hub.endpoint());
                env.put("HF_HUB_CACHE", tmp.resolve("cache" + i).toString());
                long before = hub.contentBytesSent.get();
                Path json = tmp.resolve("hub" + i + ".json");
                String[] extra = new String[runs[i].length + 2];
                System.arraycopy(runs[i], 0, extra, 0, runs[i].length);
                extra[runs[i].length] = "--json";
                extra[runs[i].length + 1] = json.toString();
                Cli r = Cli.runWithEnv(env, args(hubModels, extra));
                assertThat(r.exitCode).as(r.toString()).isZero();
                assertThat(hub.contentBytesSent.get() - before).isLessThanOrEqualTo(files);
                out[i] = JSON.readTree(json.toFile());
            }
            assertThat(out[2].get("trajectories").get(0)).isEqualTo(out[0]);
            assertThat(out[2].get("trajectories").get(1)).isEqualTo(out[1]);
        }
    }
}

package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evidence options on the golden fixtures: --radius-range auto, --bootstrap, --null, --evidence. */
class EvidenceCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private JsonNode analyze(String name, String... extra) throws Exception {
        Path json = tmp.resolve(name + ".json");
        String[] base = {"analyze", Cli.golden("neox-d128-l4-normal-f32").toString(), "--samples", "4",
            "--nodes-per-layer", "16", "--json", json.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        Cli r = Cli.run(args);
        assertThat(r.exitCode).as(r.toString()).isZero();
        return JSON.readTree(json.toFile());
    }

    @Test
    void autoRecordsItsWindowAndFitsEverySampleOverIt() throws Exception {
        JsonNode plain = analyze("plain");
        JsonNode auto = analyze("auto", "--radius-range", "auto");
        assertThat(plain.has("scaling_window")).isFalse();
        assertThat(auto.get("parameters").get("spectrum").get("radius_range").asText()).isEqualTo("auto");
        JsonNode w = auto.get("scaling_window");
        assertThat(w.get("rule").asText()).isIn("target_reached", "best_fit", "all_radii");
        int lo = w.get("radius_range").get(0).asInt();
        int hi = w.get("radius_range").get(1).asInt();
        assertThat(w.get("ln_span").asDouble()).isCloseTo(Math.log((double) hi / lo), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(w.get("ln_span").asDouble()).isGreaterThanOrEqualTo(w.get("min_ln_span").asDouble());
        double lowest = 1;
        for (JsonNode s : auto.get("samples")) {
            // every sample over the one window: its fit starts and ends at radii within it
            assertThat(s.get("scaling_range").get(0).asInt()).isGreaterThanOrEqualTo(lo);
            assertThat(s.get("scaling_range").get(1).asInt()).isLessThanOrEqualTo(hi);
            assertThat(s.has("partition")).isFalse();
            for (JsonNode r2 : s.get("r_squared")) {
                lowest = Math.min(lowest, r2.asDouble());
            }
        }
        assertThat(w.get("lowest_r_squared").asDouble()).isEqualTo(lowest);
        if (w.get("target_reached").asBoolean()) {
            assertThat(lowest).isGreaterThanOrEqualTo(0.9);
        }
        // the chosen window fits no worse than all radii do
        double plainLowest = 1;
        for (JsonNode s : plain.get("samples")) {
            for (JsonNode r2 : s.get("r_squared")) {
                plainLowest = Math.min(plainLowest, r2.asDouble());
            }
        }
        assertThat(lowest).isGreaterThanOrEqualTo(plainLowest);
    }

    @Test
    void bootstrapIntervalsAreReproducibleAndIndependentOfThreads() throws Exception {
        JsonNode one = analyze("b1", "--bootstrap", "500", "--bootstrap-seed", "3", "--threads", "1");
        JsonNode two = analyze("b2", "--bootstrap", "500", "--bootstrap-seed", "3", "--threads", "3");
        JsonNode other = analyze("b3", "--bootstrap", "500", "--bootstrap-seed", "4", "--threads", "1");
        assertThat(one.get("alpha0_interval")).isEqualTo(two.get("alpha0_interval"));
        assertThat(one.get("width_interval")).isEqualTo(two.get("width_interval"));
        assertThat(one.get("alpha0_interval")).isNotEqualTo(other.get("alpha0_interval"));
        double mean = one.get("alpha0_mean").asDouble();
        assertThat(one.get("alpha0_interval").get(0).asDouble()).isLessThanOrEqualTo(mean);
        assertThat(one.get("alpha0_interval").get(1).asDouble()).isGreaterThanOrEqualTo(mean);
        assertThat(one.get("parameters").get("bootstrap").get("resamples").asInt()).isEqualTo(500);
        // the samples are those of a run without the bootstrap
        assertThat(one.get("samples")).isEqualTo(analyze("nob", "--threads", "1").get("samples"));
    }

    @Test
    void theNullIsReportedBesideTheRealAnalysisWithoutReadingMore() throws Exception {
        JsonNode plain = analyze("real");
        JsonNode shuffled = analyze("shuffle", "--null", "shuffle");
        assertThat(shuffled.get("parameters").get("null_model").asText()).isEqualTo("shuffle");
        assertThat(shuffled.get("samples")).isEqualTo(plain.get("samples"));
        assertThat(shuffled.get("alpha0_mean")).isEqualTo(plain.get("alpha0_mean"));
        assertThat(shuffled.get("bytes_read")).isEqualTo(plain.get("bytes_read"));
        assertThat(shuffled.get("fingerprint")).isEqualTo(plain.get("fingerprint"));
        JsonNode n = shuffled.get("under_null");
        assertThat(n.get("model").asText()).isEqualTo("shuffle");
        assertThat(n.get("samples").size()).isEqualTo(4);
        // the same networks' sizes (the same rows, the same values), other arrangements
        for (int i = 0; i < 4; i++) {
            assertThat(n.get("samples").get(i).get("edges")).isEqualTo(plain.get("samples").get(i).get("edges"));
        }
        assertThat(n.get("alpha0_mean").asDouble()).isNotEqualTo(plain.get("alpha0_mean").asDouble());
        Path csv = tmp.resolve("null.csv");
        analyze("csv", "--null", "shuffle", "--csv", csv.toString());
        java.util.List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).endsWith(",width,null_model");
        assertThat(lines).hasSize(9);
        assertThat(lines.get(1)).endsWith(",none");
        assertThat(lines.get(8)).endsWith(",shuffle");
        JsonNode g = analyze("gaussian", "--null", "gaussian").get("under_null");
        assertThat(g.get("model").asText()).isEqualTo("gaussian");
        assertThat(g.get("alpha0_mean").asDouble()).isNotEqualTo(n.get("alpha0_mean").asDouble());
    }

    @Test
    void evidenceKeepsLnZAtFiveQForEveryRadius() throws Exception {
        JsonNode e = analyze("evidence", "--evidence").get("samples").get(0);
        JsonNode ev = e.get("evidence");
        assertThat(ev.get("q").toString()).isEqualTo("[-3.0,-1.0,0.0,1.0,3.0]");
        assertThat(ev.get("radii").size()).isEqualTo(e.get("radii").asInt());
        assertThat(ev.get("log_z").size()).isEqualTo(5);
        // ln Z_0 is the log of the node count at every radius
        for (JsonNode v : ev.get("log_z").get(2)) {
            assertThat(v.asDouble()).isCloseTo(Math.log(e.get("selected_nodes").asInt()), org.assertj.core.api.Assertions.within(1e-12));
        }
    }

    @Test
    void helpDescribesTheOptions() {
        for (String command : new String[] {"analyze", "trajectory", "demo"}) {
            Cli r = Cli.run(command, "--help");
            assertThat(r.out).contains("--radius-range=LO:HI|auto", "--null=MODEL", "--bootstrap=N", "--bootstrap-seed=SEED",
                    "--evidence", "Report 95% bootstrap intervals");
        }
        assertThat(Cli.run("trajectory", "--help").out).contains("--sweep=SETTING=V,V...");
    }

    @Test
    void badValuesAreOneLineErrors() throws Exception {
        String[][] cases = {{"--null", "permute"}, {"--bootstrap", "3"}, {"--radius-range", "automatic"}};
        for (String[] c : cases) {
            Cli r = Cli.run("analyze", Cli.golden("neox-d128-l4-normal-f32").toString(), "--samples", "1", c[0], c[1]);
            assertThat(r.exitCode).as(r.toString()).isEqualTo(2);
            assertThat(r.err.trim().lines().count()).as(r.toString()).isEqualTo(1);
            assertThat(r.err).contains(c[0]);
        }
        assertThat(Files.exists(tmp)).isTrue();
    }

    private Cli trajectory(Path store, Path json, Path csv, String... extra) {
        String[] base = {"trajectory", Cli.golden("neox-d128-l4-normal-f32").toString(),
            Cli.golden("neox-d128-l4-student-f16").toString(), "--samples", "4", "--nodes-per-layer", "16",
            "--store", store.toString(), "--json", json.toString(), "--csv", csv.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return Cli.run(args);
    }

    @Test
    void aTrajectoryReportsIntervalsWindowsAndEUnderTheNullAndResumesToTheSame() throws Exception {
        Path store = tmp.resolve("store");
        String[] options = {"--bootstrap", "300", "--null", "shuffle", "--radius-range", "auto", "--threads", "2"};
        Cli fresh = trajectory(store, tmp.resolve("t1.json"), tmp.resolve("t1.csv"), options);
        assertThat(fresh.exitCode).as(fresh.toString()).isZero();
        assertThat(fresh.out + fresh.err).contains("E shuffle");
        Cli resumed = trajectory(store, tmp.resolve("t2.json"), tmp.resolve("t2.csv"), options);
        assertThat(resumed.exitCode).as(resumed.toString()).isZero();
        assertThat(resumed.out + resumed.err).contains("0 samples computed, 8 reused");
        assertThat(Files.readAllBytes(tmp.resolve("t2.json"))).isEqualTo(Files.readAllBytes(tmp.resolve("t1.json")));
        assertThat(Files.readAllBytes(tmp.resolve("t2.csv"))).isEqualTo(Files.readAllBytes(tmp.resolve("t1.csv")));

        JsonNode t = JSON.readTree(tmp.resolve("t1.json").toFile());
        assertThat(t.get("parameters").get("null_model").asText()).isEqualTo("shuffle");
        JsonNode base = t.get("revisions").get(0);
        JsonNode later = t.get("revisions").get(1);
        assertThat(base.get("emergence_interval").toString()).isEqualTo("[0.0,0.0]");
        double e = later.get("emergence").asDouble();
        assertThat(later.get("emergence_interval").get(0).asDouble()).isLessThanOrEqualTo(e);
        assertThat(later.get("emergence_interval").get(1).asDouble()).isGreaterThanOrEqualTo(e);
        for (JsonNode r : t.get("revisions")) {
            assertThat(r.get("scaling_window").get("radius_range").size()).isEqualTo(2);
            assertThat(r.get("under_null").get("scaling_window").get("radius_range").size()).isEqualTo(2);
            assertThat(r.get("under_null").get("samples").size()).isEqualTo(4);
            for (JsonNode s : r.get("samples")) {
                assertThat(s.has("partition")).isFalse();
            }
        }
        assertThat(later.get("under_null").get("emergence").isNumber()).isTrue();
        String header = Files.readAllLines(tmp.resolve("t1.csv")).get(0);
        assertThat(header).endsWith(",window_lo,window_hi,window_lowest_r_squared,alpha0_low,alpha0_high,width_low,"
                + "width_high,emergence_low,emergence_high,null_model,null_alpha0_mean,null_width_mean,null_emergence,"
                + "null_emergence_low,null_emergence_high");

        // The real half is the trajectory without the null: the same samples and E.
        Cli plain = trajectory(tmp.resolve("store2"), tmp.resolve("p.json"), tmp.resolve("p.csv"),
                "--bootstrap", "300", "--radius-range", "auto");
        assertThat(plain.exitCode).as(plain.toString()).isZero();
        JsonNode p = JSON.readTree(tmp.resolve("p.json").toFile());
        assertThat(p.get("revisions").get(1).get("samples")).isEqualTo(later.get("samples"));
        assertThat(p.get("revisions").get(1).get("emergence_interval")).isEqualTo(later.get("emergence_interval"));

        // A report reads it all back (the file's numbers are recomputed from its samples).
        Cli report = Cli.run("report", tmp.resolve("t1.json").toString(), "--out", tmp.resolve("r.html").toString());
        assertThat(report.exitCode).as(report.toString()).isZero();
    }

    @Test
    void plotsAndTheReportShowTheEvidence() throws Exception {
        Path plots = tmp.resolve("plots");
        Cli r = trajectory(tmp.resolve("store"), tmp.resolve("t.json"), tmp.resolve("t.csv"), "--evidence",
                "--bootstrap", "200", "--null", "gaussian", "--plots", plots.toString());
        assertThat(r.exitCode).as(r.toString()).isZero();
        for (String name : new String[] {"evidence-0-neox-d128-l4-normal-f32", "evidence-1-neox-d128-l4-student-f16",
            "emergence", "alpha0", "width"}) {
            assertThat(plots.resolve(name + ".png")).isNotEmptyFile();
            assertThat(plots.resolve(name + ".svg")).isNotEmptyFile();
        }
        Cli report = Cli.run("report", tmp.resolve("t.json").toString(), "--out", tmp.resolve("r.html").toString());
        assertThat(report.exitCode).as(report.toString()).isZero();
        String html = Files.readString(tmp.resolve("r.html"));
        assertThat(html).contains("<h3>Fit quality</h3>").contains("<h3>Bootstrap intervals over seeds</h3>")
                .contains("<h3>Under the gaussian null model</h3>").contains("Evidence of scaling, neox-d128-l4-student-f16");
    }

    @Test
    void withoutTheOptionsThereAreNoEvidencePlotsButTheFitQualityTable() throws Exception {
        Path plots = tmp.resolve("plain-plots");
        Cli r = trajectory(tmp.resolve("store"), tmp.resolve("t.json"), tmp.resolve("t.csv"), "--plots", plots.toString());
        assertThat(r.exitCode).as(r.toString()).isZero();
        try (var files = Files.list(plots)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("evidence"))).isEmpty();
        }
        assertThat(Files.readAllLines(tmp.resolve("t.csv")).get(0)).isEqualTo("revision,step,parameter_count,kept_samples,"
                + "alpha0_mean,alpha0_std,width_mean,width_std,emergence,emergence_std");
        Cli report = Cli.run("report", tmp.resolve("t.json").toString(), "--out", tmp.resolve("r.html").toString());
        assertThat(report.exitCode).as(report.toString()).isZero();
        String html = Files.readString(tmp.resolve("r.html"));
        assertThat(html).contains("<h3>Fit quality</h3>").doesNotContain("Bootstrap intervals");
    }
}

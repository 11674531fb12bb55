package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare} on two trajectories made from the golden fixtures (each fixture standing for a
 * training step, copied into a folder per "model"), with the growth rates, their intervals and the
 * test of their difference checked by hand: with steps 10, 100, 1000 the log-steps are 1, 2, 3, so
 * the slope is {@code (E(1000) - E(10)) / 2}; Student's t comes from its closed forms
 * ({@code t(0.975, 1) = tan(0.475 pi)}; for 2 degrees of freedom the two-sided p is
 * {@code 1 - |t| / sqrt(2 + t^2)}).
 */
class CompareCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** A trajectory of golden checkpoints copied as {@code model/step0 .. model/step1000}. */
    private Path trajectory(String model, String... fixtures) throws Exception {
        String[] steps = {"step0", "step10", "step100", "step1000"};
        String[] args = new String[fixtures.length + 8];
        args[0] = "trajectory";
        for (int i = 0; i < fixtures.length; i++) {
            Path copy = Files.createDirectories(tmp.resolve(model)).resolve(steps[i]);
            copy(Cli.golden(fixtures[i]), copy);
            args[1 + i] = copy.toString();
        }
        Path json = tmp.resolve(model + ".json");
        System.arraycopy(new String[] {"--samples", "3", "--nodes-per-layer", "12", "--no-store", "--json", json.toString()}, 0,
                args, 1 + fixtures.length, 7);
        Cli r = Cli.run(args);
        assertThat(r.exitCode).as(r.toString()).isZero();
        return json;
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, to.resolve(f.getFileName().toString()));
                }
            }
        }
    }

    private static double[] emergence(Path trajectory) throws Exception {
        JsonNode revisions = JSON.readTree(trajectory.toFile()).get("revisions");
        double[] e = new double[revisions.size()];
        for (int i = 0; i < e.length; i++) {
            e[i] = revisions.get(i).get("emergence").asDouble();
        }
        return e;
    }

    /** The slope's standard error over x = 1, 2, 3 by hand: Sxx = 2, one residual degree of freedom. */
    private static double stderr(double[] e) {
        double slope = (e[3] - e[1]) / 2;
        double mean = (e[1] + e[2] + e[3]) / 3;
        double ssr = 0;
        for (int x = 1; x <= 3; x++) {
            double r = e[x] - (mean + slope * (x - 2));
            ssr += r * r;
        }
        return Math.sqrt(ssr / 1 / 2);
    }

    @Test
    void twoGoldenTrajectoriesWithHandCheckedGrowthRates() throws Exception {
        Path a = trajectory("pythia-a", "neox-d128-l4-normal-f32", "neox-d128-l4-student-f16", "neox-d96-l3-rowscaled-bf16",
                "neox-d128-l4-student-f16");
        Path b = trajectory("pythia-b", "neox-d128-l4-student-f16", "neox-d96-l3-rowscaled-bf16", "neox-d128-l4-normal-f32",
                "neox-d128-l4-normal-f32-torch/single");
        double[] ea = emergence(a);
        double[] eb = emergence(b);
        // The same weights as the baseline (or as another checkpoint) give the same E.
        assertThat(ea[3]).isEqualTo(ea[1]);
        Path json = tmp.resolve("compare.json");
        Path plots = tmp.resolve("plots");
        Cli r = Cli.run("compare", a.toString(), b.toString(), "--json", json.toString(), "--plots", plots.toString());
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).startsWith("growth of E per tenfold training steps").contains("pythia-a - pythia-b");

        JsonNode c = JSON.readTree(json.toFile());
        assertThat(c.get("kind").asText()).isEqualTo("comparison");
        assertThat(c.get("growth_x").asText()).isEqualTo("log10(step)");
        JsonNode ga = c.get("trajectories").get(0);
        JsonNode gb = c.get("trajectories").get(1);
        assertThat(ga.get("label").asText()).isEqualTo("pythia-a");
        assertThat(gb.get("label").asText()).isEqualTo("pythia-b");
        assertThat(ga.get("checkpoints")).hasSize(4);
        assertThat(ga.get("checkpoints").get(2).get("emergence").asDouble()).isEqualTo(ea[2]);
        double t1 = Math.tan(0.475 * Math.PI);
        double[][] series = {ea, eb};
        JsonNode[] growth = {ga.get("growth"), gb.get("growth")};
        for (int i = 0; i < 2; i++) {
            double[] e = series[i];
            JsonNode g = growth[i];
            assertThat(g.get("n").asInt()).isEqualTo(3);
            assertThat(g.get("steps").toString()).isEqualTo("[10,100,1000]");
            double slope = (e[3] - e[1]) / 2;
            assertThat(g.get("slope").asDouble()).isCloseTo(slope, within(1e-12));
            assertThat(g.get("slope_stderr").asDouble()).isCloseTo(stderr(e), within(1e-12));
            assertThat(g.get("interval").get(0).asDouble()).isCloseTo(slope - t1 * stderr(e), within(1e-9));
            assertThat(g.get("interval").get(1).asDouble()).isCloseTo(slope + t1 * stderr(e), within(1e-9));
        }
        JsonNode d = c.get("differences").get(0);
        assertThat(d.get("a").asText()).isEqualTo("pythia-a");
        assertThat(d.get("b").asText()).isEqualTo("pythia-b");
        double diff = (ea[3] - ea[1]) / 2 - (eb[3] - eb[1]) / 2;
        double se = Math.sqrt(stderr(ea) * stderr(ea) + stderr(eb) * stderr(eb));
        double t = diff / se;
        assertThat(d.get("difference").asDouble()).isCloseTo(diff, within(1e-12));
        assertThat(d.get("t").asDouble()).isCloseTo(t, within(1e-9));
        assertThat(d.get("df").asInt()).isEqualTo(2);
        assertThat(d.get("p").asDouble()).isCloseTo(1 - Math.abs(t) / Math.sqrt(2 + t * t), within(1e-9));
        for (String q : new String[] {"alpha0", "width", "emergence"}) {
            assertThat(plots.resolve("compare-" + q + ".png")).isNotEmptyFile();
            // Text is drawn as outlines; each trajectory's own colour (tab10 blue, orange) is there.
            assertThat(Files.readString(plots.resolve("compare-" + q + ".svg"))).contains("rgb(31,119,180)", "rgb(255,127,14)");
        }

        // report shows the trajectories together, and reads the comparison file.
        Path html = tmp.resolve("report.html");
        Cli rr = Cli.run("report", a.toString(), b.toString(), json.toString(), "--out", html.toString());
        assertThat(rr.exitCode).as(rr.toString()).isZero();
        // Two trajectories of 4 plots each, the comparison file's 3 and the side-by-side section's 3.
        assertThat(rr.out).contains("(14 plots)");
        assertThat(Files.readString(html)).contains("<h2>Trajectories side by side</h2>", "<h2>Trajectories compared: compare.json</h2>",
                String.format(java.util.Locale.ROOT, "%.4f", (ea[3] - ea[1]) / 2));
    }

    @Test
    void labelsAndUsageErrorsAreOneLine() throws Exception {
        Path a = trajectory("m", "neox-d128-l4-normal-f32", "neox-d128-l4-student-f16");
        Cli labels = Cli.run("compare", a.toString(), a.toString(), "--labels", "standard,deduped", "--json", "-");
        assertThat(labels.exitCode).as(labels.toString()).isZero();
        JsonNode c = JSON.readTree(labels.out);
        assertThat(c.get("trajectories").get(1).get("label").asText()).isEqualTo("deduped");
        // One checkpoint after the baseline: a slope needs two, so the growth is undefined (null), not an error.
        assertThat(c.get("trajectories").get(0).get("growth").get("slope").isNull()).isTrue();
        assertThat(labels.err).contains("standard - deduped");

        Cli same = Cli.run("compare", a.toString(), a.toString());
        assertThat(same.exitCode).isZero();
        assertThat(same.out).contains("m (m.json) - m (m.json)");

        Cli count = Cli.run("compare", a.toString(), a.toString(), "--labels", "x");
        assertThat(count.exitCode).isEqualTo(2);
        assertThat(count.err).isEqualTo("neuromfa: --labels gives 1 labels for 2 trajectories\n");
        Cli one = Cli.run("compare", a.toString());
        assertThat(one.exitCode).isEqualTo(2);
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"kind\": \"scaling\"}");
        Cli notTrajectory = Cli.run("compare", a.toString(), bad.toString());
        assertThat(notTrajectory.exitCode).isEqualTo(2);
        assertThat(notTrajectory.err).startsWith("neuromfa: " + bad + ": not a trajectory").hasLineCount(1);
    }
}

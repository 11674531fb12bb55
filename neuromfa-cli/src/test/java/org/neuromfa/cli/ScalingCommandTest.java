package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scaling: E at a common step across model sizes, and the OLS fit against ln(parameters). */
class ScalingCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** A trajectory of one model with one sample at step0 and one at step1000 (and one at step2000). */
    static Path handTrajectory(Path dir, String name, long parameters, double alpha0, double width) throws Exception {
        String json = String.format(Locale.ROOT, "{\"parameters\":{\"samples\":1},\"revisions\":["
                + "{\"revision\":\"step0\",\"step\":0,\"parameter_count\":%d,\"samples\":[{\"seed\":0,\"kept\":true,\"alpha0\":1.3,\"width\":0.6}]},"
                + "{\"revision\":\"step1000\",\"step\":1000,\"parameter_count\":%d,\"samples\":[{\"seed\":0,\"kept\":true,\"alpha0\":%s,\"width\":%s}]},"
                + "{\"revision\":\"step2000\",\"step\":2000,\"parameter_count\":%d,\"samples\":[{\"seed\":0,\"kept\":true,\"alpha0\":1.0,\"width\":0.7}]}]}",
                parameters, parameters, alpha0, width, parameters);
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, json);
        return file;
    }

    /**
     * python3 + scipy 1.17.1: E = (w / 0.6) * ln(1.3 / a) for (a, w) = (1.2, 0.65), (1.1, 0.7), (1.05, 0.74) gives
     * 0.08671293331299795, 0.1948964321070271, 0.2634080570342729; linregress(log([70426624, 162322944,
     * 405334016]), E): slope 0.10054449516816977, intercept -1.7218158778248265, rvalue**2 0.976066306996113,
     * pvalue 0.09888553465819307, stderr 0.01574430502793583.
     */
    @Test
    void fitMatchesScipyAtTheChosenStep() throws Exception {
        Path a = handTrajectory(tmp, "small", 70426624, 1.2, 0.65);
        Path b = handTrajectory(tmp, "medium", 162322944, 1.1, 0.7);
        Path c = handTrajectory(tmp, "large", 405334016, 1.05, 0.74);
        Path out = tmp.resolve("s.json");
        Cli r = Cli.run("scaling", a.toString(), b.toString(), c.toString(), "--step", "1000", "--json", out.toString(),
                "--plots", tmp.resolve("plots").toString());
        assertThat(r.exitCode).as(r.toString()).isZero();
        JsonNode s = JSON.readTree(out.toFile());
        assertThat(s.get("step").asLong()).isEqualTo(1000);
        assertThat(s.get("models").get(2).get("emergence").asDouble()).isCloseTo(0.2634080570342729, within(1e-15));
        JsonNode fit = s.get("fit");
        assertThat(fit.get("n").asInt()).isEqualTo(3);
        assertThat(fit.get("slope").asDouble()).isCloseTo(0.10054449516816977, within(1e-12));
        assertThat(fit.get("intercept").asDouble()).isCloseTo(-1.7218158778248265, within(1e-12));
        assertThat(fit.get("r_squared").asDouble()).isCloseTo(0.976066306996113, within(1e-12));
        assertThat(fit.get("p").asDouble()).isCloseTo(0.09888553465819307, within(1e-12));
        assertThat(fit.get("slope_stderr").asDouble()).isCloseTo(0.01574430502793583, within(1e-12));
        // One seed: no spread, said as null rather than 0.
        assertThat(s.get("models").get(2).get("emergence_std").isNull()).isTrue();
        assertThat(s.get("models").get(2).get("alpha0_std").isNull()).isTrue();
        assertThat(tmp.resolve("plots/scaling.png")).exists();
        assertThat(tmp.resolve("plots/scaling.svg")).exists();
        // Without --step: the largest step all have.
        Cli d = Cli.run("scaling", a.toString(), b.toString(), "--json", "-");
        assertThat(d.exitCode).as(d.toString()).isZero();
        assertThat(JSON.readTree(d.out).get("step").asLong()).isEqualTo(2000);
    }

    /** Parameter counts come from the checkpoints' tensors through the trajectory. */
    @Test
    void countsComeFromTheCheckpoints() throws Exception {
        Path ck = tmp.resolve("ck");
        var cps = TrajectoryCommandTest.checkpoints(ck);
        Path big = tmp.resolve("big.json");
        Path small = tmp.resolve("small.json");
        Cli r1 = Cli.run("trajectory", cps.get(0), cps.get(1), "--samples", "2", "--nodes-per-layer", "12",
                "--no-store", "--json", big.toString());
        assertThat(r1.exitCode).as(r1.toString()).isZero();
        Path d96 = tmp.resolve("d96");
        TrajectoryCommandTest.copy(Cli.golden("neox-d96-l3-rowscaled-bf16"), d96.resolve("step0"));
        TrajectoryCommandTest.copy(Cli.golden("neox-d96-l3-rowscaled-bf16"), d96.resolve("step1000"));
        Cli r2 = Cli.run("trajectory", d96.resolve("step0").toString(), d96.resolve("step1000").toString(), "--samples", "2",
                "--nodes-per-layer", "12", "--no-store", "--json", small.toString());
        assertThat(r2.exitCode).as(r2.toString()).isZero();
        Cli s = Cli.run("scaling", big.toString(), small.toString(), "--json", "-");
        assertThat(s.exitCode).as(s.toString()).isZero();
        JsonNode out = JSON.readTree(s.out);
        assertThat(out.get("step").asLong()).isEqualTo(1000);
        assertThat(out.get("models").get(0).get("parameter_count").asLong()).isEqualTo(809728);
        assertThat(out.get("models").get(1).get("parameter_count").asLong()).isEqualTo(348000);
        assertThat(out.get("models").get(1).get("emergence").asDouble()).isZero();
        double e = JSON.readTree(big.toFile()).get("revisions").get(1).get("emergence").asDouble();
        assertThat(out.get("models").get(0).get("emergence").asDouble()).isEqualTo(e);
        // Each model's spread over seeds comes with it (the plot's error bars), as its trajectory has it.
        JsonNode point = JSON.readTree(big.toFile()).get("revisions").get(1);
        for (String field : new String[] {"emergence_std", "alpha0_std", "width_std"}) {
            assertThat(point.get(field).isNumber()).as(field).isTrue();
            assertThat(out.get("models").get(0).get(field).asDouble()).as(field).isEqualTo(point.get(field).asDouble());
        }
        assertThat(point.get("emergence_std").asDouble()).isPositive();
        // The summary (on stderr, as the JSON went to stdout) gives the same spread beside E.
        assertThat(s.err).contains(String.format(Locale.ROOT, "%10.4f %10.4f", e, point.get("emergence_std").asDouble())
                .replaceAll("^ +", ""));
        // Two sizes: a line through both points, no p-value.
        assertThat(out.get("fit").get("slope").asDouble()).isCloseTo(e / Math.log(809728.0 / 348000.0), within(1e-12));
        assertThat(out.get("fit").get("p").isNull()).isTrue();
    }
}

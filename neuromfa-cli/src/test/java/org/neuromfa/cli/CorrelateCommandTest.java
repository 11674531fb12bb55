package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * correlate on a hand-written trajectory (resources/correlate/hand-trajectory.json: two samples per
 * checkpoint at steps 0, 7, 1000, 13000, 33000, 143000 and one without a step) and the real Pythia-160m
 * zero-shot results in ../shared/data/pythia-evals. The reference numbers were computed with python3,
 * scipy 1.17.1: E from the means of the samples by the formula of METHOD.md section 6.2, the
 * accuracies read from the same files (MMLU = mean of the 57 hendrycksTest-* subjects' acc), then
 * scipy.stats.pearsonr and scipy.stats.spearmanr over the five common steps.
 */
class CorrelateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static Path resource(String name) throws Exception {
        return Paths.get(CorrelateCommandTest.class.getResource("/correlate/" + name).toURI());
    }

    static Path evals(String model) {
        return Cli.golden("").getParent().resolve("data/pythia-evals").resolve(model).resolve("zero-shot");
    }

    private JsonNode correlate(Path trajectory, String... benchmarks) throws Exception {
        Path out = tmp.resolve("c.json");
        List<String> args = new ArrayList<>(List.of("correlate", trajectory.toString(), "--json", out.toString(), "--benchmarks"));
        args.addAll(List.of(benchmarks));
        Cli r = Cli.run(args.toArray(new String[0]));
        assertThat(r.exitCode).as(r.toString()).isZero();
        return JSON.readTree(out.toFile());
    }

    private static JsonNode task(JsonNode result, String name) {
        for (JsonNode t : result.get("tasks")) {
            if (t.get("task").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no task " + name + " in " + result.get("tasks"));
    }

    private static void assertStats(JsonNode s, int n, double r, double pr, double rho, double prho) {
        assertThat(s.get("n").asInt()).isEqualTo(n);
        assertThat(s.get("pearson_r").asDouble()).isCloseTo(r, within(1e-12));
        assertThat(s.get("pearson_p").asDouble()).isCloseTo(pr, within(1e-12));
        assertThat(s.get("spearman_rho").asDouble()).isCloseTo(rho, within(1e-12));
        assertThat(s.get("spearman_p").asDouble()).isCloseTo(prho, within(1e-12));
    }

    @Test
    void pythiaEvalsMatchScipy() throws Exception {
        JsonNode c = correlate(resource("hand-trajectory.json"), evals("pythia-160m-deduped").toString());
        assertThat(c.get("metric").asText()).isEqualTo("acc");
        // scipy: sciq r 0.9239903233425143 p 0.024866957255771406, rho 0.7 p 0.1881204043741873
        JsonNode sciq = task(c, "sciq");
        assertStats(sciq, 5, 0.9239903233425143, 0.024866957255771406, 0.7, 0.1881204043741873);
        assertThat(sciq.get("steps")).hasSize(5);
        assertThat(sciq.get("num_fewshot").asInt()).isZero();
        // E at the five steps (python3): 0, 0.08671293331299795, 0.1948964321070271, 0.2562889203576709, 0.3279553305843638
        assertThat(sciq.get("emergence").get(1).asDouble()).isCloseTo(0.08671293331299795, within(1e-15));
        assertThat(sciq.get("emergence").get(4).asDouble()).isCloseTo(0.3279553305843638, within(1e-15));
        // The spread of E over the two seeds at each step (python3: statistics.stdev of each seed's E
        // against the same seed at step 0), the scatter's error bars.
        double[] sd = {0, 0.0008249043345585277, 0.016653586244064822, 0.007968696305781836, 0.0025334638369135017};
        for (int i = 0; i < sd.length; i++) {
            assertThat(sciq.get("emergence_std").get(i).asDouble()).as("step " + i).isCloseTo(sd[i], within(1e-15));
        }
        assertThat(c.get("average").get("emergence_std")).hasSize(5);
        // scipy: mmlu r 0.973859767338081 p 0.005053447856634291, rho 0.9 p 0.03738607346849874
        assertStats(task(c, "mmlu"), 5, 0.973859767338081, 0.005053447856634291, 0.9, 0.03738607346849874);
        // scipy, mean acc over the nine tasks: r 0.934406746147578 p 0.01996654124877045, rho 0.9 p 0.03738607346849874
        JsonNode avg = c.get("average");
        assertStats(avg, 5, 0.934406746147578, 0.01996654124877045, 0.9, 0.03738607346849874);
        assertThat(avg.get("averaged_tasks")).hasSize(9);
        assertThat(c.get("tasks")).hasSize(9);
        // No MMLU subject appears on its own, and tasks without 'acc' are named.
        for (JsonNode t : c.get("tasks")) {
            assertThat(t.get("task").asText()).doesNotStartWith("hendrycksTest-");
        }
        assertThat(c.get("tasks_without_metric").toString()).contains("crows_pairs_english");
        // The report names them as a list that wraps on the page (a JSON list has no space to break at).
        Path html = tmp.resolve("r.html");
        Cli report = Cli.run("report", tmp.resolve("c.json").toString(), "--out", html.toString());
        assertThat(report.exitCode).as(report.toString()).isZero();
        assertThat(Files.readString(html)).contains("Tasks without this metric: crows_pairs_english, crows_pairs_english_age, ");
        // Mismatches are reported: step 7 has no results, the checkpoint 'final' has no step, and the
        // results' other steps have no checkpoint.
        assertThat(avg.get("unmatched_trajectory_steps").toString()).isEqualTo("[7]");
        assertThat(c.get("checkpoints_without_step").toString()).isEqualTo("[\"final\"]");
        assertThat(avg.get("unmatched_benchmark_steps")).hasSize(154 - 5 - countMissing());
        assertThat(avg.get("unmatched_benchmark_steps").toString()).contains("3000").doesNotContain(",13000,");
    }

    /** Steps of Pythia's schedule for which the shared data has no file. */
    private static int countMissing() throws Exception {
        try (var s = Files.list(evals("pythia-160m-deduped"))) {
            return 154 - (int) s.count();
        }
    }

    /**
     * A CSV with a revision column; reference from scipy over the common steps: a: r 0.9487863226108352
     * p 0.013805372107976888 (rho 1); b (no value at step 33000): r -0.8599706406271266
     * p 0.14002935937287342, rho -0.8 p 0.2; average of a and b at the four steps both have:
     * r 0.8761140313041123 p 0.12388596869588775, rho 0.8 p 0.2.
     */
    @Test
    void csvColumnsAreSeries() throws Exception {
        Path csv = tmp.resolve("bench.csv");
        Files.writeString(csv, "revision,a,b\nstep0,0.20,0.5\nstep1000,0.31,0.45\n13000,0.35,0.47\nstep33000,0.36,\n"
                + "step143000,0.40,0.41\nstep99,0.5,0.5\n");
        JsonNode c = correlate(resource("hand-trajectory.json"), csv.toString());
        JsonNode a = task(c, "a");
        assertThat(a.get("pearson_r").asDouble()).isCloseTo(0.9487863226108352, within(1e-12));
        assertThat(a.get("pearson_p").asDouble()).isCloseTo(0.013805372107976888, within(1e-12));
        assertThat(a.get("spearman_rho").asDouble()).isCloseTo(1.0, within(1e-12));
        assertThat(a.get("spearman_p").asDouble()).isLessThan(1e-10);
        assertThat(a.get("unmatched_benchmark_steps").toString()).isEqualTo("[99]");
        assertStats(task(c, "b"), 4, -0.8599706406271266, 0.14002935937287342, -0.8, 0.2);
        assertThat(task(c, "b").get("unmatched_trajectory_steps").toString()).isEqualTo("[7,33000]");
        assertStats(c.get("average"), 4, 0.8761140313041123, 0.12388596869588775, 0.8, 0.2);
    }

    /** The few-shot setting comes from config.num_fewshot, whatever the directory or file is called. */
    @Test
    void fewShotSettingIsReadFromTheFile() throws Exception {
        Path dir = tmp.resolve("zero-shot");
        Files.createDirectories(dir);
        for (String step : new String[] {"0", "1000", "13000"}) {
            Path src = evals("pythia-160m-deduped").resolve("160m-deduped_step" + step + ".json");
            Files.copy(src, dir.resolve("zero_step" + step + ".json"));
            ObjectNode five = (ObjectNode) JSON.readTree(src.toFile());
            ((ObjectNode) five.get("config")).put("num_fewshot", 5);
            Files.write(dir.resolve("zero-shot-looking-name_step" + step + ".json"), JSON.writeValueAsBytes(five));
        }
        JsonNode c = correlate(resource("hand-trajectory.json"), dir.toString());
        assertThat(task(c, "sciq (0-shot)").get("num_fewshot").asInt()).isZero();
        assertThat(task(c, "sciq (5-shot)").get("num_fewshot").asInt()).isEqualTo(5);
        assertThat(task(c, "sciq (5-shot)").get("n").asInt()).isEqualTo(3);
    }

    @Test
    void fileWithoutStepIsAnError() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(evals("pythia-160m-deduped").resolve("160m-deduped_step0.json").toFile());
        ((ObjectNode) root.get("config")).put("model_args", "pretrained=EleutherAI/pythia-160m-deduped");
        Path bad = tmp.resolve("step0.json");
        Files.write(bad, JSON.writeValueAsBytes(root));
        Cli r = Cli.run("correlate", resource("hand-trajectory.json").toString(), "--benchmarks", bad.toString());
        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.err).contains(bad.toString()).contains("revision=stepN");
    }
}

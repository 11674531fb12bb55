package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trajectory command on the golden fixtures used as training checkpoints. */
class TrajectoryCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String[] FIXTURES = {"neox-d128-l4-normal-f32", "neox-d128-l4-student-f16", "neox-d96-l3-rowscaled-bf16"};

    @TempDir
    Path tmp;

    /** Checkpoint directories named step0, step1000, step13000 (copies of the three fixtures). */
    static List<String> checkpoints(Path dir) throws Exception {
        String[] steps = {"step0", "step1000", "step13000"};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path link = dir.resolve(steps[i]);
            if (!Files.exists(link)) {
                copy(Cli.golden(FIXTURES[i]), link);
            }
            out.add(link.toString());
        }
        return out;
    }

    static void copy(Path fixture, Path to) throws Exception {
        Files.createDirectories(to);
        for (String f : new String[] {"config.json", "model.safetensors"}) {
            Files.copy(fixture.resolve(f), to.resolve(f));
        }
    }

    private Cli trajectory(List<String> checkpoints, Path store, Path json, String... more) {
        List<String> args = new ArrayList<>(List.of("trajectory"));
        args.addAll(checkpoints);
        args.addAll(List.of("--samples", "3", "--nodes-per-layer", "12", "--threads", "2",
                "--store", store.toString(), "--json", json.toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(new String[0]));
    }

    @Test
    void emergenceOfEachCheckpointFollowsFromItsAnalysis() throws Exception {
        List<String> cps = checkpoints(tmp.resolve("ck"));
        Path json = tmp.resolve("t.json");
        Path csv = tmp.resolve("t.csv");
        Cli r = trajectory(cps, tmp.resolve("store"), json, "--csv", csv.toString(), "--plots", tmp.resolve("plots").toString());
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.out).contains("9 samples computed, 0 reused");
        JsonNode t = JSON.readTree(json.toFile());
        assertThat(t.get("baseline").asText()).isEqualTo("step0");
        assertThat(t.get("parameters").get("nodes_per_layer").asInt()).isEqualTo(12);
        JsonNode revisions = t.get("revisions");
        assertThat(revisions).hasSize(3);
        double[] a = new double[3];
        double[] w = new double[3];
        for (int i = 0; i < 3; i++) {
            // Each checkpoint separately through analyze, with the same options.
            Path single = tmp.resolve("a" + i + ".json");
            Cli ar = Cli.run("analyze", cps.get(i), "--samples", "3", "--nodes-per-layer", "12", "--json", single.toString());
            assertThat(ar.exitCode).as(ar.toString()).isZero();
            JsonNode analysis = JSON.readTree(single.toFile());
            a[i] = analysis.get("alpha0_mean").asDouble();
            w[i] = analysis.get("width_mean").asDouble();
            JsonNode rev = revisions.get(i);
            assertThat(rev.get("revision").asText()).isEqualTo(Path.of(cps.get(i)).getFileName().toString());
            assertThat(rev.get("step").asLong()).isEqualTo(new long[] {0, 1000, 13000}[i]);
            assertThat(rev.get("alpha0_mean").asDouble()).isEqualTo(a[i]);
            assertThat(rev.get("width_mean").asDouble()).isEqualTo(w[i]);
            // Samples are analyze's objects, unchanged.
            assertThat(rev.get("samples")).isEqualTo(analysis.get("samples"));
            assertThat(rev.get("emergence").asDouble()).isEqualTo((w[i] / w[0]) * Math.log(a[0] / a[i]));
        }
        // Parameter counts: sums of the tensors' element counts, from the safetensors headers (python3:
        // sum(math.prod(v['shape']) ...) gives 809728 for the d=128 fixtures and 348000 for d=96).
        assertThat(revisions.get(0).get("parameter_count").asLong()).isEqualTo(809728);
        assertThat(revisions.get(2).get("parameter_count").asLong()).isEqualTo(348000);
        List<String> rows = Files.readAllLines(csv);
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).startsWith("revision,step,parameter_count");
        assertThat(rows.get(2)).startsWith("step1000,1000,809728,3,");
        try (Stream<Path> s = Files.list(tmp.resolve("plots"))) {
            assertThat(s.map(p -> p.getFileName().toString()).collect(Collectors.toList()))
                    .contains("spectra.png", "spectra.svg", "alpha0.png", "width.svg", "emergence.png", "emergence.svg");
        }
    }

    @Test
    void identicalWeightsAreOneWarningPerGroup() throws Exception {
        List<String> names = List.of("step0", "step1", "step2", "step4", "step8");
        List<String> dirs = new java.util.ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Path d = Files.createDirectories(tmp.resolve("groups/" + names.get(i)));
            // step1 differs; the four others are one checkpoint under four names.
            copy(Cli.golden(FIXTURES[i == 1 ? 1 : 0]), d);
            dirs.add(d.toString());
        }
        Path json = tmp.resolve("groups.json");
        Cli r = trajectory(dirs, tmp.resolve("store-groups"), json);
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.err.lines().filter(l -> l.contains("identical weights")))
                .containsExactly(r.err.lines().filter(l -> l.contains("identical weights")).findFirst().orElseThrow());
        assertThat(r.err).contains("warning: step0, step2, step4 and step8 have identical weights")
                .contains("under 4 names");
        JsonNode t = JSON.readTree(json.toFile());
        assertThat(t.get("identical_weights")).hasSize(1);
        assertThat(t.get("identical_weights").get(0).get("revisions").toString())
                .isEqualTo("[\"step0\",\"step2\",\"step4\",\"step8\"]");
        assertThat(TrajectoryCommand.names(List.of("a", "b", "c", "d", "e", "f", "g")))
                .isEqualTo("a, b, c, d, ... and g (7 checkpoints)");
    }

    @Test
    void poorFitsAreOneWarningForTheWholeTrajectory() throws Exception {
        List<String> dirs = new ArrayList<>();
        for (String step : List.of("step0", "step1", "step2")) {
            Path d = Files.createDirectories(tmp.resolve("fits/" + step));
            copy(Cli.golden(FIXTURES[step.equals("step1") ? 1 : 0]), d);
            dirs.add(d.toString());
        }
        // A threshold no fit reaches: every checkpoint has poor fits, and they are told on one line.
        Cli r = trajectory(dirs, tmp.resolve("store-fits"), tmp.resolve("fits.json"), "--min-r-squared", "0.99999");
        assertThat(r.exitCode).as(r.toString()).isZero();
        List<String> warnings = r.err.lines().filter(l -> l.contains("R^2 of the tau(q) fit")).collect(Collectors.toList());
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).startsWith("neuromfa: warning: R^2 of the tau(q) fit is below 0.99999 in 3 of 3"
                + " checkpoints (step0, step1 and step2): ").endsWith("or choose the scaling range with --radius-range");
        // The default threshold, on the stored results: the same checkpoints, judged again.
        Cli again = trajectory(dirs, tmp.resolve("store-fits"), tmp.resolve("fits.json"), "--min-r-squared", "0");
        assertThat(again.err).doesNotContain("R^2 of the tau(q) fit");
    }

    @Test
    void revisionsServingIdenticalWeightsAreReported() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("same/step0"));
        Path b = Files.createDirectories(tmp.resolve("same/step1000"));
        Path c = Files.createDirectories(tmp.resolve("same/step2000"));
        copy(Cli.golden(FIXTURES[0]), a);
        copy(Cli.golden(FIXTURES[1]), b);
        // The same weights as step0 under another name, as some public Pythia branches serve them.
        copy(Cli.golden(FIXTURES[0]), c);
        Path json = tmp.resolve("same.json");
        Cli r = trajectory(List.of(a.toString(), b.toString(), c.toString()), tmp.resolve("store-same"), json);
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(r.err).contains("warning: step0 and step2000 have identical weights").doesNotContain("step1000 have");
        JsonNode t = JSON.readTree(json.toFile());
        assertThat(t.get("identical_weights")).hasSize(1);
        assertThat(t.get("identical_weights").get(0).get("revisions").toString()).isEqualTo("[\"step0\",\"step2000\"]");
        JsonNode revisions = t.get("revisions");
        assertThat(revisions.get(0).get("fingerprint").asText()).hasSize(32)
                .isEqualTo(revisions.get(2).get("fingerprint").asText())
                .isNotEqualTo(revisions.get(1).get("fingerprint").asText());
        // A rerun from the store (nothing recomputed) reports the same.
        Cli again = trajectory(List.of(a.toString(), b.toString(), c.toString()), tmp.resolve("store-same"), json);
        assertThat(again.out).contains("0 samples computed");
        assertThat(again.err).contains("warning: step0 and step2000 have identical weights");

        // A store written by an older version holds SHA-256 fingerprints (64 hex digits): those
        // checkpoints are described again, so all are compared by the current definition.
        List<Path> infos;
        try (Stream<Path> s = Files.walk(tmp.resolve("store-same"))) {
            infos = s.filter(p -> p.getFileName().toString().equals("checkpoint.json")).sorted().collect(Collectors.toList());
        }
        assertThat(infos).hasSize(3);
        String old = Files.readString(infos.get(0));
        String oldForm = old.replaceAll("\"fingerprint\" : \"[0-9a-f]{32}\"", "\"fingerprint\" : \"" + "ab".repeat(32) + "\"");
        assertThat(oldForm).isNotEqualTo(old);
        Files.writeString(infos.get(0), oldForm);
        Cli upgraded = trajectory(List.of(a.toString(), b.toString(), c.toString()), tmp.resolve("store-same"), json);
        assertThat(upgraded.exitCode).as(upgraded.toString()).isZero();
        assertThat(upgraded.err).contains("warning: step0 and step2000 have identical weights");
        assertThat(JSON.readTree(json.toFile()).get("revisions").toString()).doesNotContain("abab");
        assertThat(Files.readString(infos.get(0))).isEqualTo(old);
    }

    /**
     * The description of a checkpoint (its probe's fingerprint follows the wiring) is stored per
     * architecture options: a run with --qkv-layout heads on a store that a default run filled reports
     * what the same run on a fresh store does, and the default run's description is kept beside it.
     */
    @Test
    void aStoreFilledUnderOtherArchitectureOptionsChangesNoResult() throws Exception {
        List<String> cps = checkpoints(tmp.resolve("ck-arch")).subList(0, 2);
        Path store = tmp.resolve("store-arch");
        Path thirds = tmp.resolve("thirds.json");
        Path heads = tmp.resolve("heads.json");
        Path fresh = tmp.resolve("heads-fresh.json");
        assertThat(trajectory(cps, store, thirds).exitCode).isZero();
        Cli r = trajectory(cps, store, heads, "--qkv-layout", "heads");
        assertThat(r.exitCode).as(r.toString()).isZero();
        Cli f = trajectory(cps, tmp.resolve("store-fresh"), fresh, "--qkv-layout", "heads");
        assertThat(f.exitCode).as(f.toString()).isZero();
        assertThat(Files.readString(heads)).isEqualTo(Files.readString(fresh));
        assertThat(JSON.readTree(heads.toFile()).get("revisions").get(0).get("fingerprint").asText())
                .isNotEqualTo(JSON.readTree(thirds.toFile()).get("revisions").get(0).get("fingerprint").asText());
        // Both descriptions are kept: a default rerun computes and opens nothing, and reports as before.
        Path again = tmp.resolve("thirds-again.json");
        Cli rerun = trajectory(cps, store, again);
        assertThat(rerun.out).contains("0 samples computed");
        assertThat(Files.readString(again)).isEqualTo(Files.readString(thirds));
        try (Stream<Path> files = Files.walk(store)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("checkpoint")))
                    .hasSize(4).contains("checkpoint.json").anyMatch(n -> n.matches("checkpoint-[0-9a-f]{16}\\.json"));
        }
    }

    @Test
    void wiringAndWeightOptionsReachEveryCheckpoint() throws Exception {
        String checkpoint = Cli.golden(FIXTURES[0]).toString();
        for (String[] option : new String[][] {{"--normalize-weights"}, {"--qkv-layout", "heads"}}) {
            Path json = tmp.resolve("opt" + option.length + ".json");
            Cli r = trajectory(List.of(checkpoint), tmp.resolve("store-opt"), json, option);
            assertThat(r.exitCode).as(r.toString()).isZero();
            List<String> args = new ArrayList<>(List.of("analyze", checkpoint, "--samples", "3", "--nodes-per-layer", "12",
                    "--json", tmp.resolve("single.json").toString()));
            args.addAll(List.of(option));
            Cli a = Cli.run(args.toArray(new String[0]));
            assertThat(a.exitCode).as(a.toString()).isZero();
            JsonNode analysis = JSON.readTree(tmp.resolve("single.json").toFile());
            JsonNode rev = JSON.readTree(json.toFile()).get("revisions").get(0);
            assertThat(rev.get("samples")).as(String.join(" ", option)).isEqualTo(analysis.get("samples"));
            Cli plain = Cli.run("analyze", checkpoint, "--samples", "3", "--nodes-per-layer", "12", "--json", "-");
            assertThat(JSON.readTree(plain.out).get("alpha0_mean").asDouble()).as("the option changes the numbers")
                    .isNotEqualTo(rev.get("alpha0_mean").asDouble());
        }
    }

    @Test
    void interruptedRunResumesWithIdenticalJson() throws Exception {
        List<String> cps = checkpoints(tmp.resolve("ck"));
        Path store = tmp.resolve("store");
        Path full = tmp.resolve("full.json");
        Cli first = trajectory(cps, store, full);
        assertThat(first.exitCode).as(first.toString()).isZero();
        // A run stopped part way leaves some of the per-seed files: remove four of the nine.
        List<Path> seeds;
        try (Stream<Path> s = Files.walk(store)) {
            seeds = s.filter(p -> p.getFileName().toString().startsWith("seed-")).sorted().collect(Collectors.toList());
        }
        assertThat(seeds).hasSize(9);
        for (int i : new int[] {1, 3, 4, 8}) {
            Files.delete(seeds.get(i));
        }
        Path resumed = tmp.resolve("resumed.json");
        Cli second = trajectory(cps, store, resumed);
        assertThat(second.exitCode).as(second.toString()).isZero();
        assertThat(second.out).contains("4 samples computed, 5 reused from the store");
        assertThat(Files.readString(resumed)).isEqualTo(Files.readString(full));
        // Nothing left to do.
        Cli third = trajectory(cps, store, tmp.resolve("third.json"));
        assertThat(third.out).contains("0 samples computed, 9 reused");
        // Another option value never reuses these results.
        Cli other = trajectory(cps, store, tmp.resolve("other.json"), "--threshold", "100");
        assertThat(other.out).contains("9 samples computed, 0 reused");
    }

    @Test
    void revisionsExpandToHubNames() {
        assertThat(TrajectoryCommand.models(List.of("EleutherAI/pythia-160m"), List.of("step0", "step1000")))
                .containsExactly("EleutherAI/pythia-160m@step0", "EleutherAI/pythia-160m@step1000");
        List<String> pythia = TrajectoryCommand.models(List.of("EleutherAI/pythia-70m"), List.of("pythia"));
        assertThat(pythia).hasSize(154).startsWith("EleutherAI/pythia-70m@step0", "EleutherAI/pythia-70m@step1",
                "EleutherAI/pythia-70m@step2").endsWith("EleutherAI/pythia-70m@step143000");
        assertThat(pythia).contains("EleutherAI/pythia-70m@step512", "EleutherAI/pythia-70m@step1000");
    }

    @Test
    void badInputIsOneLineWithExitCodeTwo() throws Exception {
        Cli r = Cli.run("trajectory", Cli.golden(FIXTURES[0]).toString(), "--revisions", "step0", "--no-store");
        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.err).contains("--revisions applies to Hub models").doesNotContain("at org.");
        Path missing = tmp.resolve("nope");
        Cli m = Cli.run("trajectory", Cli.golden(FIXTURES[0]).toString(), missing.toString(), "--no-store",
                "--nodes-per-layer", "12", "--samples", "1");
        assertThat(m.exitCode).isEqualTo(2);
        assertThat(m.err.trim().lines().count()).isEqualTo(1);
        assertThat(m.err).contains(missing.toString()).contains("no such file");
    }
}

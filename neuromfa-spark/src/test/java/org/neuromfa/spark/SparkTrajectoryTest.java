package org.neuromfa.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.cli.Main;
import org.neuromfa.golden.Golden;
import org.neuromfa.io.ResultJson;
import org.neuromfa.io.TrajectoryJson;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.study.ResultStore;
import org.neuromfa.source.hub.LocalHub;
import org.neuromfa.study.Trajectory;
import org.neuromfa.study.TrajectoryResult;

/**
 * The acceptance tests of the Spark runner, against the command line's own output on the golden
 * fixtures: a three-checkpoint trajectory with 3 seeds, k = 12. One local-mode context with 2 executor
 * threads and 2 attempts per task ({@code local[2,2]}) is shared by the tests, which run one after
 * another.
 */
class SparkTrajectoryTest {
    private static final int SEEDS = 3;
    private static JavaSparkContext spark;
    private static List<String> models;
    private static byte[] cliJson;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        Path golden = Golden.shared().resolve("golden");
        models = List.of(golden.resolve("neox-d128-l4-normal-f32").toString(),
                golden.resolve("neox-d128-l4-student-f16").toString(),
                golden.resolve("neox-d96-l3-rowscaled-bf16").toString());
        Path json = tmp.resolve("cli.json");
        Run cli = Run.cli(args("--threads", "2", "--no-store", "--json", json.toString()));
        assertThat(cli.code).as(cli.err).isZero();
        cliJson = Files.readAllBytes(json);
        spark = new JavaSparkContext(SparkRuntime.conf("local[2,2]", List.of(), null));
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of("trajectory"));
        a.addAll(models);
        a.addAll(List.of("--nodes-per-layer", "12", "--samples", Integer.toString(SEEDS)));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    void sparkTrajectoryJsonIsIdenticalToTheCommandLines() throws Exception {
        Path json = tmp.resolve("spark.json");
        Path store = tmp.resolve("store-identical");
        Run run = Run.spark(null, args("--store", store.toString(), "--json", json.toString()));
        assertThat(run.code).as(run.err).isZero();
        assertThat(run.out).contains("9 samples computed, 0 reused from the store");
        assertThat(run.err).contains("spark: 3 tasks, 9 samples in ");
        assertThat(new String(Files.readAllBytes(json))).isEqualTo(new String(cliJson));

        // What Spark stored is what the command line reads back: a plain rerun computes nothing.
        Path again = tmp.resolve("again.json");
        Run cli = Run.cli(args("--store", store.toString(), "--json", again.toString()));
        assertThat(cli.code).as(cli.err).isZero();
        assertThat(cli.out).contains("0 samples computed, 9 reused from the store");
        assertThat(Files.readAllBytes(again)).isEqualTo(cliJson);
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheResultIsComplete() throws Exception {
        FailingSeed.ATTEMPTS.clear();
        AnalysisOptions options = AnalysisOptions.defaults().withSamples(SEEDS).withNodesPerLayer(12);
        AtomicInteger computed = new AtomicInteger();
        SparkSampleRunner runner = runner(new FailingSeed(models.get(1), 1, 1));
        byte[] json = ResultJson.bytes(TrajectoryJson.of(Trajectory.run(models, options, ResultStore.inMemory(), runner,
                (c, seed, wasComputed) -> computed.incrementAndGet())));
        assertThat(FailingSeed.ATTEMPTS).containsExactly("attempt 0 failed", "attempt 1 computed");
        assertThat(computed.get()).isEqualTo(9);
        // One task per checkpoint (3 checkpoints on 2 slots), all of whose seeds came back once.
        assertThat(runner.tasks()).isEqualTo(3);
        assertThat(runner.computedSamples()).isEqualTo(9);
        assertThat(new String(json)).isEqualTo(new String(cliJson));
    }

    /**
     * Seed 0 of the last checkpoint fails on every attempt of its task, the first seed the task computes:
     * on the last attempt its other seeds are computed one by one, so only seed 0 is reported and the
     * other 8 samples are stored.
     */
    @Test
    void aSeedThatKeepsFailingIsReportedWithItsCheckpointAndTheOthersAreKept() throws Exception {
        FailingSeed.ATTEMPTS.clear();
        Path store = tmp.resolve("store-failing");
        Path json = tmp.resolve("failing.json");
        Run failed = Run.spark(new FailingSeed(models.get(2), 0, Integer.MAX_VALUE),
                args("--store", store.toString(), "--json", json.toString()));
        // The task's two attempts, then seed 0 alone in the last attempt.
        assertThat(FailingSeed.ATTEMPTS).containsExactly("attempt 0 failed", "attempt 1 failed", "attempt 1 failed");
        assertThat(failed.code).as(failed.err).isEqualTo(SparkMain.TASKS_FAILED);
        assertThat(failed.err).contains("neuromfa: " + models.get(2) + ": seed 0: java.io.IOException: ")
                .contains("injected failure").contains("(2 attempts)")
                .contains("1 of 9 samples failed; the results of the others are stored")
                .contains("spark: 3 tasks, 8 samples in ");
        assertThat(json).doesNotExist();
        assertThat(storedSamples(store)).isEqualTo(8);

        Run rerun = Run.spark(null, args("--store", store.toString(), "--json", json.toString()));
        assertThat(rerun.code).as(rerun.err).isZero();
        assertThat(rerun.out).contains("1 samples computed, 8 reused from the store");
        assertThat(new String(Files.readAllBytes(json))).isEqualTo(new String(cliJson));
    }

    @Test
    void executorsReadHubCheckpointsWithTheSettingsFromTheSparkConf() throws Exception {
        try (LocalHub hub = new LocalHub()) {
            String[] revisions = {"step0", "step1000", "step143000"};
            for (int i = 0; i < 3; i++) {
                hub.serve("neuromfa/neox-golden", revisions[i], Paths.get(models.get(i)));
            }
            hub.requireToken();
            Path json = tmp.resolve("hub.json");
            Path cache = tmp.resolve("executor-hub-cache");
            List<String> a = new ArrayList<>(List.of("trajectory", "neuromfa/neox-golden", "--revisions",
                    String.join(",", revisions), "--nodes-per-layer", "12", "--samples", Integer.toString(SEEDS),
                    "--no-store", "--json", json.toString(),
                    "--conf", "spark.neuromfa.hf.endpoint=" + hub.endpoint(),
                    "--conf", "spark.neuromfa.hf.token=" + LocalHub.TOKEN,
                    "--conf", "spark.neuromfa.hf.cache=" + cache,
                    // A link taken as given (no round trip worth saving): both runners read exactly the
                    // planned bytes, whatever the machine's load makes a measured link look like.
                    "--conf", "spark.neuromfa.hf.link=0:1000"));
            long sentBefore = hub.contentBytesSent();
            Run run = Run.spark(null, a.toArray(new String[0]));
            assertThat(run.code).as(run.err).isZero();
            long sparkBytes = hub.contentBytesSent() - sentBefore;
            // A task holds a checkpoint's seeds, planned and fetched together: the bytes the command
            // line's own runner transfers for the same trajectory from an empty cache, not once per seed.
            long cliBefore = hub.contentBytesSent();
            java.util.Map<String, String> env = new java.util.HashMap<>();
            env.put("HF_ENDPOINT", hub.endpoint());
            env.put("HF_TOKEN", LocalHub.TOKEN);
            env.put("HF_HUB_CACHE", tmp.resolve("cli-hub-cache").toString());
            env.put("NEUROMFA_HUB_LINK", "0:1000");
            org.neuromfa.analysis.AnalysisOptions o = org.neuromfa.analysis.AnalysisOptions.defaults()
                    .withSamples(SEEDS).withNodesPerLayer(12);
            List<String> hubModels = new ArrayList<>();
            for (String rev : revisions) {
                hubModels.add("neuromfa/neox-golden@" + rev);
            }
            org.neuromfa.study.Trajectory.run(hubModels, o, org.neuromfa.study.ResultStore.inMemory(),
                    new org.neuromfa.study.ThreadPoolSampleRunner(1,
                            org.neuromfa.locate.CheckpointLocator.fromEnvironment(env)), null,
                    org.neuromfa.locate.CheckpointLocator.fromEnvironment(env));
            long cliBytes = hub.contentBytesSent() - cliBefore;
            assertThat(sparkBytes).isPositive().isEqualTo(cliBytes);
            assertThat(run.out + run.err).doesNotContain(LocalHub.TOKEN);
            assertThat(hub.hubAuthorizations()).isNotEmpty().allMatch(h -> h.equals("Bearer " + LocalHub.TOKEN));
            // The executors' range cache is where the conf says.
            assertThat(cache.resolve("neuromfa")).isDirectory();
            // The same numbers as the local checkpoints (only the names and labels differ).
            TrajectoryResult local = TrajectoryJson.read(tmp.resolve("cli.json"));
            TrajectoryResult remote = TrajectoryJson.read(json);
            for (int i = 0; i < 3; i++) {
                assertThat(remote.points.get(i).revision).isEqualTo(revisions[i]);
                assertThat(remote.points.get(i).alpha0Mean).isEqualTo(local.points.get(i).alpha0Mean);
                assertThat(remote.points.get(i).widthMean).isEqualTo(local.points.get(i).widthMean);
                assertThat(remote.points.get(i).emergence).isEqualTo(local.points.get(i).emergence);
                assertThat(remote.points.get(i).parameterCount).isEqualTo(local.points.get(i).parameterCount);
            }
        }
    }

    @Test
    void badInputIsReportedAtOnceWithoutRetries() {
        AnalysisOptions options = AnalysisOptions.defaults().withSamples(1).withNodesPerLayer(100000);
        SparkSampleRunner runner = runner(TaskHook.NONE);
        assertThatThrownBy(() -> Trajectory.run(models.subList(0, 1), options, ResultStore.inMemory(), runner, null))
                .isInstanceOfSatisfying(FailedSamplesException.class, e -> {
                    assertThat(e.failures()).hasSize(1);
                    assertThat(e.failures().get(0).checkpoint).isEqualTo(models.get(0));
                    assertThat(e.failures().get(0).seed).isZero();
                    assertThat(e.failures().get(0).attempts).isEqualTo(1);
                });
    }

    /**
     * A checkpoint directory without weights, a safetensors file whose header length is absurd, and a
     * path that does not exist: each after a good checkpoint, so that a run that starts computing
     * before looking would store something. Spark must stop before submitting any task, with the
     * command line's exit code (2) and its one line.
     */
    @Test
    void badInputExitsTwoWithTheCommandLinesLineBeforeAnyTask() throws Exception {
        Path noWeights = tmp.resolve("bad/no-weights");
        Files.createDirectories(noWeights);
        Files.copy(Paths.get(models.get(0)).resolve("config.json"), noWeights.resolve("config.json"));
        Path malformed = tmp.resolve("bad/malformed");
        Files.createDirectories(malformed);
        Files.copy(Paths.get(models.get(0)).resolve("config.json"), malformed.resolve("config.json"));
        byte[] weights = Files.readAllBytes(Paths.get(models.get(0)).resolve("model.safetensors"));
        // The first 8 bytes are the header's length (little-endian u64): claim 2^40 bytes.
        java.nio.ByteBuffer.wrap(weights).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        Files.write(malformed.resolve("model.safetensors"), weights);
        String missing = tmp.resolve("bad/does-not-exist").toString();

        for (String bad : List.of(noWeights.toString(), malformed.toString(), missing)) {
            List<String> a = new ArrayList<>(List.of("trajectory", models.get(0), bad, "--nodes-per-layer", "12",
                    "--samples", Integer.toString(SEEDS)));
            Path cliStore = tmp.resolve("bad-store-cli-" + Paths.get(bad).getFileName());
            Path sparkStore = tmp.resolve("bad-store-spark-" + Paths.get(bad).getFileName());
            List<String> cliArgs = new ArrayList<>(a);
            cliArgs.addAll(List.of("--store", cliStore.toString()));
            List<String> sparkArgs = new ArrayList<>(a);
            sparkArgs.addAll(List.of("--store", sparkStore.toString()));
            Run cli = Run.cli(cliArgs.toArray(new String[0]));
            Run spark = Run.spark(null, sparkArgs.toArray(new String[0]));
            assertThat(cli.code).as(cli.err).isEqualTo(2);
            assertThat(spark.code).as(spark.err).isEqualTo(2);
            String line = errorLine(cli.err);
            assertThat(line).startsWith("neuromfa: " + bad);
            assertThat(errorLine(spark.err)).isEqualTo(line);
            assertThat(spark.err).doesNotContain("samples failed").doesNotContain("spark: ");
            assertThat(storedSamples(sparkStore)).as("nothing computed before the check").isZero();
        }
    }

    private static SparkSampleRunner runner(TaskHook hook) {
        return new SparkSampleRunner(spark, java.util.Map.of(), hook, null, new PrintWriter(new StringWriter()));
    }

    private static String errorLine(String err) {
        return err.lines().filter(l -> l.startsWith("neuromfa: ")).findFirst().orElse("(no error line in: " + err + ")");
    }

    private static long storedSamples(Path store) throws java.io.IOException {
        if (!Files.exists(store)) {
            return 0;
        }
        try (var files = Files.walk(store)) {
            return files.filter(f -> f.getFileName().toString().startsWith("seed-")).count();
        }
    }

    /** One run of a command line, in-process. */
    private static final class Run {
        final int code;
        final String out;
        final String err;

        private Run(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }

        static Run cli(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
            return new Run(code, out.toString(), err.toString());
        }

        static Run spark(TaskHook hook, String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = SparkMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true), spark,
                    hook == null ? TaskHook.NONE : hook);
            return new Run(code, out.toString(), err.toString());
        }
    }
}

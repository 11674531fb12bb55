package org.neuromfa.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.cli.Main;
import org.neuromfa.golden.Golden;

/**
 * The cluster jar on a real Spark standalone cluster on 127.0.0.1 (one master, workers of one core
 * each, executors of 512 MB), submitted in client mode through Spark's own launcher as
 * {@code spark-submit} does, checked against the command line's JSON; and the two ways the issue saw a
 * cluster run fail. Run by {@code mvn verify} (after {@code package}, which builds the cluster jar).
 * In the order below, one master throughout:
 * <ol>
 * <li>a driver started with plain {@code java}, without Spark's JVM options: one line naming them;
 * <li>a worker started without {@code SPARK_SCALA_VERSION}, so it cannot build an executor's command:
 *     one line with Spark's cause, exit code 4, no throughput line;
 * <li>two working workers: a trajectory identical, byte for byte, to the command line's;
 * <li>a worker and its executor killed with SIGKILL while a task runs there: the job finishes on the
 *     other worker, and the JSON is still identical.
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class StandaloneClusterIT {
    private static final Path GOLDEN = Golden.shared().resolve("golden");
    private static final Path TARGET = Paths.get(System.getProperty("neuromfa.root"), "neuromfa-spark", "target");

    @TempDir
    static Path tmp;
    private static StandaloneCluster cluster;
    private static StandaloneCluster.Worker first;
    private static StandaloneCluster.Worker second;

    @BeforeAll
    static void startMaster() throws Exception {
        Path jar = TARGET.resolve("neuromfa-spark-cluster.jar");
        assertThat(jar).as("built by mvn package, before this test's phase").isRegularFile();
        // Run in the test phase (mvn test -Dtest=...), the jar would be an older build than the classes.
        long built = Files.getLastModifiedTime(jar).toMillis();
        try (var classes = Files.walk(TARGET.resolve("classes"))) {
            assertThat(classes.filter(f -> f.toString().endsWith(".class")).mapToLong(f -> f.toFile().lastModified()).max()
                    .orElse(0)).as("the cluster jar is older than the compiled classes: run mvn verify (package builds it)")
                    .isLessThanOrEqualTo(built);
        }
        List<Path> spark = StandaloneCluster.classpath(TARGET.resolve("spark-classpath.txt"));
        // The recipe's list is exactly what the cluster jar leaves to the cluster: nothing the jar needs is
        // missing from it (the daemons, which do not see the jar, would fail), and no NeuroMFA class hides
        // a jar that lacks it.
        assertThat(spark).containsExactlyInAnyOrderElementsOf(
                StandaloneCluster.sparkJars(jar, StandaloneCluster.classpath(TARGET.resolve("classpath.txt"))));
        cluster = new StandaloneCluster(tmp.resolve("cluster"), jar, spark);
        cluster.startMaster();
    }

    @AfterAll
    static void stopCluster() throws java.io.IOException {
        if (cluster != null) {
            cluster.close();
        }
        // The cluster's Spark home links its jars from the Maven repository: removing the links here
        // (never their targets) spares a passing build JUnit's warning for each (about 135 lines) when
        // it deletes the temporary directory.
        if (tmp != null && Files.isDirectory(tmp)) {
            try (java.util.stream.Stream<Path> all = Files.walk(tmp)) {
                for (Path link : all.filter(Files::isSymbolicLink).collect(java.util.stream.Collectors.toList())) {
                    Files.deleteIfExists(link);
                }
            }
        }
    }

    private static String model(String name) {
        return GOLDEN.resolve(name).toString();
    }

    /** {@code spark-submit --master ... --deploy-mode client --class SparkMain CLUSTER-JAR ARGS} */
    private static StandaloneCluster.Run submit(String name, Duration timeout, String... args) throws Exception {
        return cluster.await(name, start(name, args), timeout);
    }

    private static Process start(String name, String... args) throws Exception {
        List<String> submit = new ArrayList<>(List.of("--driver-memory", "512m",
                "--driver-java-options", String.join(" ", StandaloneCluster.QUICK_JVM)));
        submit.addAll(submitArgs(args));
        return cluster.submit(name, cluster.environment(true), submit);
    }

    private static List<String> submitArgs(String... args) {
        List<String> submit = new ArrayList<>(List.of("--master", cluster.masterUrl(), "--deploy-mode", "client",
                "--class", SparkMain.class.getName(), "--conf", "spark.executor.memory=512m",
                "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", StandaloneCluster.QUICK_JVM),
                "--conf", "spark.ui.enabled=false", cluster.clusterJar.toString()));
        submit.addAll(List.of(args));
        return submit;
    }

    private static String cliJson(Path json, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--no-store", "--json", json.toString()));
        StringWriter err = new StringWriter();
        int code = Main.run(a.toArray(new String[0]), new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        return Files.readString(json);
    }

    /** The run's one line from NeuroMFA (also printed, so that the build log shows what a user sees). */
    private static String neuromfaLine(StandaloneCluster.Run run) {
        List<String> lines = run.errLines("neuromfa: ");
        assertThat(lines).as(run.toString()).hasSize(1);
        System.out.println("StandaloneClusterIT: " + lines.get(0));
        return lines.get(0);
    }

    @Test
    @Order(1)
    void aDriverWithoutSparksJvmOptionsIsToldWhichAndNothingRuns() throws Exception {
        String cp = cluster.clusterJar + ":" + cluster.home.resolve("jars") + "/*";
        Process p = cluster.start("plain-java", cluster.environment(true), List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1", "-cp", cp,
                SparkMain.class.getName(), "trajectory", model("neox-d128-l4-normal-f32"), "--samples", "2",
                "--nodes-per-layer", "12", "--no-store", "--master", cluster.masterUrl()));
        StandaloneCluster.Run run = cluster.await("plain-java", p, Duration.ofSeconds(120));
        assertThat(run.code).as(run.toString()).isEqualTo(SparkMain.SPARK_FAILED);
        String line = neuromfaLine(run);
        assertThat(line).hasSizeLessThan(400).contains("--add-opens").contains("java.base/{java.lang,")
                .contains("java.nio").contains("spark-submit").contains("jvm-options.txt");
        assertThat(run.err).doesNotContain("spark: ").doesNotContain("internal error");
    }

    @Test
    @Order(2)
    void workersThatCannotStartExecutorsEndInOneLineWithSparksCause() throws Exception {
        StandaloneCluster.Worker broken = cluster.startWorkers(1, false, "1g").get(0);
        try {
            StandaloneCluster.Run run = submit("broken-workers", Duration.ofSeconds(180), "trajectory",
                    model("neox-d128-l4-normal-f32"), model("neox-d128-l4-student-f16"), "--samples", "4",
                    "--nodes-per-layer", "12", "--no-store", "--json", tmp.resolve("broken.json").toString());
            assertThat(run.code).as(run.toString()).isEqualTo(SparkMain.SPARK_FAILED);
            String line = neuromfaLine(run);
            assertThat(line).as(run.toString()).hasSizeLessThan(400)
                    .startsWith("neuromfa: Spark stopped before any task ran: Master removed our application: FAILED")
                    .contains("no executor could start (").contains("Cannot find any build directories")
                    .contains("Spark's log: stderr").contains("work/app-");
            assertThat(run.err).as(run.toString()).doesNotContain("spark: ").doesNotContain("\\u000a");
            assertThat(tmp.resolve("broken.json")).doesNotExist();
            // The worker's own log has the whole story: the cause the line quotes.
            assertThat(Files.readString(broken.log)).contains("Cannot find any build directories");
        } finally {
            StandaloneCluster.stop(broken.process);
        }
    }

    /** The two working workers, started once (whatever the tests before them did). */
    private static void workers() throws Exception {
        if (first == null) {
            List<StandaloneCluster.Worker> two = cluster.startWorkers(2, true, "1g");
            first = two.get(0);
            second = two.get(1);
        }
    }

    /**
     * One checkpoint, 10 seeds, two slots (set, so that the split does not depend on when the executors
     * register): two tasks of five seeds, and the command line's JSON. Submitted as the README does
     * from a distribution without scripts: {@code java $(cat jvm-options.txt) ... SparkSubmit ...}.
     */
    @Test
    @Order(3)
    void theClusterJarGivesTheCommandLinesJson() throws Exception {
        workers();
        String[] args = {"trajectory", model("neox-d128-l4-normal-f32"), "--samples", "10", "--nodes-per-layer", "12"};
        String expected = cliJson(tmp.resolve("cli-small.json"), args);
        Path json = tmp.resolve("cluster-small.json");
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--no-store", "--json", json.toString(), "--conf", "spark.default.parallelism=2"));
        Process driver = cluster.submitDirect("small", cluster.environment(true), TARGET.resolve("jvm-options.txt"),
                submitArgs(a.toArray(new String[0])));
        StandaloneCluster.Run run = cluster.await("small", driver, Duration.ofSeconds(180));
        assertThat(run.code).as(run.toString()).isZero();
        assertThat(run.out).contains("10 samples computed, 0 reused from the store");
        assertThat(run.err).as(run.toString()).contains("spark: 2 tasks, 10 samples in ").contains("on " + cluster.masterUrl());
        assertThat(Files.readString(json)).isEqualTo(expected);
    }

    /**
     * Three checkpoints of 100 seeds at k = 16, one task each (a second or more per task): as soon as
     * the second worker's executor runs a task, the worker and the executor are killed with SIGKILL.
     * Spark loses the executor and the task, runs it again on the first worker, and the trajectory is
     * the command line's.
     */
    @Test
    @Order(4)
    void aWorkerKilledMidRunLosesNothing() throws Exception {
        workers();
        String[] args = {"trajectory", model("neox-d128-l4-normal-f32"), model("neox-d128-l4-student-f16"),
            model("neox-d96-l3-rowscaled-bf16"), "--samples", "100", "--nodes-per-layer", "16"};
        String expected = cliJson(tmp.resolve("cli-kill.json"), args);
        Path json = tmp.resolve("cluster-kill.json");
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--no-store", "--json", json.toString()));
        List<String> earlier = second.applications();
        Process driver = start("kill", a.toArray(new String[0]));
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!second.executorLogContains(earlier, "Running task") && driver.isAlive() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(second.executorLogContains(earlier, "Running task")).as("a task started on the second worker: "
                + cluster.read("kill", -1)).isTrue();
        assertThat(second.executorLogContains(earlier, "Finished task")).as("killed before its task finished").isFalse();
        second.killHard();
        StandaloneCluster.Run run = cluster.await("kill", driver, Duration.ofSeconds(240));
        assertThat(run.code).as(run.toString()).isZero();
        assertThat(run.err).as("Spark saw the executor go").contains("Lost executor");
        assertThat(run.out).contains("300 samples computed, 0 reused from the store");
        assertThat(Files.readString(json)).isEqualTo(expected);
        assertThat(first.executorLogContains(earlier, "Finished task")).isTrue();
        assertThat(first.process.isAlive()).as("the first worker is still up").isTrue();
    }
}

package org.neuromfa.spark;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.neuromfa.cli.TrajectoryCommand;
import org.neuromfa.locate.CheckpointLocator;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.study.SampleRunner;
import org.neuromfa.study.ThreadPoolSampleRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neuromfa spark trajectory}: the command line's {@code trajectory}, with every option and
 * output of it, computing the missing (checkpoint, seed) pairs as Spark tasks, one per checkpoint.
 * Spark is started only when something is missing from the store.
 */
@Command(name = "trajectory",
        header = "A trajectory (as 'neuromfa trajectory') with one Spark task per checkpoint.",
        mixinStandardHelpOptions = true,
        description = "Follow the spectrum over training checkpoints (as 'neuromfa trajectory'), computing one Spark "
                + "task per checkpoint (its seeds split only when there are fewer checkpoints than task slots). "
                + "Results go to the same store and the same JSON, CSV and plots. --threads is not used: Spark's "
                + "executors and their cores decide the parallelism.")
public final class SparkTrajectoryCommand extends TrajectoryCommand {

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master. Default: spark-submit's, else local[*] (Spark embedded in this JVM)."
                    + " A local master gets --max-failures attempts per task (local[N,F]).")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
            description = "A Spark setting (repeatable), e.g. spark.neuromfa.hf.token=..., spark.neuromfa.hf.cache=DIR,"
                    + " spark.neuromfa.hf.endpoint=URL, spark.executor.cores=4.")
    List<String> conf = new ArrayList<>();

    @Option(names = "--max-failures", paramLabel = "N",
            description = "Attempts per task before it is reported as failed (default: spark.task.maxFailures, else 4).")
    Integer maxFailures;

    /** A context given by the caller (tests): used, and left running. */
    JavaSparkContext given;
    /** What tasks see of the tensors; only tests change it. */
    TaskHook hook = TaskHook.NONE;
    private JavaSparkContext started;
    private CheckpointLocator driverLocator;

    @Spec
    CommandSpec sparkSpec;

    @Override
    protected SampleRunner runner(AnalysisOptions options) {
        return (work, o, sink) -> {
            // Bad input is found here, on the driver, as the command line finds it (exit 2, its one
            // line), before Spark starts; tasks then fail only for what could not be seen from here.
            ThreadPoolSampleRunner.check(work, o, locator());
            // From this command's conf, also when running in a context given by the caller.
            Map<String, String> settings = ExecutorSettings.of(SparkRuntime.conf(master, conf, maxFailures));
            JavaSparkContext spark = context();
            PrintWriter err = sparkSpec.commandLine().getErr();
            SparkSampleRunner runner = new SparkSampleRunner(spark, settings, hook,
                    spark == started ? ClusterWatch.latest() : null, err);
            try {
                runner.run(work, o, sink);
            } finally {
                // The throughput of the tasks alone, without Spark's start-up: what --master changes.
                // Nothing finished, nothing to measure: a failed cluster prints its one line only.
                if (runner.finishedTasks() > 0) {
                    double seconds = runner.jobSeconds();
                    err.printf(Locale.ROOT, "spark: %d tasks, %d samples in %.2f s (%.2f samples/s) on %s%n",
                            runner.finishedTasks(), runner.computedSamples(), seconds,
                            runner.computedSamples() / Math.max(seconds, 1e-9), spark.master());
                    err.flush();
                }
            }
        };
    }

    /**
     * The driver resolves Hub revisions to commits with the settings the executors get: the
     * {@code spark.neuromfa.hf.*} entries of this command's conf over the driver's environment.
     */
    @Override
    protected synchronized CheckpointLocator locator() {
        if (driverLocator == null) {
            driverLocator = CheckpointLocator.fromEnvironment(ExecutorSettings.environment(
                    ExecutorSettings.of(SparkRuntime.conf(master, conf, maxFailures))));
        }
        return driverLocator;
    }

    private synchronized JavaSparkContext context() throws SparkFailure {
        if (given != null) {
            return given;
        }
        if (started == null) {
            SparkConf sparkConf = SparkRuntime.conf(master, conf, maxFailures);
            ExecutorSettings.of(sparkConf); // unknown spark.neuromfa.hf.* keys fail before Spark starts
            SparkJvmOptions.check();
            // Before the context: the cluster's first words (a master that gives up on the application)
            // come while it starts.
            SparkLogCapture.get().reset();
            sparkConf.set("spark.extraListeners", SparkRuntime.withListener(sparkConf.get("spark.extraListeners", "")));
            try {
                started = new JavaSparkContext(sparkConf);
            } catch (RuntimeException e) {
                throw new SparkFailure("Spark could not start: " + SparkFailure.firstLine(SparkFailure.root(e)), e);
            }
            started.setLogLevel("WARN");
        }
        return started;
    }

    @Override
    public Integer call() throws Exception {
        try {
            return super.call();
        } finally {
            if (started != null) {
                started.stop();
                started = null;
            }
        }
    }
}

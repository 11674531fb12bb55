package org.neuromfa.spark;

import java.io.PrintWriter;
import org.apache.spark.api.java.JavaSparkContext;
import org.neuromfa.cli.Main;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code neuromfa spark ...} and the main class for {@code spark-submit}. Exit codes as the command
 * line's (0 success, 1 internal error, 2 bad input), 3 when some samples failed on every attempt
 * (listed on stderr with their checkpoint and seed; the other results are in the store), and 4 when
 * Spark could not run the work (the cluster failed, or the driver's JVM lacks Spark's options): one
 * line with the cause Spark gives and where its log is.
 */
@Command(name = "neuromfa spark",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {"NeuroMFA on Apache Spark: one task per checkpoint."},
        subcommands = {SparkTrajectoryCommand.class, CommandLine.HelpCommand.class})
public final class SparkMain {
    /** Some samples failed on every attempt; the others' results are stored. */
    public static final int TASKS_FAILED = 3;
    /** Spark could not run the work: the cluster or the driver's set-up, not the input. */
    public static final int SPARK_FAILED = 4;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), null));
    }

    /** Runs {@code args}; {@code spark} is a running context to use (and leave running), or null to start one. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, JavaSparkContext spark) {
        return run(args, out, err, spark, TaskHook.NONE);
    }

    static int run(String[] args, PrintWriter out, PrintWriter err, JavaSparkContext spark, TaskHook hook) {
        SparkMain main = new SparkMain();
        CommandLine cl = new CommandLine(main);
        cl.setOut(out);
        cl.setErr(err);
        SparkTrajectoryCommand trajectory = (SparkTrajectoryCommand) cl.getSubcommands().get("trajectory").getCommand();
        trajectory.given = spark;
        trajectory.hook = hook;
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof FailedSamplesException) {
                FailedSamplesException f = (FailedSamplesException) e;
                for (FailedSamplesException.Failure failure : f.failures()) {
                    err.println("neuromfa: " + failure.toString().replace('\n', ' '));
                }
                err.println(f.failures().size() == f.tasks()
                        ? "neuromfa: all " + f.tasks() + " samples failed"
                        : "neuromfa: " + f.failures().size() + " of " + f.tasks() + " samples failed;"
                                + " the results of the others are stored (a rerun computes only the failed ones)");
                err.flush();
                return TASKS_FAILED;
            }
            if (e instanceof SparkFailure) {
                err.println("neuromfa: " + e.getMessage());
                if (main.verbose || hasVerbose(args)) {
                    e.printStackTrace(err);
                }
                err.flush();
                return SPARK_FAILED;
            }
            return Main.report(e, main.verbose || hasVerbose(args), err);
        });
        return cl.execute(args);
    }

    private static boolean hasVerbose(String[] args) {
        for (String a : args) {
            if (a.equals("--verbose")) {
                return true;
            }
        }
        return false;
    }
}

package org.neuromfa.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkContext;
import org.neuromfa.NeuroMfaException;

/**
 * Spark could not run the work: the cluster failed (the master removed the application, every
 * executor was lost, the context stopped) or the driver cannot run Spark (its JVM lacks the options
 * Spark needs). Nothing is wrong with the input, so this is not exit code 2 but
 * {@link SparkMain#SPARK_FAILED}, and the message is one short line: what happened, the first line of
 * the cause Spark gives, and where Spark's log is. Results of tasks that finished before are stored.
 */
public final class SparkFailure extends IOException {
    private static final long serialVersionUID = 1L;
    /** The whole line, "neuromfa: " included, stays under this. */
    static final int MAX_LINE = 399;
    private static final int MAX_PART = 160;

    SparkFailure(String message) {
        super(NeuroMfaException.oneLine(message));
    }

    SparkFailure(String message, Throwable cause) {
        super(NeuroMfaException.oneLine(message), cause);
    }

    /**
     * The job of {@code tasks} tasks could not finish ({@code finished} did, their results stored):
     * {@code error} is what Spark threw, or null when the context stopped before anything was submitted.
     */
    static SparkFailure stopped(SparkContext spark, ClusterWatch watch, Throwable error, int finished, int tasks) {
        SparkLogCapture log = SparkLogCapture.get();
        String what;
        if (tasks == 0) {
            what = "Spark stopped before any task ran";
        } else if (finished == 0) {
            what = "the Spark job failed before any of its " + tasks + " tasks finished";
        } else {
            what = "the Spark job failed after " + finished + " of " + tasks + " tasks (their results are stored)";
        }
        List<String> parts = new ArrayList<>();
        String killed = log == null ? null : log.killReason();
        String cause = killed != null ? killed : firstLine(root(error));
        if (cause != null) {
            parts.add(cause);
        }
        List<String> lost = watch == null ? List.of() : watch.lost();
        if (!lost.isEmpty()) {
            String last = lost.get(lost.size() - 1);
            // "executor 9: Error running executor: ..." -> the reason alone
            String reason = last.substring(last.indexOf(": ") + 2);
            parts.add(watch.anyRegistered()
                    ? lost.size() + (lost.size() == 1 ? " executor" : " executors") + " lost, the last: " + reason
                    : "no executor could start (" + lost.size() + " tried): " + reason);
        }
        StringBuilder line = new StringBuilder(what);
        for (int i = 0; i < parts.size(); i++) {
            line.append(i == 0 ? ": " : "; ").append(cut(parts.get(i)));
        }
        return new SparkFailure(fit(line.toString(), " (" + where(spark, log) + ")"), error);
    }

    /** Where to read more: the driver's log, and for a standalone application the workers' logs of it. */
    private static String where(SparkContext spark, SparkLogCapture log) {
        String driver = log == null ? null : log.driverLog();
        StringBuilder s = new StringBuilder("Spark's log: ").append(driver == null ? "the driver's log4j2 output" : driver);
        String app = spark == null ? null : spark.applicationId();
        if (spark != null && spark.master().startsWith("spark://") && app != null) {
            s.append("; executors': work/").append(app).append("/ on each worker");
        }
        return s.toString();
    }

    /** The deepest cause. */
    static Throwable root(Throwable t) {
        if (t == null) {
            return null;
        }
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }

    /** The first line of a throwable's message, with its class when the message does not say much. */
    static String firstLine(Throwable t) {
        if (t == null) {
            return null;
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getName();
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).trim();
    }

    private static String cut(String part) {
        String one = NeuroMfaException.oneLine(part);
        return one.length() <= MAX_PART ? one : one.substring(0, MAX_PART - 3) + "...";
    }

    /** {@code head} shortened so that it and {@code tail} (where the log is) fit on the line. */
    static String fit(String head, String tail) {
        String h = NeuroMfaException.oneLine(head);
        String t = NeuroMfaException.oneLine(tail);
        int room = MAX_LINE - "neuromfa: ".length();
        if (t.length() > room / 2) {
            t = t.substring(0, room / 2 - 4) + "...)";
        }
        int left = room - t.length();
        return (h.length() <= left ? h : h.substring(0, left - 3) + "...") + t;
    }

    /** Throws {@code t} as it is, checked or not (for Scala functions, which declare nothing). */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> E rethrow(Throwable t) throws E {
        throw (E) t;
    }
}

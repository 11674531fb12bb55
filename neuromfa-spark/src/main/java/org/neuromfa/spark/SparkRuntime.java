package org.neuromfa.spark;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.neuromfa.NeuroMfaException;

/**
 * The Spark configuration of a NeuroMFA run: the master (embedded local mode unless told otherwise or
 * run by {@code spark-submit}), task retries, and the redaction of secrets from logs and the UI.
 */
final class SparkRuntime {
    /** Spark's default redaction pattern, plus every NeuroMFA Hub setting (the token among them). */
    static final String REDACTION = "(?i)secret|password|token|access[.]?key|spark[.]neuromfa[.]hf[.]";
    static final int DEFAULT_MAX_FAILURES = 4;

    // local, local[N], local[*], local[N,F], local[*,F]
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\d+|\\*)(?:,(\\d+))?\\])?");

    private SparkRuntime() {
    }

    /**
     * The conf for a run: {@code spark.*} system properties (what {@code spark-submit} passes), then
     * {@code --conf} entries, then {@code --master}. Local mode normally never retries a task; a local
     * master without its own retry count gets {@code maxFailures} as {@code local[N,F]}.
     */
    static SparkConf conf(String master, List<String> entries, Integer maxFailures) {
        SparkConf conf = new SparkConf(true);
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new NeuroMfaException("--conf", "expected KEY=VALUE, not '" + redactEntry(entry) + "'");
            }
            conf.set(entry.substring(0, eq).trim(), entry.substring(eq + 1));
        }
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        if (!conf.contains("spark.app.name")) {
            conf.setAppName("neuromfa trajectory");
        }
        String redaction = conf.get("spark.redaction.regex", null);
        conf.set("spark.redaction.regex", redaction == null ? REDACTION : "(?:" + redaction + ")|" + REDACTION);
        Matcher local = LOCAL.matcher(conf.get("spark.master"));
        if (local.matches()) {
            int failures = maxFailures != null ? maxFailures : DEFAULT_MAX_FAILURES;
            if (local.group(2) == null) {
                String threads = local.group(1) == null ? "1" : local.group(1);
                conf.setMaster("local[" + threads + "," + failures + "]");
            }
            if (!conf.contains("spark.ui.enabled")) {
                // An embedded run has no one looking at the UI; it only costs a port and start-up time.
                conf.set("spark.ui.enabled", "false");
            }
        } else if (maxFailures != null) {
            conf.set("spark.task.maxFailures", Integer.toString(maxFailures));
        }
        if (maxFailures != null && maxFailures < 1) {
            throw new NeuroMfaException("--max-failures must be at least 1, not " + maxFailures);
        }
        return conf;
    }

    /** How many attempts a task gets in {@code spark}: {@code F} of {@code local[N,F]}, 1 in other local modes, else the conf's. */
    static int maxFailures(SparkContext spark) {
        Matcher local = LOCAL.matcher(spark.master());
        if (local.matches()) {
            return local.group(2) == null ? 1 : Integer.parseInt(local.group(2));
        }
        return spark.conf().getInt("spark.task.maxFailures", DEFAULT_MAX_FAILURES);
    }

    /** {@code spark.extraListeners} with {@link ClusterWatch} added (once). */
    static String withListener(String listeners) {
        String watch = ClusterWatch.class.getName();
        for (String l : listeners.split(",")) {
            if (l.trim().equals(watch)) {
                return listeners;
            }
        }
        return listeners.isBlank() ? watch : listeners + "," + watch;
    }

    private static String redactEntry(String entry) {
        return Pattern.compile(REDACTION).matcher(entry).find() ? "(redacted)" : entry;
    }
}

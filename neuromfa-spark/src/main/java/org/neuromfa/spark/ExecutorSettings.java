package org.neuromfa.spark;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.SparkConf;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.source.hub.HubSettings;
import scala.Tuple2;

/**
 * The settings executors need to reach checkpoints, taken from the Spark conf and shipped to them with
 * every task (never logged: the conf keys match {@link SparkRuntime#REDACTION}). Each
 * {@code spark.neuromfa.hf.*} key stands for the Hub environment variable the command line reads:
 * {@code endpoint} = {@code HF_ENDPOINT}, {@code token} = {@code HF_TOKEN}, {@code cache} =
 * {@code HF_HUB_CACHE} (the cache directory on each executor), {@code offline} = {@code HF_HUB_OFFLINE},
 * {@code connections} = {@code NEUROMFA_HUB_CONNECTIONS}, {@code link} = {@code NEUROMFA_HUB_LINK}.
 * An executor's own environment ({@code spark.executorEnv.HF_TOKEN}, ...) applies where the conf sets
 * nothing.
 */
final class ExecutorSettings {
    static final String PREFIX = "spark.neuromfa.hf.";
    private static final Map<String, String> VARIABLES = Map.of(
            "endpoint", "HF_ENDPOINT",
            "token", "HF_TOKEN",
            "cache", "HF_HUB_CACHE",
            "offline", "HF_HUB_OFFLINE",
            "connections", "NEUROMFA_HUB_CONNECTIONS",
            "link", "NEUROMFA_HUB_LINK");

    private ExecutorSettings() {
    }

    /**
     * The environment-variable form of the {@code spark.neuromfa.hf.*} entries of {@code conf}, checked
     * as the command line checks the variables; a bad value is named by its conf key (what the user
     * wrote), not by the variable it stands for.
     */
    static Map<String, String> of(SparkConf conf) {
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> keys = new HashMap<>();
        for (Tuple2<String, String> e : conf.getAllWithPrefix(PREFIX)) {
            String variable = VARIABLES.get(e._1());
            if (variable == null) {
                throw new NeuroMfaException(PREFIX + e._1(), "not a NeuroMFA setting (known: "
                        + String.join(", ", new TreeSet<>(VARIABLES.keySet())) + ")");
            }
            settings.put(variable, e._2());
            keys.put(variable, PREFIX + e._1());
        }
        try {
            HubSettings.fromEnvironment(environment(settings));
        } catch (NeuroMfaException e) {
            String key = e.file() == null ? null : keys.get(e.file());
            if (key == null) {
                throw e; // the driver's own environment, named as it is
            }
            String text = e.getMessage();
            String prefix = e.file() + ": ";
            throw new NeuroMfaException(key, text.startsWith(prefix) ? text.substring(prefix.length()) : text, e);
        }
        return settings;
    }

    /** The environment an executor opens checkpoints with: its own, overridden by the shipped settings. */
    static Map<String, String> environment(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(settings);
        return env;
    }
}

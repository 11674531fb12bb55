package org.neuromfa.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a task sends back to the driver: each computed sample as {@code ResultJson.sample} writes it
 * and the checkpoint's description when asked (JSON text), and the seeds that could not be computed
 * with their error.
 */
final class TaskOutcome implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A seed (or, with seed null, the description) that the task could not compute. */
    static final class Failed implements Serializable {
        private static final long serialVersionUID = 1L;
        final Long seed;
        final String error;

        Failed(Long seed, String error) {
            this.seed = seed;
            this.error = error;
        }
    }

    final CheckpointTask task;
    final String infoJson;
    /** Computed seeds and their samples' JSON, in seed order. */
    final long[] seeds;
    final String[] samples;
    final List<Failed> failures;
    final int attempts;

    TaskOutcome(CheckpointTask task, String infoJson, Map<Long, String> samples, List<Failed> failures, int attempts) {
        this.task = task;
        this.infoJson = infoJson;
        TreeMap<Long, String> sorted = new TreeMap<>(samples);
        this.seeds = sorted.keySet().stream().mapToLong(Long::longValue).toArray();
        this.samples = sorted.values().toArray(new String[0]);
        this.failures = new ArrayList<>(failures);
        this.attempts = attempts;
    }
}

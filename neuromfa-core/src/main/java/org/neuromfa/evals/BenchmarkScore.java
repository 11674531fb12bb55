package org.neuromfa.evals;

import java.util.Map;

/**
 * One task's results at one training step, as read from a benchmark file: the metrics by name
 * ({@code acc}, {@code acc_norm}, ...) and the few-shot setting, or a single value when the file has
 * one column per series (CSV).
 */
public final class BenchmarkScore {
    public final String source;
    public final long step;
    public final String task;
    /** Number of few-shot examples, or -1 when the file does not say. */
    public final int numFewshot;
    /** Metric values by name; for a CSV column the single entry is keyed by {@link #VALUE}. */
    public final Map<String, Double> metrics;

    /** The key of a score that has one value whatever metric is asked for. */
    public static final String VALUE = "";

    public BenchmarkScore(String source, long step, String task, int numFewshot, Map<String, Double> metrics) {
        this.source = source;
        this.step = step;
        this.task = task;
        this.numFewshot = numFewshot;
        this.metrics = Map.copyOf(metrics);
    }

    /** The value of {@code metric}, or null when this task does not report it. */
    public Double value(String metric) {
        Double single = metrics.get(VALUE);
        return single != null ? single : metrics.get(metric);
    }
}

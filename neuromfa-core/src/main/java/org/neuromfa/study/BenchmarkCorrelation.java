package org.neuromfa.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.evals.BenchmarkScore;

/**
 * Sets a trajectory's degree of emergence beside benchmark results over training: per task, and for
 * the average over tasks, the correlation of E with the metric over the steps present in both.
 * Steps present on one side only are kept in the result ({@code unmatched...}), never silently
 * dropped, and so are checkpoints without a step and tasks without the metric.
 */
public final class BenchmarkCorrelation {
    public final String metric;
    public final List<Series> tasks;
    /** The per-step mean over all tasks, at the steps where every task has a value. */
    public final Series average;
    public final List<String> averagedTasks;
    public final List<String> checkpointsWithoutStep;
    public final List<String> tasksWithoutMetric;

    /** One series: matched steps, E and the metric at them, their correlation, and the unmatched steps. */
    public static final class Series {
        public final String task;
        public final int numFewshot;
        public final long[] steps;
        public final double[] emergence;
        /**
         * At each matched step, the spread of E over seeds (the checkpoint's {@code emergenceStd}: each
         * seed's E against the same seed at the baseline); NaN where unknown (one seed, or a file
         * written before it was recorded).
         */
        public final double[] emergenceStd;
        public final double[] values;
        public final Correlation correlation;
        public final long[] unmatchedTrajectorySteps;
        public final long[] unmatchedBenchmarkSteps;
        /** Every step of the benchmark series with its value, matched or not (for plots). */
        public final long[] benchmarkSteps;
        public final double[] benchmarkValues;

        Series(String task, int numFewshot, long[] steps, double[] emergence, double[] emergenceStd, double[] values,
               long[] unmatchedTrajectorySteps, long[] unmatchedBenchmarkSteps, TreeMap<Long, Double> all) {
            this(task, numFewshot, steps, emergence, emergenceStd, values, Correlation.of(emergence, values),
                    unmatchedTrajectorySteps,
                    unmatchedBenchmarkSteps, all.keySet().stream().mapToLong(Long::longValue).toArray(),
                    all.values().stream().mapToDouble(Double::doubleValue).toArray());
        }

        /** A series as it was computed and stored (a result read back from its JSON form); arrays are taken. */
        public Series(String task, int numFewshot, long[] steps, double[] emergence, double[] emergenceStd,
                      double[] values, Correlation correlation, long[] unmatchedTrajectorySteps, long[] unmatchedBenchmarkSteps,
                      long[] benchmarkSteps, double[] benchmarkValues) {
            this.task = task;
            this.numFewshot = numFewshot;
            this.steps = steps;
            this.emergence = emergence;
            if (emergenceStd.length != steps.length) {
                throw new IllegalArgumentException(emergenceStd.length + " spreads for " + steps.length + " steps");
            }
            this.emergenceStd = emergenceStd;
            this.values = values;
            this.correlation = correlation;
            this.unmatchedTrajectorySteps = unmatchedTrajectorySteps;
            this.unmatchedBenchmarkSteps = unmatchedBenchmarkSteps;
            this.benchmarkSteps = benchmarkSteps;
            this.benchmarkValues = benchmarkValues;
        }
    }

    /** A correlation as it was computed and stored (a result read back from its JSON form). */
    public static BenchmarkCorrelation stored(String metric, List<Series> tasks, Series average,
                                              List<String> averagedTasks, List<String> checkpointsWithoutStep,
                                              List<String> tasksWithoutMetric) {
        return new BenchmarkCorrelation(metric, tasks, average, averagedTasks, checkpointsWithoutStep, tasksWithoutMetric);
    }

    private BenchmarkCorrelation(String metric, List<Series> tasks, Series average, List<String> averagedTasks,
                                 List<String> checkpointsWithoutStep, List<String> tasksWithoutMetric) {
        this.metric = metric;
        this.tasks = List.copyOf(tasks);
        this.average = average;
        this.averagedTasks = List.copyOf(averagedTasks);
        this.checkpointsWithoutStep = List.copyOf(checkpointsWithoutStep);
        this.tasksWithoutMetric = List.copyOf(tasksWithoutMetric);
    }

    public static BenchmarkCorrelation of(TrajectoryResult trajectory, List<BenchmarkScore> scores, String metric) {
        // E by step; checkpoints without a step (or with an undefined E) cannot be matched.
        TreeMap<Long, Double> e = new TreeMap<>();
        TreeMap<Long, Double> spread = new TreeMap<>();
        List<String> withoutStep = new ArrayList<>();
        for (TrajectoryPoint p : trajectory.points) {
            if (p.step == null) {
                withoutStep.add(p.revision);
                continue;
            }
            if (e.containsKey(p.step)) {
                throw new NeuroMfaException("the trajectory has two checkpoints at step " + p.step);
            }
            e.put(p.step, p.emergence);
            spread.put(p.step, p.emergenceStd);
        }
        // Few-shot settings are told apart only when a task comes with more than one.
        Map<String, TreeSet<Integer>> shots = new TreeMap<>();
        for (BenchmarkScore s : scores) {
            shots.computeIfAbsent(s.task, k -> new TreeSet<>()).add(s.numFewshot);
        }
        Map<String, TreeMap<Long, Double>> series = new TreeMap<>();
        Map<String, Integer> seriesShots = new LinkedHashMap<>();
        Map<String, String> sourceOf = new LinkedHashMap<>();
        TreeSet<String> withoutMetric = new TreeSet<>();
        for (BenchmarkScore s : scores) {
            String name = shots.get(s.task).size() > 1 ? s.task + " (" + s.numFewshot + "-shot)" : s.task;
            Double v = s.value(metric);
            if (v == null) {
                withoutMetric.add(name);
                continue;
            }
            String key = name + "\n" + s.step;
            String earlier = sourceOf.putIfAbsent(key, s.source);
            if (earlier != null) {
                throw new NeuroMfaException(s.source, "second result for task '" + name + "' at step " + s.step
                        + " (the first is in " + earlier + ")");
            }
            series.computeIfAbsent(name, k -> new TreeMap<>()).put(s.step, v);
            seriesShots.put(name, s.numFewshot);
        }
        withoutMetric.removeAll(series.keySet());
        List<Series> tasks = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Long, Double>> t : series.entrySet()) {
            tasks.add(match(t.getKey(), seriesShots.get(t.getKey()), e, spread, t.getValue(), new TreeSet<>()));
        }
        Series average = null;
        if (!series.isEmpty()) {
            TreeSet<Long> all = new TreeSet<>();
            series.values().forEach(m -> all.addAll(m.keySet()));
            TreeMap<Long, Double> mean = new TreeMap<>();
            TreeSet<Long> incomplete = new TreeSet<>();
            for (long step : all) {
                double sum = 0;
                boolean complete = true;
                for (TreeMap<Long, Double> m : series.values()) {
                    Double v = m.get(step);
                    if (v == null) {
                        complete = false;
                        break;
                    }
                    sum += v;
                }
                if (complete) {
                    mean.put(step, sum / series.size());
                } else {
                    incomplete.add(step);
                }
            }
            int shot = new TreeSet<>(seriesShots.values()).size() == 1 ? seriesShots.values().iterator().next() : -1;
            average = match("average", shot, e, spread, mean, incomplete);
        }
        return new BenchmarkCorrelation(metric, tasks, average, new ArrayList<>(series.keySet()), withoutStep,
                new ArrayList<>(withoutMetric));
    }

    private static Series match(String task, int shots, TreeMap<Long, Double> e, TreeMap<Long, Double> spread,
                                TreeMap<Long, Double> values, TreeSet<Long> alsoUnmatchedBenchmark) {
        List<Long> steps = new ArrayList<>();
        TreeSet<Long> unmatchedTrajectory = new TreeSet<>();
        TreeSet<Long> unmatchedBenchmark = new TreeSet<>(alsoUnmatchedBenchmark);
        for (Map.Entry<Long, Double> x : e.entrySet()) {
            if (values.containsKey(x.getKey()) && Double.isFinite(x.getValue())) {
                steps.add(x.getKey());
            } else {
                unmatchedTrajectory.add(x.getKey());
            }
        }
        for (Long s : values.keySet()) {
            if (!e.containsKey(s) || !Double.isFinite(e.get(s))) {
                unmatchedBenchmark.add(s);
            }
        }
        long[] st = new long[steps.size()];
        double[] ev = new double[st.length];
        double[] sd = new double[st.length];
        double[] vv = new double[st.length];
        for (int i = 0; i < st.length; i++) {
            st[i] = steps.get(i);
            ev[i] = e.get(st[i]);
            sd[i] = spread.get(st[i]);
            vv[i] = values.get(st[i]);
        }
        return new Series(task, shots, st, ev, sd, vv, toArray(unmatchedTrajectory), toArray(unmatchedBenchmark), values);
    }

    private static long[] toArray(TreeSet<Long> s) {
        return s.stream().mapToLong(Long::longValue).toArray();
    }
}

package org.neuromfa.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.neuromfa.study.BenchmarkCorrelation;
import org.neuromfa.study.Correlation;
import org.neuromfa.study.ScalingFit;

/** The JSON forms of {@code correlate} and {@code scaling} results (README, "JSON fields"). */
public final class CorrelationJson {
    private CorrelationJson() {
    }

    public static ObjectNode of(BenchmarkCorrelation c, String trajectory, List<String> benchmarks) {
        ObjectNode root = ResultJson.MAPPER.createObjectNode();
        root.put("kind", "correlation");
        root.put("trajectory", trajectory);
        ArrayNode files = root.putArray("benchmarks");
        benchmarks.forEach(files::add);
        root.put("metric", c.metric);
        ArrayNode tasks = root.putArray("tasks");
        for (BenchmarkCorrelation.Series s : c.tasks) {
            tasks.add(series(s));
        }
        if (c.average != null) {
            ObjectNode avg = series(c.average);
            ArrayNode names = avg.putArray("averaged_tasks");
            c.averagedTasks.forEach(names::add);
            root.set("average", avg);
        } else {
            root.putNull("average");
        }
        ArrayNode noStep = root.putArray("checkpoints_without_step");
        c.checkpointsWithoutStep.forEach(noStep::add);
        ArrayNode noMetric = root.putArray("tasks_without_metric");
        c.tasksWithoutMetric.forEach(noMetric::add);
        return root;
    }

    private static ObjectNode series(BenchmarkCorrelation.Series s) {
        ObjectNode o = ResultJson.MAPPER.createObjectNode();
        o.put("task", s.task);
        if (s.numFewshot >= 0) {
            o.put("num_fewshot", s.numFewshot);
        } else {
            o.putNull("num_fewshot");
        }
        correlation(o, s.correlation);
        o.set("steps", longs(s.steps));
        o.set("emergence", ResultJson.doubles(s.emergence));
        o.set("emergence_std", ResultJson.doubles(s.emergenceStd));
        o.set("values", ResultJson.doubles(s.values));
        o.set("unmatched_trajectory_steps", longs(s.unmatchedTrajectorySteps));
        o.set("unmatched_benchmark_steps", longs(s.unmatchedBenchmarkSteps));
        o.set("benchmark_steps", longs(s.benchmarkSteps));
        o.set("benchmark_values", ResultJson.doubles(s.benchmarkValues));
        return o;
    }

    static void correlation(ObjectNode o, Correlation c) {
        o.put("n", c.n);
        ResultJson.number(o, "pearson_r", c.pearsonR);
        ResultJson.number(o, "pearson_p", c.pearsonP);
        ResultJson.number(o, "spearman_rho", c.spearmanRho);
        ResultJson.number(o, "spearman_p", c.spearmanP);
    }

    public static ObjectNode fit(ScalingFit f) {
        ObjectNode o = ResultJson.MAPPER.createObjectNode();
        o.put("n", f.n);
        ResultJson.number(o, "slope", f.slope);
        ResultJson.number(o, "slope_stderr", f.slopeStderr);
        ResultJson.number(o, "intercept", f.intercept);
        ResultJson.number(o, "r_squared", f.rSquared);
        ResultJson.number(o, "p", f.slopeP);
        return o;
    }

    /** A correlation file as {@link #of} writes it: the trajectory and benchmark files it names, and the result. */
    public static final class File {
        public final String trajectory;
        public final List<String> benchmarks;
        public final BenchmarkCorrelation correlation;

        File(String trajectory, List<String> benchmarks, BenchmarkCorrelation correlation) {
            this.trajectory = trajectory;
            this.benchmarks = List.copyOf(benchmarks);
            this.correlation = correlation;
        }
    }

    /** Whether {@code root} is a correlation file ({@code "kind": "correlation"}). */
    public static boolean isCorrelation(JsonNode root) {
        return root != null && root.path("kind").asText("").equals("correlation");
    }

    /**
     * Reads a correlation as {@link #of} writes it. The statistics are taken as stored, not
     * recomputed; what is missing reads as unknown (NaN, empty).
     */
    public static File parse(JsonNode root) {
        List<BenchmarkCorrelation.Series> tasks = new ArrayList<>();
        for (JsonNode t : root.path("tasks")) {
            tasks.add(series(t));
        }
        JsonNode avg = root.path("average");
        BenchmarkCorrelation c = BenchmarkCorrelation.stored(root.path("metric").asText(), tasks,
                avg.isObject() ? series(avg) : null, texts(avg.path("averaged_tasks")),
                texts(root.path("checkpoints_without_step")), texts(root.path("tasks_without_metric")));
        return new File(root.path("trajectory").asText(), texts(root.path("benchmarks")), c);
    }

    private static BenchmarkCorrelation.Series series(JsonNode o) {
        Correlation c = Correlation.stored(o.path("n").asInt(), number(o.get("pearson_r")), number(o.get("pearson_p")),
                number(o.get("spearman_rho")), number(o.get("spearman_p")));
        long[] steps = longs(o.path("steps"));
        // Files written before the spread was recorded have none: unknown at every step.
        double[] spread = o.has("emergence_std") ? doubles(o.path("emergence_std")) : nans(steps.length);
        return new BenchmarkCorrelation.Series(o.path("task").asText(),
                o.path("num_fewshot").isIntegralNumber() ? o.get("num_fewshot").asInt() : -1, steps,
                doubles(o.path("emergence")), spread, doubles(o.path("values")), c, longs(o.path("unmatched_trajectory_steps")),
                longs(o.path("unmatched_benchmark_steps")), longs(o.path("benchmark_steps")),
                doubles(o.path("benchmark_values")));
    }

    private static double number(JsonNode v) {
        return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble(Double.NaN);
        }
        return out;
    }

    private static double[] nans(int n) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, Double.NaN);
        return out;
    }

    private static long[] longs(JsonNode a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asLong();
        }
        return out;
    }

    private static List<String> texts(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(v -> out.add(v.asText()));
        return out;
    }

    static ArrayNode longs(long[] values) {
        ArrayNode a = ResultJson.MAPPER.createArrayNode();
        for (long v : values) {
            a.add(v);
        }
        return a;
    }
}

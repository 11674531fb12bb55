package org.neuromfa.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    static ArrayNode longs(long[] values) {
        ArrayNode a = ResultJson.MAPPER.createArrayNode();
        for (long v : values) {
            a.add(v);
        }
        return a;
    }
}

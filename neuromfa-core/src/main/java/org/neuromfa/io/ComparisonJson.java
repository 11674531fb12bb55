package org.neuromfa.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.study.EmergenceGrowth;
import org.neuromfa.study.TrajectoryComparison;

/**
 * The JSON form of {@code compare} (README, "neuromfa compare"): {@code kind: "comparison"}, per
 * trajectory its label, file, checkpoints (revision, step, means and spreads, E) and growth rate, and
 * the differences of every pair. {@link #parse} reads it back (for {@code report}).
 */
public final class ComparisonJson {
    private ComparisonJson() {
    }

    public static ObjectNode of(TrajectoryComparison c) {
        ObjectNode root = ResultJson.MAPPER.createObjectNode();
        root.put("kind", "comparison");
        root.put("growth_x", "log10(step)");
        root.put("confidence", EmergenceGrowth.CONFIDENCE);
        ArrayNode trajectories = root.putArray("trajectories");
        for (TrajectoryComparison.Series s : c.series) {
            ObjectNode t = trajectories.addObject();
            t.put("label", s.label);
            t.put("trajectory", s.file);
            t.put("baseline", s.baseline);
            ArrayNode checkpoints = t.putArray("checkpoints");
            for (int i = 0; i < s.revisions.length; i++) {
                ObjectNode p = checkpoints.addObject();
                p.put("revision", s.revisions[i]);
                if (s.steps[i] < 0) {
                    p.putNull("step");
                } else {
                    p.put("step", s.steps[i]);
                }
                ResultJson.number(p, "alpha0_mean", s.alpha0[i]);
                ResultJson.number(p, "alpha0_std", s.alpha0Std[i]);
                ResultJson.number(p, "width_mean", s.width[i]);
                ResultJson.number(p, "width_std", s.widthStd[i]);
                ResultJson.number(p, "emergence", s.emergence[i]);
                ResultJson.number(p, "emergence_std", s.emergenceStd[i]);
            }
            EmergenceGrowth g = s.growth;
            ObjectNode growth = t.putObject("growth");
            growth.put("n", g.n);
            growth.set("steps", CorrelationJson.longs(g.steps));
            ResultJson.number(growth, "slope", g.slope);
            ResultJson.number(growth, "slope_stderr", g.slopeStderr);
            ArrayNode interval = growth.putArray("interval");
            number(interval, g.low);
            number(interval, g.high);
            ResultJson.number(growth, "intercept", g.intercept);
            ResultJson.number(growth, "r_squared", g.rSquared);
            ArrayNode without = t.putArray("checkpoints_without_step");
            s.withoutStep().forEach(without::add);
        }
        ArrayNode differences = root.putArray("differences");
        for (TrajectoryComparison.Pair p : c.differences) {
            ObjectNode d = differences.addObject();
            d.put("a", p.a);
            d.put("b", p.b);
            ResultJson.number(d, "difference", p.difference.difference);
            ResultJson.number(d, "stderr", p.difference.stderr);
            ResultJson.number(d, "t", p.difference.t);
            d.put("df", p.difference.degreesOfFreedom);
            ResultJson.number(d, "p", p.difference.p);
        }
        return root;
    }

    private static void number(ArrayNode a, double v) {
        if (Double.isFinite(v)) {
            a.add(v);
        } else {
            a.addNull();
        }
    }

    public static boolean isComparison(JsonNode root) {
        return root != null && "comparison".equals(root.path("kind").asText()) && root.get("trajectories") instanceof ArrayNode;
    }

    /** Reads a comparison written by {@link #of}; the growth rates and differences are computed again from the checkpoints. */
    public static TrajectoryComparison parse(String where, JsonNode root) {
        if (!isComparison(root) || root.get("trajectories").size() == 0) {
            throw new NeuroMfaException(where, "not a comparison (expected \"kind\": \"comparison\" and 'trajectories'"
                    + " as written by 'neuromfa compare --json')");
        }
        List<TrajectoryComparison.Series> series = new ArrayList<>();
        int i = 0;
        for (JsonNode t : root.get("trajectories")) {
            JsonNode points = t.get("checkpoints");
            if (!t.path("label").isTextual() || !(points instanceof ArrayNode) || points.size() == 0) {
                throw new NeuroMfaException(where, "trajectories[" + i + "] lacks 'label' or 'checkpoints'");
            }
            int n = points.size();
            String[] revisions = new String[n];
            long[] steps = new long[n];
            double[][] v = new double[6][n];
            String[] fields = {"alpha0_mean", "alpha0_std", "width_mean", "width_std", "emergence", "emergence_std"};
            for (int j = 0; j < n; j++) {
                JsonNode p = points.get(j);
                revisions[j] = p.path("revision").asText("");
                steps[j] = p.path("step").isIntegralNumber() ? p.get("step").asLong() : -1;
                for (int f = 0; f < fields.length; f++) {
                    JsonNode x = p.get(fields[f]);
                    v[f][j] = x != null && x.isNumber() ? x.asDouble() : Double.NaN;
                }
            }
            series.add(new TrajectoryComparison.Series(t.get("label").asText(), t.path("trajectory").asText(""),
                    t.path("baseline").asText(revisions[0]), revisions, steps, v[0], v[1], v[2], v[3], v[4], v[5]));
            i++;
        }
        return TrajectoryComparison.ofSeries(series);
    }
}

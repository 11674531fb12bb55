package org.neuromfa.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointInfo;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.analysis.ScalingWindow;
import org.neuromfa.spectrum.ScalingRangeSearch;
import org.neuromfa.study.TrajectoryPoint;
import org.neuromfa.study.TrajectoryResult;

/**
 * The JSON form of a trajectory (README, "Trajectory JSON"): {@code parameters}, {@code q},
 * {@code baseline} and {@code revisions}, one object per checkpoint with its means, spreads, degree
 * of emergence and its {@code samples} exactly as {@code analyze} writes them. Reading a file back
 * recomputes the means and E from the samples, as the trajectory itself computed them.
 */
public final class TrajectoryJson {
    private TrajectoryJson() {
    }

    public static ObjectNode of(TrajectoryResult t) {
        ObjectNode root = ResultJson.MAPPER.createObjectNode();
        root.put("kind", "trajectory");
        root.set("parameters", ResultJson.parameters(t.options));
        root.set("q", ResultJson.doubles(t.options.qGrid().values()));
        root.put("baseline", t.points.get(0).revision);
        ArrayNode revisions = root.putArray("revisions");
        for (int i = 0; i < t.points.size(); i++) {
            TrajectoryPoint p = t.points.get(i);
            ObjectNode r = revisions.addObject();
            r.put("revision", p.revision);
            r.put("model", p.model);
            if (p.commit != null) {
                r.put("commit", p.commit);
            }
            if (p.step == null) {
                r.putNull("step");
            } else {
                r.put("step", p.step);
            }
            r.set("architecture", ResultJson.map(p.architecture));
            r.put("parameter_count", p.parameterCount);
            if (p.fingerprint != null) {
                r.put("fingerprint", p.fingerprint);
            }
            statistics(r, p);
            if (t.underNull != null) {
                r.set("under_null", underNull(t, t.underNull.get(i)));
            }
            samples(r, p);
        }
        ArrayNode identical = root.putArray("identical_weights");
        for (TrajectoryResult.IdenticalWeights group : t.identicalWeights()) {
            ObjectNode o = identical.addObject();
            ArrayNode names = o.putArray("revisions");
            group.revisions.forEach(names::add);
            o.put("fingerprint", group.fingerprint);
        }
        return root;
    }

    /**
     * A point's means and spreads over seeds, its E, and what the evidence options add: the same
     * fields for a checkpoint and for it under the null model.
     */
    private static void statistics(ObjectNode o, TrajectoryPoint p) {
        ResultJson.number(o, "alpha0_mean", p.alpha0Mean);
        ResultJson.number(o, "width_mean", p.widthMean);
        o.put("kept_samples", p.keptSamples);
        ResultJson.number(o, "alpha0_std", p.alpha0Std);
        ResultJson.number(o, "width_std", p.widthStd);
        ResultJson.number(o, "emergence", p.emergence);
        ResultJson.number(o, "emergence_std", p.emergenceStd);
        evidenceFields(o, p);
    }

    private static void samples(ObjectNode o, TrajectoryPoint p) {
        ArrayNode samples = o.putArray("samples");
        for (SampleResult s : p.samples) {
            samples.add(ResultJson.sample(s));
        }
    }

    /**
     * The fields the evidence options add to a point, each only when its option is used:
     * {@code scaling_window}, {@code alpha0_interval}, {@code width_interval}, {@code emergence_interval}.
     */
    private static void evidenceFields(ObjectNode r, TrajectoryPoint p) {
        if (p.window != null) {
            r.set("scaling_window", ResultJson.window(p.window));
        }
        if (p.alpha0Interval != null) {
            r.set("alpha0_interval", ResultJson.interval(p.alpha0Interval));
            r.set("width_interval", ResultJson.interval(p.widthInterval));
            r.set("emergence_interval", ResultJson.interval(p.emergenceInterval));
        }
    }

    /** A checkpoint under the null model: its means, E against the baseline under the same null, its samples. */
    private static ObjectNode underNull(TrajectoryResult t, TrajectoryPoint n) {
        ObjectNode o = ResultJson.MAPPER.createObjectNode();
        o.put("model", t.options.nullModel().label());
        o.put("keeps", t.options.nullModel().keeps());
        statistics(o, n);
        samples(o, n);
        return o;
    }

    /** A window as {@link ResultJson#window} writes it, or null when {@code o} is not one. */
    static ScalingWindow readWindow(JsonNode o) {
        if (!(o instanceof ObjectNode) || !o.path("rule").isTextual() || o.path("radius_range").size() != 2) {
            return null;
        }
        ScalingRangeSearch.Outcome outcome;
        try {
            outcome = ScalingRangeSearch.Outcome.of(o.get("rule").asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
        return ScalingWindow.stored(outcome, o.get("radius_range").get(0).asInt(), o.get("radius_range").get(1).asInt(),
                o.path("ln_span").asDouble(Double.NaN), o.path("min_ln_span").asDouble(Double.NaN),
                o.path("target_r_squared").asDouble(Double.NaN), o.path("lowest_r_squared").asDouble(Double.NaN),
                o.path("median_r_squared").asDouble(Double.NaN), o.path("windows").asInt());
    }

    /** Reads a trajectory file written by {@code trajectory --json}. */
    public static TrajectoryResult read(Path file) throws IOException {
        JsonNode root;
        try {
            root = ResultJson.MAPPER.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new NeuroMfaException(file.toString(), "not valid JSON: " + e.getOriginalMessage());
        }
        return parse(file.toString(), root);
    }

    public static boolean isTrajectory(JsonNode root) {
        return root != null && root.get("revisions") instanceof ArrayNode && root.get("parameters") instanceof ObjectNode;
    }

    /**
     * The trajectory in {@code root}, read from {@code where}. Samples are read as
     * {@link ResultJson#readFileSample} reads them: what is missing reads as unknown, so trajectories
     * written by hand or by other tools work as long as each sample has {@code seed}, {@code kept},
     * {@code alpha0} and {@code width}.
     */
    public static TrajectoryResult parse(String where, JsonNode root) {
        if (!isTrajectory(root) || root.get("revisions").size() == 0) {
            throw new NeuroMfaException(where, "not a trajectory (expected 'parameters' and a non-empty 'revisions'"
                    + " as written by 'neuromfa trajectory --json')");
        }
        AnalysisOptions options = parameters(where, root.get("parameters"));
        List<TrajectoryPoint> points = new ArrayList<>();
        List<TrajectoryPoint> underNull = new ArrayList<>();
        int i = 0;
        for (JsonNode r : root.get("revisions")) {
            if (!r.isObject() || !r.path("revision").isTextual() || !(r.get("samples") instanceof ArrayNode)) {
                throw new NeuroMfaException(where, "revisions[" + i + "] lacks 'revision' or 'samples'");
            }
            List<SampleResult> samples = samples(where, "revisions[" + i + "].samples", r.get("samples"));
            JsonNode step = r.get("step");
            String model = r.path("model").asText(r.get("revision").asText());
            String revision = r.get("revision").asText();
            Long stepValue = step != null && step.canConvertToLong() && step.isIntegralNumber() ? step.asLong() : null;
            String commit = r.path("commit").isTextual() ? r.get("commit").asText() : null;
            CheckpointInfo info = new CheckpointInfo(ResultJson.readMap(r.get("architecture")),
                    r.path("parameter_count").asLong(), r.path("fingerprint").asText(null));
            points.add(new TrajectoryPoint(model, revision, stepValue, commit, info, samples,
                    points.isEmpty() ? null : points.get(0), options.bootstrap(), readWindow(r.get("scaling_window"))));
            JsonNode n = r.get("under_null");
            if (n instanceof ObjectNode && n.get("samples") instanceof ArrayNode) {
                underNull.add(new TrajectoryPoint(model, revision, stepValue, commit, info,
                        samples(where, "revisions[" + i + "].under_null.samples", n.get("samples")),
                        underNull.isEmpty() ? null : underNull.get(0), options.bootstrap(),
                        readWindow(n.get("scaling_window"))));
            }
            i++;
        }
        return new TrajectoryResult(options, points, underNull.size() == points.size() ? underNull : null);
    }

    /**
     * An {@code analyze --json} result as a trajectory of one checkpoint (for the report), or null
     * when {@code root} is not one.
     */
    public static TrajectoryResult parseAnalysis(String where, JsonNode root) {
        if (root == null || !(root.get("samples") instanceof ArrayNode) || !root.path("model").isTextual()
                || !(root.get("parameters") instanceof ObjectNode)) {
            return null;
        }
        String model = root.get("model").asText();
        AnalysisOptions options = parameters(where, root.get("parameters"));
        CheckpointInfo info = new CheckpointInfo(ResultJson.readMap(root.get("architecture")), 0, null);
        TrajectoryPoint p = new TrajectoryPoint(model, model, null, null, info,
                samples(where, "samples", root.get("samples")), null, options.bootstrap(),
                readWindow(root.get("scaling_window")));
        List<TrajectoryPoint> underNull = null;
        JsonNode n = root.get("under_null");
        if (n instanceof ObjectNode && n.get("samples") instanceof ArrayNode) {
            underNull = List.of(new TrajectoryPoint(model, model, null, null, info,
                    samples(where, "under_null.samples", n.get("samples")), null, options.bootstrap(),
                    readWindow(n.get("scaling_window"))));
        }
        return new TrajectoryResult(options, List.of(p), underNull);
    }

    private static AnalysisOptions parameters(String where, JsonNode parameters) {
        try {
            return ResultJson.readParameters(parameters);
        } catch (NeuroMfaException e) {
            throw new NeuroMfaException(where, e.message().prefixed(where + ": parameters: "), null);
        }
    }

    private static List<SampleResult> samples(String where, String field, JsonNode array) {
        List<SampleResult> samples = new ArrayList<>();
        for (JsonNode s : array) {
            if (!s.isObject()) {
                throw new NeuroMfaException(where, field + " holds a non-object");
            }
            try {
                samples.add(ResultJson.readFileSample(s));
            } catch (IllegalArgumentException e) {
                throw new NeuroMfaException(where, field + ": " + e.getMessage());
            }
        }
        return samples;
    }
}

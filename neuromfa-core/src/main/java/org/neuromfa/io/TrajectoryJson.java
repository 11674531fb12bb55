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
        for (TrajectoryPoint p : t.points) {
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
            ResultJson.number(r, "alpha0_mean", p.alpha0Mean);
            ResultJson.number(r, "width_mean", p.widthMean);
            r.put("kept_samples", p.keptSamples);
            ResultJson.number(r, "alpha0_std", p.alpha0Std);
            ResultJson.number(r, "width_std", p.widthStd);
            ResultJson.number(r, "emergence", p.emergence);
            ResultJson.number(r, "emergence_std", p.emergenceStd);
            ArrayNode samples = r.putArray("samples");
            for (SampleResult s : p.samples) {
                samples.add(ResultJson.sample(s));
            }
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
        int i = 0;
        for (JsonNode r : root.get("revisions")) {
            if (!r.isObject() || !r.path("revision").isTextual() || !(r.get("samples") instanceof ArrayNode)) {
                throw new NeuroMfaException(where, "revisions[" + i + "] lacks 'revision' or 'samples'");
            }
            List<SampleResult> samples = samples(where, "revisions[" + i + "].samples", r.get("samples"));
            JsonNode step = r.get("step");
            points.add(new TrajectoryPoint(r.path("model").asText(r.get("revision").asText()), r.get("revision").asText(),
                    step != null && step.canConvertToLong() && step.isIntegralNumber() ? step.asLong() : null,
                    r.path("commit").isTextual() ? r.get("commit").asText() : null,
                    new CheckpointInfo(ResultJson.readMap(r.get("architecture")), r.path("parameter_count").asLong(),
                            r.path("fingerprint").asText(null)),
                    samples, points.isEmpty() ? null : points.get(0)));
            i++;
        }
        return new TrajectoryResult(options, points);
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
        TrajectoryPoint p = new TrajectoryPoint(model, model, null, null,
                new CheckpointInfo(ResultJson.readMap(root.get("architecture")), 0, null),
                samples(where, "samples", root.get("samples")), null);
        return new TrajectoryResult(parameters(where, root.get("parameters")), List.of(p));
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

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
import org.neuromfa.study.TrajectoryPoint;
import org.neuromfa.study.TrajectoryResult;

/**
 * The JSON form of a trajectory (README, "Trajectory JSON"): {@code parameters}, {@code q},
 * {@code baseline} and {@code revisions}, one object per checkpoint with its means, spreads, degree
 * of emergence and its {@code samples} exactly as {@code analyze} writes them. Reading a file back
 * recomputes the means and E from the samples.
 */
public final class TrajectoryJson {
    private TrajectoryJson() {
    }

    public static ObjectNode of(TrajectoryResult t) {
        ObjectNode root = ResultJson.MAPPER.createObjectNode();
        root.put("kind", "trajectory");
        root.set("parameters", t.parameters);
        root.set("q", t.q);
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
            r.set("architecture", p.architecture);
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
            p.samples.forEach(samples::add);
        }
        ArrayNode identical = root.putArray("identical_weights");
        for (String[] group : t.identicalWeights()) {
            ObjectNode o = identical.addObject();
            ArrayNode names = o.putArray("revisions");
            for (int i = 1; i < group.length; i++) {
                names.add(group[i]);
            }
            o.put("fingerprint", group[0]);
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

    public static TrajectoryResult parse(String where, JsonNode root) {
        if (!isTrajectory(root) || root.get("revisions").size() == 0) {
            throw new NeuroMfaException(where, "not a trajectory (expected 'parameters' and a non-empty 'revisions'"
                    + " as written by 'neuromfa trajectory --json')");
        }
        List<TrajectoryPoint> points = new ArrayList<>();
        int i = 0;
        for (JsonNode r : root.get("revisions")) {
            if (!r.isObject() || !r.path("revision").isTextual() || !(r.get("samples") instanceof ArrayNode)) {
                throw new NeuroMfaException(where, "revisions[" + i + "] lacks 'revision' or 'samples'");
            }
            List<ObjectNode> samples = new ArrayList<>();
            for (JsonNode s : r.get("samples")) {
                if (!s.isObject()) {
                    throw new NeuroMfaException(where, "revisions[" + i + "].samples holds a non-object");
                }
                samples.add((ObjectNode) s);
            }
            JsonNode step = r.get("step");
            points.add(new TrajectoryPoint(r.path("model").asText(r.get("revision").asText()), r.get("revision").asText(),
                    step != null && step.canConvertToLong() && step.isIntegralNumber() ? step.asLong() : null,
                    r.path("commit").isTextual() ? r.get("commit").asText() : null, r.get("architecture"),
                    r.path("parameter_count").asLong(), r.path("fingerprint").asText(null), samples,
                    points.isEmpty() ? null : points.get(0)));
            i++;
        }
        JsonNode q = root.get("q");
        return new TrajectoryResult((ObjectNode) root.get("parameters"),
                q instanceof ArrayNode ? (ArrayNode) q : ResultJson.MAPPER.createArrayNode(), points);
    }
}

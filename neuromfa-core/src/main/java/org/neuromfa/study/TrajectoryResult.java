package org.neuromfa.study;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** A trajectory: the parameters and q grid shared by all checkpoints, and one point per checkpoint, baseline first. */
public final class TrajectoryResult {
    public final ObjectNode parameters;
    public final ArrayNode q;
    public final List<TrajectoryPoint> points;

    public TrajectoryResult(ObjectNode parameters, ArrayNode q, List<TrajectoryPoint> points) {
        this.parameters = parameters;
        this.q = q;
        this.points = List.copyOf(points);
    }

    /**
     * Groups of two or more checkpoints whose weights fingerprints are equal, each as
     * {fingerprint, revision, revision, ...} (revisions in checkpoint order; groups in the order of
     * their first checkpoint). Such revisions serve the same weights under different names; one
     * group is one warning, however many names share the weights (76 of pythia-2.8b's branches are
     * one checkpoint, EleutherAI/pythia issue #205).
     */
    public List<String[]> identicalWeights() {
        java.util.Map<String, List<String>> byFingerprint = new java.util.LinkedHashMap<>();
        for (TrajectoryPoint p : points) {
            if (p.fingerprint != null) {
                byFingerprint.computeIfAbsent(p.fingerprint, f -> new ArrayList<>()).add(p.revision);
            }
        }
        List<String[]> groups = new ArrayList<>();
        byFingerprint.forEach((f, revisions) -> {
            if (revisions.size() > 1) {
                List<String> g = new ArrayList<>();
                g.add(f);
                g.addAll(revisions);
                groups.add(g.toArray(new String[0]));
            }
        });
        return groups;
    }
}

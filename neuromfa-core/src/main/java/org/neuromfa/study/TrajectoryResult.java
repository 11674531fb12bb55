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
     * Pairs of checkpoints whose weights fingerprints are equal, each as {revision, revision,
     * fingerprint}, in checkpoint order. Such revisions serve the same weights under different names.
     */
    public List<String[]> identicalWeights() {
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            for (int j = i + 1; j < points.size(); j++) {
                String f = points.get(i).fingerprint;
                if (f != null && f.equals(points.get(j).fingerprint)) {
                    pairs.add(new String[] {points.get(i).revision, points.get(j).revision, f});
                }
            }
        }
        return pairs;
    }
}

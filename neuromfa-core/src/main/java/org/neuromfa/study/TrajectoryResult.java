package org.neuromfa.study;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
}

package org.neuromfa.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuromfa.analysis.AnalysisOptions;

/**
 * A trajectory: the options shared by all checkpoints, and one point per checkpoint, baseline first.
 * Immutable.
 */
public final class TrajectoryResult {
    /** The options every point was computed with (for a trajectory read from a file, as it states them). */
    public final AnalysisOptions options;
    public final List<TrajectoryPoint> points;
    /**
     * The same checkpoints under the options' null model ({@code --null}), one per point, the first
     * the baseline of their E; null when no null model was asked for.
     */
    public final List<TrajectoryPoint> underNull;

    public TrajectoryResult(AnalysisOptions options, List<TrajectoryPoint> points) {
        this(options, points, null);
    }

    /** As above, with the points under the null model (null for none). */
    public TrajectoryResult(AnalysisOptions options, List<TrajectoryPoint> points, List<TrajectoryPoint> underNull) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a trajectory has at least one checkpoint");
        }
        if (underNull != null && underNull.size() != points.size()) {
            throw new IllegalArgumentException(underNull.size() + " points under the null for " + points.size());
        }
        this.options = options;
        this.points = List.copyOf(points);
        this.underNull = underNull == null ? null : List.copyOf(underNull);
    }

    /** Two or more checkpoints with equal weights fingerprints: the same weights under several names. */
    public static final class IdenticalWeights {
        /** Revision labels, in checkpoint order. */
        public final List<String> revisions;
        public final String fingerprint;

        IdenticalWeights(List<String> revisions, String fingerprint) {
            this.revisions = List.copyOf(revisions);
            this.fingerprint = fingerprint;
        }
    }

    /**
     * Groups of checkpoints whose weights fingerprints are equal, in the order of their first
     * checkpoint. Such revisions serve the same weights under different names; a group is one
     * warning however many names share the weights (76 of pythia-2.8b's branches are one
     * checkpoint, EleutherAI/pythia issues #205 and #206).
     */
    public List<IdenticalWeights> identicalWeights() {
        Map<String, List<String>> byFingerprint = new LinkedHashMap<>();
        for (TrajectoryPoint p : points) {
            if (p.fingerprint != null) {
                byFingerprint.computeIfAbsent(p.fingerprint, f -> new ArrayList<>()).add(p.revision);
            }
        }
        List<IdenticalWeights> groups = new ArrayList<>();
        byFingerprint.forEach((f, revisions) -> {
            if (revisions.size() > 1) {
                groups.add(new IdenticalWeights(revisions, f));
            }
        });
        return groups;
    }
}

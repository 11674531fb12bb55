package org.neuromfa.study;

import java.util.ArrayList;
import java.util.List;
import org.neuromfa.analysis.AnalysisOptions;

/**
 * A trajectory: the options shared by all checkpoints, and one point per checkpoint, baseline first.
 * Immutable.
 */
public final class TrajectoryResult {
    /** The options every point was computed with (for a trajectory read from a file, as it states them). */
    public final AnalysisOptions options;
    public final List<TrajectoryPoint> points;

    public TrajectoryResult(AnalysisOptions options, List<TrajectoryPoint> points) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a trajectory has at least one checkpoint");
        }
        this.options = options;
        this.points = List.copyOf(points);
    }

    /** Two checkpoints with equal weights fingerprints: the same weights under two names. */
    public static final class IdenticalWeights {
        public final String first;
        public final String second;
        public final String fingerprint;

        IdenticalWeights(String first, String second, String fingerprint) {
            this.first = first;
            this.second = second;
            this.fingerprint = fingerprint;
        }
    }

    /**
     * Pairs of checkpoints whose weights fingerprints are equal (by their revision labels), in
     * checkpoint order. Such revisions serve the same weights under different names (several public
     * Pythia branches do, EleutherAI/pythia issues #205 and #206).
     */
    public List<IdenticalWeights> identicalWeights() {
        List<IdenticalWeights> pairs = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            for (int j = i + 1; j < points.size(); j++) {
                String f = points.get(i).fingerprint;
                if (f != null && f.equals(points.get(j).fingerprint)) {
                    pairs.add(new IdenticalWeights(points.get(i).revision, points.get(j).revision, f));
                }
            }
        }
        return pairs;
    }
}

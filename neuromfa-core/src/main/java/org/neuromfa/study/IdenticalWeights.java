package org.neuromfa.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds checkpoints that serve identical weights. Several public Pythia branches hold the same
 * weights under different step names (EleutherAI/pythia issues #205 and #206), which would make a
 * training trajectory flat where it is not; commands that analyse several revisions warn with this.
 *
 * <p>Two results are reported as identical when their {@code fingerprint}s
 * ({@link org.neuromfa.tensor.WeightFingerprint}) are equal, which requires that they were analysed
 * with the same seeds and nodes per layer (otherwise they sample different rows and never match).
 */
public final class IdenticalWeights {
    private IdenticalWeights() {
    }

    /** Two checkpoints with the same fingerprint. */
    public static final class Pair {
        public final String first;
        public final String second;
        public final String fingerprint;

        Pair(String first, String second, String fingerprint) {
            this.first = first;
            this.second = second;
            this.fingerprint = fingerprint;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Pair)) {
                return false;
            }
            Pair p = (Pair) o;
            return first.equals(p.first) && second.equals(p.second) && fingerprint.equals(p.fingerprint);
        }

        @Override
        public int hashCode() {
            return Objects.hash(first, second, fingerprint);
        }

        @Override
        public String toString() {
            return first + " and " + second + " have identical sampled weights (fingerprint " + fingerprint + ")";
        }
    }

    /** Every pair {@code (i, j)}, {@code i < j} in input order, whose fingerprints are equal. */
    public static List<Pair> find(List<CheckpointResult> results) {
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            String a = results.get(i).fingerprint;
            if (a == null) {
                continue;
            }
            for (int j = i + 1; j < results.size(); j++) {
                if (a.equals(results.get(j).fingerprint)) {
                    pairs.add(new Pair(results.get(i).model, results.get(j).model, a));
                }
            }
        }
        return pairs;
    }
}

package org.neuromfa.distance;

import java.util.Locale;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;

/**
 * How a path's length becomes a neuron distance: {@code F(S, h)} for a path of {@code h} edges whose
 * edge lengths {@code 1/|w|} add up to {@code S}. The paper defines a multi-hop distance with
 * parameters lambda = 1 and gamma = 5, but its equation is not available here, so these forms are
 * explicit, documented choices rather than a reproduction of it. Every form is non-decreasing in
 * {@code S} (lambda &gt; 0), so the smallest F over the paths of one hop count is F of the shortest sum.
 * Powers use {@link StrictMath} so that results are bit-identical on every JDK.
 */
public enum PathDistance {
    /** {@code F = S}: the plain shortest-path length (the default). */
    SUM("sum") {
        @Override
        public double apply(double sum, int hops, double lambda, double gamma) {
            return sum;
        }
    },
    /** {@code F = S^lambda / h^gamma}: long paths are shortened by a power of their hop count. */
    POWER("power") {
        @Override
        public double apply(double sum, int hops, double lambda, double gamma) {
            return StrictMath.pow(sum, lambda) / StrictMath.pow(hops, gamma);
        }
    },
    /** {@code F = lambda * S + gamma * h}: each hop adds a fixed cost gamma. */
    LINEAR("linear") {
        @Override
        public double apply(double sum, int hops, double lambda, double gamma) {
            return lambda * sum + gamma * hops;
        }
    };

    private final String label;

    PathDistance(String label) {
        this.label = label;
    }

    /** The distance of a path with {@code hops} edges of total length {@code sum}. */
    public abstract double apply(double sum, int hops, double lambda, double gamma);

    /** The name used on the command line and in results. */
    public String label() {
        return label;
    }

    public static PathDistance of(String name) {
        for (PathDistance p : values()) {
            if (p.label.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new NeuroMfaException(Message.setting("path_distance") + " must be sum, power or linear, not '" + name + "'");
    }
}

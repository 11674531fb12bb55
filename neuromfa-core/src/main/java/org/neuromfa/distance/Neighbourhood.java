package org.neuromfa.distance;

import java.util.Objects;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.network.Network;

/**
 * Which neurons are in a node's neighbourhood, and at what distance. Immutable, with {@code withX}
 * copies.
 *
 * <p>With {@code K = 1} and the {@code sum} form (the default) the neighbourhood of a node is its
 * out-edges, each at {@code l = 1/|w|}, exactly as the reference code computes it
 * ({@link DirectDistances}; a target reached by two parallel edges appears twice).
 *
 * <p>Otherwise the neighbourhood of node s is every node v != s reachable from s by a
 * directed path of 1 to K edges, each v once, at the distance
 * {@code min over those paths of F(S, h)}, where S is the sum of the path's edge lengths
 * {@code 1/|w|} and h its number of edges ({@link PathDistance}). Direct neighbours are in it at
 * {@code F(l, 1)}. On the sampled networks every edge leads one layer downstream, so this is "every
 * sampled neuron up to K layers downstream, at its shortest-path distance". Every edge counts, the
 * GPT-NeoX attention-mix edges too: they are one hop of length 1, so a path through the attention
 * block (G0 -> G1 -> G2 -> G3) has 3 hops and a sum of {@code 1/|w_qkv| + 1 + 1/|w_dense|}. The
 * node filter's {@code 1 < l} still drops a lone mix edge (a direct distance of exactly 1), as in the
 * reference, but a path that continues past it is longer than 1 and kept.
 */
public final class Neighbourhood {
    /** The paper's parameters for its path distance. */
    public static final double PAPER_LAMBDA = 1;
    public static final double PAPER_GAMMA = 5;
    /** Edges per node relaxed by the estimated shortest paths unless chosen otherwise. */
    public static final int DEFAULT_ESTIMATE_EDGES = 16;
    private static final int MAX_HOPS = 64;

    private final int hops;
    private final PathDistance form;
    private final double lambda;
    private final double gamma;
    private final ShortestPaths algorithm;
    private final int estimateEdges;

    private Neighbourhood(int hops, PathDistance form, double lambda, double gamma, ShortestPaths algorithm,
                          int estimateEdges) {
        this.hops = hops;
        this.form = form;
        this.lambda = lambda;
        this.gamma = gamma;
        this.algorithm = algorithm;
        this.estimateEdges = estimateEdges;
    }

    /** One hop, the reference's distances. */
    public static Neighbourhood direct() {
        return new Neighbourhood(1, PathDistance.SUM, PAPER_LAMBDA, PAPER_GAMMA, ShortestPaths.EXACT,
                DEFAULT_ESTIMATE_EDGES);
    }

    public Neighbourhood withHops(int value) {
        if (value < 1 || value > MAX_HOPS) {
            throw new NeuroMfaException(Message.setting("hops") + " must be between 1 and " + MAX_HOPS + ", not " + value);
        }
        return new Neighbourhood(value, form, lambda, gamma, algorithm, estimateEdges);
    }

    public Neighbourhood withPathDistance(PathDistance value) {
        return new Neighbourhood(hops, value, lambda, gamma, algorithm, estimateEdges);
    }

    public Neighbourhood withLambda(double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new NeuroMfaException(Message.setting("lambda") + " must be a positive number, not " + value);
        }
        return new Neighbourhood(hops, form, value, gamma, algorithm, estimateEdges);
    }

    public Neighbourhood withGamma(double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new NeuroMfaException(Message.setting("gamma") + " must be a non-negative number, not " + value);
        }
        return new Neighbourhood(hops, form, lambda, value, algorithm, estimateEdges);
    }

    public Neighbourhood withShortestPaths(ShortestPaths value) {
        return new Neighbourhood(hops, form, lambda, gamma, value, estimateEdges);
    }

    public Neighbourhood withEstimateEdges(int value) {
        if (value < 1) {
            throw new NeuroMfaException(Message.setting("estimate_edges") + " must be at least 1, not " + value);
        }
        return new Neighbourhood(hops, form, lambda, gamma, algorithm, value);
    }

    /** The distances of every node of the network to its neighbourhood. */
    public NodeDistances distances(Network network) {
        return distances(network, Double.POSITIVE_INFINITY);
    }

    /**
     * The distances, where the analysis uses none above {@code cap}: the bounded algorithm then leaves
     * longer ones out (the others keep everything). One hop with the sum form is the reference's
     * {@link DirectDistances}, whatever the algorithm.
     */
    public NodeDistances distances(Network network, double cap) {
        if (isReference()) {
            return DirectDistances.of(network);
        }
        return algorithm.distances(network, this, cap);
    }

    /** Whether this is exactly the reference's one-hop distance. */
    public boolean isReference() {
        return hops == 1 && form == PathDistance.SUM;
    }

    public int hops() {
        return hops;
    }

    public PathDistance pathDistance() {
        return form;
    }

    public double lambda() {
        return lambda;
    }

    public double gamma() {
        return gamma;
    }

    public ShortestPaths shortestPaths() {
        return algorithm;
    }

    public int estimateEdges() {
        return estimateEdges;
    }

    /** Equal neighbourhoods: every setting equal (the algorithm by its label). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Neighbourhood)) {
            return false;
        }
        Neighbourhood n = (Neighbourhood) o;
        return hops == n.hops && form == n.form && Double.compare(lambda, n.lambda) == 0
                && Double.compare(gamma, n.gamma) == 0 && algorithm.label().equals(n.algorithm.label())
                && estimateEdges == n.estimateEdges;
    }

    @Override
    public int hashCode() {
        return Objects.hash(hops, form, lambda, gamma, algorithm.label(), estimateEdges);
    }
}

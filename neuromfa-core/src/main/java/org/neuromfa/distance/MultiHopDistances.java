package org.neuromfa.distance;

import java.util.Arrays;
import org.neuromfa.network.Network;

/**
 * Multi-hop neuron distances: for each node s, every node v reachable from s by a path of
 * {@code 1 <= h <= K} edges, at the distance {@code min over such paths of F(S, h)}, where S is the
 * sum of the path's edge lengths {@code 1/|w|} (see {@link Neighbourhood} for the full definition).
 *
 * <p>The computation is a min-plus product per hop, done per source on primitive arrays: the
 * frontier of hop h holds, for every node reached with exactly h edges, the shortest sum S_h; hop
 * h+1 relaxes the frontier's out-edges. On the layered networks of transformers every path between
 * two nodes has the same number of edges, so each neighbour is reached at a single h; on other DAGs a
 * neighbour reached at several h keeps the smallest F. Because F is non-decreasing in S, F of the
 * shortest S_h is the smallest F among the paths with h edges, so the result is exact.
 *
 * <p>The estimated variant relaxes, from every node other than the source, only its
 * {@code edgesPerNode} shortest out-edges (ties broken by target index), so each hop beyond the
 * first costs at most frontier x B instead of frontier x out-degree. The bounded variant (a finite
 * {@code cap}) stays exact but abandons a partial path once no continuation can come within the cap.
 */
public final class MultiHopDistances {
    private MultiHopDistances() {
    }

    /**
     * @param hops         K, at least 1
     * @param edgesPerNode B for the estimated variant, or 0 to relax every edge (exact)
     */
    public static NodeDistances compute(Network network, int hops, PathDistance form, double lambda, double gamma,
                                        int edgesPerNode) {
        return neighbourhoods(network, hops, form, lambda, gamma, edgesPerNode, Double.POSITIVE_INFINITY).distances();
    }

    /**
     * As {@link #compute}, also telling which node each distance leads to (for comparing variants).
     *
     * @param cap distances of two or more hops above this are left out (direct neighbours are always
     *            kept), and a partial path is not extended once no
     *            continuation of it could come within the cap ({@code +Infinity}: keep everything).
     *            Because every edge is positive and F is non-decreasing in S, the distances up to
     *            the cap are exactly those of the uncapped computation.
     */
    public static Result neighbourhoods(Network network, int hops, PathDistance form, double lambda, double gamma,
                                        int edgesPerNode, double cap) {
        if (hops < 1) {
            throw new IllegalArgumentException("hops must be at least 1");
        }
        int n = network.nodeCount();
        int[] offsets = network.offsets();
        int[] targets = network.targets();
        float[] weights = network.weights();
        double[] length = new double[weights.length];
        for (int e = 0; e < weights.length; e++) {
            length[e] = 1.0 / Math.abs((double) weights[e]);
        }
        // Adjacency used beyond the first hop: all edges, or each node's B shortest.
        int[] farOffsets = offsets;
        int[] farTargets = targets;
        double[] farLength = length;
        if (edgesPerNode > 0) {
            farOffsets = new int[n + 1];
            int total = 0;
            for (int u = 0; u < n; u++) {
                total += Math.min(edgesPerNode, offsets[u + 1] - offsets[u]);
                farOffsets[u + 1] = total;
            }
            farTargets = new int[total];
            farLength = new double[total];
            int[] keys = new int[16];
            for (int u = 0; u < n; u++) {
                int degree = offsets[u + 1] - offsets[u];
                if (degree <= edgesPerNode) {
                    System.arraycopy(targets, offsets[u], farTargets, farOffsets[u], degree);
                    System.arraycopy(length, offsets[u], farLength, farOffsets[u], degree);
                    continue;
                }
                if (keys.length < degree) {
                    keys = new int[degree];
                }
                for (int i = 0; i < degree; i++) {
                    keys[i] = offsets[u] + i;
                }
                sortEdges(keys, degree, length, targets);
                for (int i = 0; i < edgesPerNode; i++) {
                    int e = keys[i];
                    farTargets[farOffsets[u] + i] = targets[e];
                    farLength[farOffsets[u] + i] = length[e];
                }
            }
        }

        int[] frontier = new int[n];
        int[] next = new int[n];
        double[] sum = new double[n];
        double[] nextSum = new double[n];
        int[] inNext = new int[n];
        int[] seen = new int[n];
        double[] best = new double[n];
        int[] touched = new int[n];
        Arrays.fill(inNext, -1);
        Arrays.fill(seen, -1);
        int mark = 0;

        int[] rowOffsets = new int[n + 1];
        double[] out = new double[Math.max(16, weights.length)];
        int[] outTargets = new int[out.length];
        int used = 0;
        boolean bounded = cap < Double.POSITIVE_INFINITY;
        for (int s = 0; s < n; s++) {
            int touchedSize = 0;
            int frontierSize = 1;
            frontier[0] = s;
            sum[s] = 0;
            for (int h = 1; h <= hops && frontierSize > 0; h++) {
                int[] rows = h == 1 ? offsets : farOffsets;
                int[] to = h == 1 ? targets : farTargets;
                double[] len = h == 1 ? length : farLength;
                int nextSize = 0;
                mark++;
                for (int f = 0; f < frontierSize; f++) {
                    int u = frontier[f];
                    double base = sum[u];
                    for (int e = rows[u]; e < rows[u + 1]; e++) {
                        int v = to[e];
                        double c = base + len[e];
                        if (inNext[v] != mark) {
                            inNext[v] = mark;
                            nextSum[v] = c;
                            next[nextSize++] = v;
                        } else if (c < nextSum[v]) {
                            nextSum[v] = c;
                        }
                    }
                }
                int carried = 0;
                for (int i = 0; i < nextSize; i++) {
                    int v = next[i];
                    double reached = nextSum[v];
                    if (v != s) {
                        double value = form.apply(reached, h, lambda, gamma);
                        // Direct neighbours are always kept, so that every node with out-edges keeps a
                        // row (the NFD lists such nodes even when none of their distances is in range).
                        if (value <= cap || h == 1) {
                            if (seen[v] != s) {
                                seen[v] = s;
                                best[v] = value;
                                touched[touchedSize++] = v;
                            } else if (value < best[v]) {
                                best[v] = value;
                            }
                        }
                    }
                    // A path goes on only while some continuation could still come within the cap.
                    if (!bounded || lowestAfter(form, reached, h + 1, hops, lambda, gamma) <= cap) {
                        next[carried++] = v;
                    }
                }
                nextSize = carried;
                int[] swapNodes = frontier;
                frontier = next;
                next = swapNodes;
                double[] swapSums = sum;
                sum = nextSum;
                nextSum = swapSums;
                frontierSize = nextSize;
            }
            if (used + touchedSize > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, used + touchedSize));
                outTargets = Arrays.copyOf(outTargets, out.length);
            }
            for (int i = 0; i < touchedSize; i++) {
                outTargets[used] = touched[i];
                out[used++] = best[touched[i]];
            }
            rowOffsets[s + 1] = used;
        }
        return new Result(new NodeDistances(network.nodeIds(), rowOffsets, Arrays.copyOf(out, used)),
                Arrays.copyOf(outTargets, used));
    }

    /** The distances, and for each one the node (index into the network) it leads to. */
    public static final class Result {
        private final NodeDistances distances;
        private final int[] targets;

        Result(NodeDistances distances, int[] targets) {
            this.distances = distances;
            this.targets = targets;
        }

        public NodeDistances distances() {
            return distances;
        }

        /** {@code targets()[e]} is the neighbour at {@code distances().distances()[e]}. */
        public int[] targets() {
            return targets;
        }
    }

    /**
     * The smallest distance any path could have that extends a partial path of sum {@code sum} to
     * {@code from..hops} edges: its sum can only grow, and F is non-decreasing in the sum.
     */
    private static double lowestAfter(PathDistance form, double sum, int from, int hops, double lambda, double gamma) {
        double lowest = Double.POSITIVE_INFINITY;
        for (int h = from; h <= hops; h++) {
            lowest = Math.min(lowest, form.apply(sum, h, lambda, gamma));
        }
        return lowest;
    }

    /** Sorts the first {@code count} edge indices by (length, target), ascending. */
    private static void sortEdges(int[] edges, int count, double[] length, int[] targets) {
        // Small arrays (out-degrees of a sampled network): a binary insertion sort is enough and
        // avoids boxing a comparator.
        for (int i = 1; i < count; i++) {
            int e = edges[i];
            int lo = 0;
            int hi = i;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (before(e, edges[mid], length, targets)) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            System.arraycopy(edges, lo, edges, lo + 1, i - lo);
            edges[lo] = e;
        }
    }

    private static boolean before(int a, int b, double[] length, int[] targets) {
        if (length[a] != length[b]) {
            return length[a] < length[b];
        }
        return targets[a] < targets[b];
    }
}

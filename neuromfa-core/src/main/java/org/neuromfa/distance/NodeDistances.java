package org.neuromfa.distance;

/**
 * For every node of a sampled network, the distances to the neurons in its neighbourhood, in
 * compressed rows: node {@code n} (model-wide id {@code nodeIds[n]}, ascending) has distances
 * {@code distances[offsets[n] .. offsets[n+1]-1]}. With one hop these are the lengths of its
 * out-edges; with several hops, path lengths. Arrays are shared, not copied.
 */
public final class NodeDistances {
    private final int[] nodeIds;
    private final int[] offsets;
    private final double[] distances;

    public NodeDistances(int[] nodeIds, int[] offsets, double[] distances) {
        if (offsets.length != nodeIds.length + 1 || offsets[nodeIds.length] != distances.length) {
            throw new IllegalArgumentException("inconsistent compressed rows");
        }
        this.nodeIds = nodeIds;
        this.offsets = offsets;
        this.distances = distances;
    }

    public int nodeCount() {
        return nodeIds.length;
    }

    public int[] nodeIds() {
        return nodeIds;
    }

    public int[] offsets() {
        return offsets;
    }

    public double[] distances() {
        return distances;
    }

    public int count(int node) {
        return offsets[node + 1] - offsets[node];
    }
}

package org.neuromfa.network;

/**
 * The sampled neuron interaction network of one seed, as compressed sparse rows over its nodes:
 * node {@code n} (with model-wide id {@code nodeIds[n]}, ascending) has out-edges
 * {@code offsets[n] .. offsets[n+1]-1}, each to {@code targets[e]} with raw weight {@code weights[e]}.
 * Edges of weight zero are never stored. Immutable; arrays are shared, not copied, so callers must
 * not modify them.
 */
public final class Network {
    private final int[] nodeIds;
    private final int[] offsets;
    private final int[] targets;
    private final float[] weights;

    Network(int[] nodeIds, int[] offsets, int[] targets, float[] weights) {
        this.nodeIds = nodeIds;
        this.offsets = offsets;
        this.targets = targets;
        this.weights = weights;
    }

    public int nodeCount() {
        return nodeIds.length;
    }

    public int edgeCount() {
        return targets.length;
    }

    /** Nodes with at least one out-edge. */
    public int sourceNodeCount() {
        int n = 0;
        for (int i = 0; i < nodeIds.length; i++) {
            if (offsets[i + 1] > offsets[i]) {
                n++;
            }
        }
        return n;
    }

    public int[] nodeIds() {
        return nodeIds;
    }

    public int[] offsets() {
        return offsets;
    }

    public int[] targets() {
        return targets;
    }

    public float[] weights() {
        return weights;
    }

    public int outDegree(int node) {
        return offsets[node + 1] - offsets[node];
    }
}

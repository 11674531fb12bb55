package org.neuromfa.network;

import java.util.Arrays;

/**
 * Collects the edges of a sampled network (node ids are the model-wide ids an architecture assigns)
 * and packs them into a {@link Network}. Zero weights are dropped here, once, for every architecture.
 */
public final class NetworkBuilder {
    private int[] sources = new int[1024];
    private int[] targets = new int[1024];
    private float[] weights = new float[1024];
    private int size;

    /** Adds the edge source -> target unless its weight is zero. */
    public void add(int source, int target, float weight) {
        if (weight == 0f) {
            return;
        }
        if (size == sources.length) {
            int capacity = size * 2;
            sources = Arrays.copyOf(sources, capacity);
            targets = Arrays.copyOf(targets, capacity);
            weights = Arrays.copyOf(weights, capacity);
        }
        sources[size] = source;
        targets[size] = target;
        weights[size] = weight;
        size++;
    }

    /**
     * Adds the edges of one weight matrix between two sampled groups: for each source neuron
     * {@code sourceIndex[a]} (node id {@code sourceIds[a]}) and target neuron {@code targetIndex[b]}
     * (node id {@code targetIds[b]}), in that loop order, the weight W[target, source].
     *
     * @param rows          the matrix rows that were read, row after row, {@code columns} wide
     * @param rowsAreTargets true for {@code [out, in]} storage (rows were read at the target indices),
     *                      false for {@code [in, out]} storage (rows were read at the source indices)
     */
    public void addMatrix(int[] sourceIds, int[] sourceIndex, int[] targetIds, int[] targetIndex,
                          float[] rows, int columns, boolean rowsAreTargets) {
        for (int a = 0; a < sourceIds.length; a++) {
            for (int b = 0; b < targetIds.length; b++) {
                float w = rowsAreTargets
                        ? rows[b * columns + sourceIndex[a]]
                        : rows[a * columns + targetIndex[b]];
                add(sourceIds[a], targetIds[b], w);
            }
        }
    }

    public int edgeCount() {
        return size;
    }

    /** Packs the edges; out-edges of each node keep the order they were added in. */
    public Network build() {
        int[] all = new int[2 * size];
        System.arraycopy(sources, 0, all, 0, size);
        System.arraycopy(targets, 0, all, size, size);
        Arrays.sort(all);
        int distinct = 0;
        for (int i = 0; i < all.length; i++) {
            if (i == 0 || all[i] != all[i - 1]) {
                all[distinct++] = all[i];
            }
        }
        int[] ids = Arrays.copyOf(all, distinct);
        int[] offsets = new int[distinct + 1];
        int[] sourceIndex = new int[size];
        for (int e = 0; e < size; e++) {
            sourceIndex[e] = Arrays.binarySearch(ids, sources[e]);
            offsets[sourceIndex[e] + 1]++;
        }
        for (int n = 0; n < distinct; n++) {
            offsets[n + 1] += offsets[n];
        }
        int[] fill = Arrays.copyOf(offsets, distinct);
        int[] packedTargets = new int[size];
        float[] packedWeights = new float[size];
        for (int e = 0; e < size; e++) {
            int slot = fill[sourceIndex[e]]++;
            packedTargets[slot] = Arrays.binarySearch(ids, targets[e]);
            packedWeights[slot] = weights[e];
        }
        return new Network(ids, offsets, packedTargets, packedWeights);
    }
}

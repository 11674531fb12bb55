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
     * Adds the edges of one weight matrix between two sampled groups: for each source node
     * {@code sourceIds[a]} and target node {@code targetIds[b]}, in that loop order, the weight
     * W[target, source], taken from the submatrix that was read.
     *
     * @param block          the submatrix of the sampled neurons: {@code [targets, sources]}
     *                       ({@code block[b * sourceIds.length + a]}) when rows are targets, else
     *                       {@code [sources, targets]}
     * @param rowsAreTargets true for {@code [out, in]} storage (rows were read at the target indices),
     *                       false for {@code [in, out]} storage (rows were read at the source indices)
     */
    public void addMatrix(int[] sourceIds, int[] targetIds, float[] block, boolean rowsAreTargets) {
        int sources = sourceIds.length;
        int targets = targetIds.length;
        for (int a = 0; a < sources; a++) {
            for (int b = 0; b < targets; b++) {
                add(sourceIds[a], targetIds[b], rowsAreTargets ? block[b * sources + a] : block[a * targets + b]);
            }
        }
    }

    public int edgeCount() {
        return size;
    }

    /** Packs the edges; out-edges of each node keep the order they were added in. */
    public Network build() {
        int[] ids = distinctIds();
        NodeIndex index = NodeIndex.of(ids);
        int distinct = ids.length;
        int[] offsets = new int[distinct + 1];
        int[] sourceIndex = new int[size];
        for (int e = 0; e < size; e++) {
            sourceIndex[e] = index.indexOf(sources[e]);
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
            packedTargets[slot] = index.indexOf(targets[e]);
            packedWeights[slot] = weights[e];
        }
        return new Network(ids, offsets, packedTargets, packedWeights);
    }

    /**
     * The distinct node ids of all edges, ascending. A sample has a few thousand nodes but a hundred
     * thousand edges, so when the ids span a modest range a bitmap over that range is far cheaper than
     * sorting every endpoint; ids spread over a huge range fall back to the sort.
     */
    private int[] distinctIds() {
        if (size == 0) {
            return new int[0];
        }
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int e = 0; e < size; e++) {
            min = Math.min(min, Math.min(sources[e], targets[e]));
            max = Math.max(max, Math.max(sources[e], targets[e]));
        }
        long span = (long) max - min + 1;
        if (span / 64 > 4L * size) {
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
            return Arrays.copyOf(all, distinct);
        }
        long[] bits = new long[(int) ((span + 63) >>> 6)];
        for (int e = 0; e < size; e++) {
            int s = sources[e] - min;
            int t = targets[e] - min;
            bits[s >>> 6] |= 1L << s;
            bits[t >>> 6] |= 1L << t;
        }
        int count = 0;
        for (long w : bits) {
            count += Long.bitCount(w);
        }
        int[] ids = new int[count];
        int n = 0;
        for (int w = 0; w < bits.length; w++) {
            long word = bits[w];
            while (word != 0) {
                ids[n++] = min + (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
            }
        }
        return ids;
    }

    /**
     * Position of a node id in the ascending id list: a direct table over the id range when that is
     * small next to the number of ids, else binary search.
     */
    private static final class NodeIndex {
        private final int[] ids;
        private final int min;
        private final int[] table;

        private NodeIndex(int[] ids, int min, int[] table) {
            this.ids = ids;
            this.min = min;
            this.table = table;
        }

        static NodeIndex of(int[] ids) {
            if (ids.length == 0) {
                return new NodeIndex(ids, 0, null);
            }
            int min = ids[0];
            long span = (long) ids[ids.length - 1] - min + 1;
            if (span > 64L * ids.length + 4096) {
                return new NodeIndex(ids, min, null);
            }
            int[] table = new int[(int) span];
            for (int i = 0; i < ids.length; i++) {
                table[ids[i] - min] = i;
            }
            return new NodeIndex(ids, min, table);
        }

        int indexOf(int id) {
            return table != null ? table[id - min] : Arrays.binarySearch(ids, id);
        }
    }
}

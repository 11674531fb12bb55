package org.neuromfa.spectrum;

import java.util.Arrays;
import org.neuromfa.distance.NodeDistances;

/**
 * The node filter of the reference (ALGORITHM.md section 5, step 1): of each node's distances keep
 * those with {@code 1 < l <= T}; the node is selected when more than {@code minCount} (10) remain.
 * Kept distances are rounded half-to-even to whole numbers ({@code numpy.round}), which turns them
 * into the integer radii the box counting walks over.
 */
public final class SelectedNodes {
    /** The reference's minimum: a node needs more than this many kept distances. */
    public static final int MIN_COUNT = 10;

    private final int[] nodeIds;
    private final int[] offsets;
    private final int[] rounded;
    private final int maxRounded;

    private SelectedNodes(int[] nodeIds, int[] offsets, int[] rounded, int maxRounded) {
        this.nodeIds = nodeIds;
        this.offsets = offsets;
        this.rounded = rounded;
        this.maxRounded = maxRounded;
    }

    /**
     * Applies the filter.
     *
     * @param threshold the largest distance kept, T (at most {@link Integer#MAX_VALUE} / 2)
     */
    public static SelectedNodes select(NodeDistances distances, double threshold, int minCount) {
        int n = distances.nodeCount();
        int[] ids = new int[n];
        int[] offsets = new int[n + 1];
        int[] values = new int[distances.distances().length];
        double[] l = distances.distances();
        int[] rows = distances.offsets();
        int selected = 0;
        int used = 0;
        int max = 0;
        for (int node = 0; node < n; node++) {
            int start = used;
            for (int e = rows[node]; e < rows[node + 1]; e++) {
                double v = l[e];
                if (v > 1 && v <= threshold) {
                    values[used++] = (int) Math.rint(v);
                }
            }
            if (used - start > minCount) {
                Arrays.sort(values, start, used);
                max = Math.max(max, values[used - 1]);
                ids[selected] = distances.nodeIds()[node];
                offsets[++selected] = used;
            } else {
                used = start;
            }
        }
        return new SelectedNodes(Arrays.copyOf(ids, selected), Arrays.copyOf(offsets, selected + 1),
                Arrays.copyOf(values, used), max);
    }

    public int size() {
        return nodeIds.length;
    }

    public int[] nodeIds() {
        return nodeIds;
    }

    /** Row offsets into {@link #rounded()}; each row is sorted ascending. */
    public int[] offsets() {
        return offsets;
    }

    public int[] rounded() {
        return rounded;
    }

    /** The largest rounded distance, D (0 when nothing is selected). */
    public int maxRounded() {
        return maxRounded;
    }
}

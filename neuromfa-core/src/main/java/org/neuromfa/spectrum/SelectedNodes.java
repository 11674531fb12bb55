package org.neuromfa.spectrum;

import java.util.Arrays;
import org.neuromfa.distance.NodeDistances;

/**
 * The node filter of the reference (METHOD.md section 5.1): of each node's distances keep
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
        int[] nodeIds = distances.nodeIds();
        int selected = 0;
        int used = 0;
        for (int node = 0; node < n; node++) {
            int start = used;
            for (int e = rows[node]; e < rows[node + 1]; e++) {
                double v = l[e];
                // Always written, kept by advancing the end: whether a weight passes is close to a
                // coin flip, and a branch on it would be mispredicted often ('&' keeps C2 branch-free).
                values[used] = (int) Math.rint(v);
                used += v > 1 & v <= threshold ? 1 : 0;
            }
            if (used - start > minCount) {
                ids[selected] = nodeIds[node];
                offsets[++selected] = used;
            } else {
                used = start;
            }
        }
        int max = 0;
        for (int i = 0; i < used; i++) {
            max = Math.max(max, values[i]);
        }
        if (max <= 4L * used + 1024) {
            sortRowsByCounting(values, offsets, selected, used, max);
        } else {
            for (int r = 0; r < selected; r++) {
                Arrays.sort(values, offsets[r], offsets[r + 1]);
            }
        }
        return new SelectedNodes(Arrays.copyOf(ids, selected), Arrays.copyOf(offsets, selected + 1),
                Arrays.copyOf(values, used), max);
    }

    /**
     * Sorts every row of {@code values} at once: one counting sort over all kept values (small
     * integers, at most the rounded threshold) that records each entry's row, then the values are
     * dealt back to their rows in ascending order. Linear in the number of values, where sorting row
     * by row costs a comparison sort per node.
     */
    private static void sortRowsByCounting(int[] values, int[] offsets, int rows, int used, int max) {
        int[] start = new int[max + 2];
        for (int i = 0; i < used; i++) {
            start[values[i] + 1]++;
        }
        for (int v = 0; v <= max; v++) {
            start[v + 1] += start[v];
        }
        int[] rowByValue = new int[used];
        for (int r = 0; r < rows; r++) {
            for (int i = offsets[r]; i < offsets[r + 1]; i++) {
                rowByValue[start[values[i]]++] = r;
            }
        }
        // start[v] is now the end of value v's entries.
        int[] fill = Arrays.copyOf(offsets, rows);
        int pos = 0;
        for (int v = 0; v <= max; v++) {
            for (; pos < start[v]; pos++) {
                values[fill[rowByValue[pos]]++] = v;
            }
        }
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

package org.neuromfa.spectrum;

import java.util.Arrays;
import org.neuromfa.distance.NodeDistances;

/**
 * The fractal dimension of each node (METHOD.md section 7): of its distances keep
 * {@code 0 < l <= T} (T = 200 in the reference); with more than 10, round them half-to-even and walk
 * the distinct values ascending with a running count starting at 1; the dimension is the slope of
 * ln(count) against ln(r) over the points with r > 0, or 0 with fewer than two points or ten or fewer
 * distances.
 */
public final class NodeFractalDimension {
    /** The reference's distance limit for node fractal dimensions. */
    public static final double REFERENCE_THRESHOLD = 200;

    private NodeFractalDimension() {
    }

    /** Dimensions of all nodes with at least one distance, in ascending node-id order. */
    public static Result compute(NodeDistances distances, double threshold) {
        int n = distances.nodeCount();
        int[] ids = new int[n];
        double[] nfd = new double[n];
        int count = 0;
        double[] kept = new double[16];
        double[] x = new double[16];
        double[] y = new double[16];
        for (int node = 0; node < n; node++) {
            int from = distances.offsets()[node];
            int to = distances.offsets()[node + 1];
            if (to == from) {
                continue;
            }
            if (kept.length < to - from) {
                kept = new double[to - from];
                x = new double[to - from];
                y = new double[to - from];
            }
            int k = 0;
            for (int e = from; e < to; e++) {
                double l = distances.distances()[e];
                if (l > 0 && l <= threshold) {
                    kept[k++] = Math.rint(l);
                }
            }
            double dimension = 0;
            if (k > SelectedNodes.MIN_COUNT) {
                Arrays.sort(kept, 0, k);
                int points = 0;
                int running = 1;
                int i = 0;
                while (i < k) {
                    double r = kept[i];
                    while (i < k && kept[i] == r) {
                        running++;
                        i++;
                    }
                    if (r > 0) {
                        x[points] = StrictMath.log(r);
                        y[points] = StrictMath.log(running);
                        points++;
                    }
                }
                if (points >= 2) {
                    dimension = LeastSquares.slope(Arrays.copyOf(x, points), Arrays.copyOf(y, points));
                }
            }
            ids[count] = distances.nodeIds()[node];
            nfd[count] = dimension;
            count++;
        }
        return new Result(Arrays.copyOf(ids, count), Arrays.copyOf(nfd, count));
    }

    /** Node ids (ascending) and their dimensions. */
    public static final class Result {
        private final int[] nodeIds;
        private final double[] nfd;

        Result(int[] nodeIds, double[] nfd) {
            this.nodeIds = nodeIds;
            this.nfd = nfd;
        }

        /** Dimensions as they were computed and stored (a result read back from its JSON form); copied. */
        public static Result stored(int[] nodeIds, double[] nfd) {
            if (nodeIds.length != nfd.length) {
                throw new IllegalArgumentException(nodeIds.length + " node ids for " + nfd.length + " dimensions");
            }
            return new Result(nodeIds.clone(), nfd.clone());
        }

        /** The number of nodes. */
        public int size() {
            return nfd.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Result && Arrays.equals(nodeIds, ((Result) o).nodeIds) && Arrays.equals(nfd, ((Result) o).nfd);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(nodeIds) * 31 + Arrays.hashCode(nfd);
        }

        public int[] nodeIds() {
            return nodeIds.clone();
        }

        public double[] nfd() {
            return nfd.clone();
        }
    }
}

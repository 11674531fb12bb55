package org.neuromfa.spectrum;

import java.util.Arrays;

/**
 * The partition function of the selected nodes (METHOD.md sections 5.2-5.4):
 * radii R are the distinct rounded distances, D = max R, the mass of node i within r is
 * {@code N_i(r) = 1 + #{l_i <= r}}, its measure {@code p_i(r) = N_i(r) / N_i(D)}, and
 * {@code Z_q(r) = sum_i p_i(r)^q}. This class holds {@code ln Z_q(r)} for every q and r.
 *
 * <p>Why it is fast: {@code p_i(r)^q} only depends on the integer pair {@code (N_i(r), N_i(D))}, so
 * the nodes are kept as a histogram over such pairs ("cells") that changes by a few events at each
 * radius, and each occupied cell contributes {@code count * N^q * N_D^-q} for all q at once from two
 * tables of integer powers. The counts are exact integers, so nothing drifts from radius to radius.
 *
 * <p>Logarithms and powers use {@link StrictMath}: its results are specified bit for bit, so the same
 * input gives byte-identical results on every JDK and processor ({@link Math} may use intrinsics that
 * differ in the last bit).
 */
public final class PartitionFunction {
    private final int[] radii;
    private final double[] logZ;
    private final int qCount;

    private PartitionFunction(int[] radii, double[] logZ, int qCount) {
        this.radii = radii;
        this.logZ = logZ;
        this.qCount = qCount;
    }

    public static PartitionFunction compute(SelectedNodes nodes, QGrid grid) {
        int n = nodes.size();
        int[] offsets = nodes.offsets();
        int[] values = nodes.rounded();
        int nq = grid.size();

        // Radii: distinct rounded distances, and the index of each value.
        int maxValue = nodes.maxRounded();
        int[] radiusIndex = new int[maxValue + 1];
        Arrays.fill(radiusIndex, -1);
        for (int v : values) {
            radiusIndex[v] = 0;
        }
        int m = 0;
        for (int v = 0; v <= maxValue; v++) {
            if (radiusIndex[v] == 0) {
                radiusIndex[v] = m++;
            }
        }
        int[] radii = new int[m];
        for (int v = 0; v <= maxValue; v++) {
            if (radiusIndex[v] >= 0) {
                radii[radiusIndex[v]] = v;
            }
        }

        // Events: at radius j, node i's mass grows by the multiplicity of that value. Bucket by radius.
        int maxMass = 1;
        int[] eventCount = new int[m + 1];
        for (int i = 0; i < n; i++) {
            maxMass = Math.max(maxMass, offsets[i + 1] - offsets[i] + 1);
            for (int e = offsets[i]; e < offsets[i + 1]; e++) {
                if (e == offsets[i] || values[e] != values[e - 1]) {
                    eventCount[radiusIndex[values[e]] + 1]++;
                }
            }
        }
        for (int j = 0; j < m; j++) {
            eventCount[j + 1] += eventCount[j];
        }
        int[] eventNode = new int[eventCount[m]];
        int[] eventGain = new int[eventCount[m]];
        int[] fill = Arrays.copyOf(eventCount, m);
        for (int i = 0; i < n; i++) {
            int e = offsets[i];
            while (e < offsets[i + 1]) {
                int v = values[e];
                int run = e;
                while (run < offsets[i + 1] && values[run] == v) {
                    run++;
                }
                int slot = fill[radiusIndex[v]]++;
                eventNode[slot] = i;
                eventGain[slot] = run - e;
                e = run;
            }
        }

        // Integer powers: pow[v*nq + k] = v^q_k, inv[v*nq + k] = v^-q_k.
        Powers powers = Powers.atLeast(grid, maxMass);
        double[] pow = powers.pow;
        double[] inv = powers.inv;

        // Cells (N, N_D) with their node counts; occupied cells in a dense list for the sum, each
        // with the offset of its row of products N^q * N_D^-q, computed the first time the cell is
        // occupied (the very products the sum would otherwise form again at every radius).
        int side = maxMass + 1;
        int[] cellCount = new int[side * side];
        int[] cellSlot = new int[side * side];
        int[] cellProduct = new int[side * side];
        Arrays.fill(cellProduct, -1);
        double[][] productStore = {new double[64 * nq]};
        int[] productUsed = {0};
        int[] occupied = new int[Math.min(side * side, n + 1)];
        int[] occupiedProduct = new int[occupied.length];
        int occupiedSize = 0;
        int[] mass = new int[n];
        int[] full = new int[n];
        for (int i = 0; i < n; i++) {
            mass[i] = 1;
            full[i] = offsets[i + 1] - offsets[i] + 1;
            int cell = side + full[i];
            if (cellCount[cell]++ == 0) {
                cellSlot[cell] = occupiedSize;
                occupiedProduct[occupiedSize] = product(cell, side, nq, pow, inv, cellProduct, productStore, productUsed);
                occupied[occupiedSize++] = cell;
            }
        }

        double[] logZ = new double[nq * m];
        double[] z = new double[nq];
        for (int j = 0; j < m; j++) {
            for (int ev = eventCount[j]; ev < eventCount[j + 1]; ev++) {
                int i = eventNode[ev];
                int from = mass[i] * side + full[i];
                mass[i] += eventGain[ev];
                int to = mass[i] * side + full[i];
                if (--cellCount[from] == 0) {
                    int slot = cellSlot[from];
                    --occupiedSize;
                    int last = occupied[occupiedSize];
                    occupied[slot] = last;
                    occupiedProduct[slot] = occupiedProduct[occupiedSize];
                    cellSlot[last] = slot;
                }
                if (cellCount[to]++ == 0) {
                    cellSlot[to] = occupiedSize;
                    occupiedProduct[occupiedSize] = product(to, side, nq, pow, inv, cellProduct, productStore, productUsed);
                    occupied[occupiedSize++] = to;
                }
            }
            Arrays.fill(z, 0);
            double[] products = productStore[0];
            // Four cells per pass over z: each z[k] still receives the terms in list order, so the
            // rounding is exactly that of adding them one by one.
            int c = 0;
            for (; c + 3 < occupiedSize; c += 4) {
                double count0 = cellCount[occupied[c]];
                double count1 = cellCount[occupied[c + 1]];
                double count2 = cellCount[occupied[c + 2]];
                double count3 = cellCount[occupied[c + 3]];
                int p0 = occupiedProduct[c];
                int p1 = occupiedProduct[c + 1];
                int p2 = occupiedProduct[c + 2];
                int p3 = occupiedProduct[c + 3];
                for (int k = 0; k < nq; k++) {
                    z[k] = (((z[k] + count0 * products[p0 + k]) + count1 * products[p1 + k])
                            + count2 * products[p2 + k]) + count3 * products[p3 + k];
                }
            }
            for (; c < occupiedSize; c++) {
                double count0 = cellCount[occupied[c]];
                int p0 = occupiedProduct[c];
                for (int k = 0; k < nq; k++) {
                    z[k] += count0 * products[p0 + k];
                }
            }
            for (int k = 0; k < nq; k++) {
                logZ[k * m + j] = StrictMath.log(z[k]);
            }
        }
        return new PartitionFunction(radii, logZ, nq);
    }

    /**
     * The tables {@code v^q} and {@code v^-q} for v = 0..maxV and every q of a grid. StrictMath.pow is
     * slow (about 100 ns a call, and a sample needs some 12,000), and every seed of a run asks for
     * the same powers, so the last table is kept and grown when a larger v is needed. A table is
     * immutable once published; concurrent callers at worst compute one twice.
     */
    private static final class Powers {
        private static volatile Powers last;

        final double[] q;
        final int maxV;
        final double[] pow;
        final double[] inv;

        private Powers(double[] q, int maxV, double[] pow, double[] inv) {
            this.q = q;
            this.maxV = maxV;
            this.pow = pow;
            this.inv = inv;
        }

        static Powers atLeast(QGrid grid, int maxV) {
            double[] q = grid.values();
            Powers p = last;
            boolean sameGrid = p != null && Arrays.equals(p.q, q);
            if (sameGrid && p.maxV >= maxV) {
                return p;
            }
            int nq = q.length;
            int from = sameGrid ? p.maxV + 1 : 1;
            int top = sameGrid ? Math.max(maxV, 2 * p.maxV) : maxV;
            double[] pow = new double[(top + 1) * nq];
            double[] inv = new double[(top + 1) * nq];
            if (sameGrid) {
                System.arraycopy(p.pow, 0, pow, 0, p.pow.length);
                System.arraycopy(p.inv, 0, inv, 0, p.inv.length);
            }
            // On a grid symmetric about 0, v^-q_k is v^q_k' for the k' with q_k' == -q_k exactly.
            int[] mirror = new int[nq];
            for (int k = 0; k < nq; k++) {
                mirror[k] = -1;
                for (int j = 0; j < nq; j++) {
                    if (Double.doubleToLongBits(q[j]) == Double.doubleToLongBits(-q[k])) {
                        mirror[k] = j;
                    }
                }
            }
            for (int v = from; v <= top; v++) {
                int row = v * nq;
                for (int k = 0; k < nq; k++) {
                    pow[row + k] = StrictMath.pow(v, q[k]);
                }
                for (int k = 0; k < nq; k++) {
                    inv[row + k] = mirror[k] >= 0 ? pow[row + mirror[k]] : StrictMath.pow(v, -q[k]);
                }
            }
            Powers made = new Powers(q, top, pow, inv);
            last = made;
            return made;
        }
    }

    /**
     * Offset of the row {@code N^q_k * N_D^-q_k} (k over the grid) of {@code cell = N * side + N_D} in
     * {@code store[0]}, appending the row on first request.
     */
    private static int product(int cell, int side, int nq, double[] pow, double[] inv, int[] cellProduct,
                               double[][] store, int[] used) {
        int at = cellProduct[cell];
        if (at >= 0) {
            return at;
        }
        at = used[0];
        if (at + nq > store[0].length) {
            store[0] = Arrays.copyOf(store[0], Math.max(2 * store[0].length, at + nq));
        }
        double[] products = store[0];
        int a = (cell / side) * nq;
        int b = (cell % side) * nq;
        for (int k = 0; k < nq; k++) {
            products[at + k] = pow[a + k] * inv[b + k];
        }
        used[0] = at + nq;
        cellProduct[cell] = at;
        return at;
    }

    /**
     * A partition function as it was computed and stored (a sample read back from the result store):
     * the radii and {@code ln Z_q(r)} laid out as {@link #logZ()} lays them out, copied.
     */
    public static PartitionFunction stored(int[] radii, double[] logZ, int qCount) {
        if (radii.length == 0 || qCount < 1 || logZ.length != (long) radii.length * qCount) {
            throw new IllegalArgumentException("a partition function of " + qCount + " q and " + radii.length
                    + " radii has " + (long) radii.length * qCount + " values, not " + logZ.length);
        }
        for (int j = 1; j < radii.length; j++) {
            if (radii[j] <= radii[j - 1]) {
                throw new IllegalArgumentException("radii must ascend");
            }
        }
        return new PartitionFunction(radii.clone(), logZ.clone(), qCount);
    }

    /** Equal partition functions: the same radii and the same values ({@link Double#compare}). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PartitionFunction)) {
            return false;
        }
        PartitionFunction p = (PartitionFunction) o;
        return qCount == p.qCount && Arrays.equals(radii, p.radii) && Arrays.equals(logZ, p.logZ);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(radii) * 31 + qCount;
    }

    /** The radii R, ascending. */
    public int[] radii() {
        return radii;
    }

    /** {@code ln Z_q(r)} laid out by q: entry {@code k * radii().length + j} is q_k at radius r_j. */
    public double[] logZ() {
        return logZ;
    }

    public int qCount() {
        return qCount;
    }
}

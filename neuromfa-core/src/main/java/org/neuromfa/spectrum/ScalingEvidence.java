package org.neuromfa.spectrum;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The evidence under the mass exponents of one sample: {@code ln Z_q(r)} at every radius r for a few
 * moment orders q, the points whose least-squares slopes against {@code ln(r/D)} are tau(q) (METHOD.md
 * section 5.5). Plotted with the fitted lines and the scaling range, they show whether the partition
 * function scales at all over the radii fitted. Immutable; arrays handed out as copies.
 */
public final class ScalingEvidence {
    /** The moment orders shown by default: both tails, the centre and the measure itself. */
    static final double[] WANTED_Q = {-3, -1, 0, 1, 3};

    private final double[] q;
    private final int[] radii;
    private final double[][] logZ;

    private ScalingEvidence(double[] q, int[] radii, double[][] logZ) {
        this.q = q;
        this.radii = radii;
        this.logZ = logZ;
    }

    /**
     * The indices of the grid's q nearest to -3, -1, 0, 1 and 3 (each only once, ascending), so that
     * any grid shows its tails and its centre.
     */
    public static int[] evidenceQ(QGrid grid) {
        double[] values = grid.values();
        List<Integer> picks = new ArrayList<>();
        for (double wanted : WANTED_Q) {
            int best = 0;
            for (int k = 1; k < values.length; k++) {
                if (Math.abs(values[k] - wanted) < Math.abs(values[best] - wanted)) {
                    best = k;
                }
            }
            if (!picks.contains(best)) {
                picks.add(best);
            }
        }
        picks.sort(null);
        return picks.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The evidence of {@code z} at the grid's {@link #evidenceQ} values. */
    public static ScalingEvidence of(PartitionFunction z, QGrid grid) {
        int[] picks = evidenceQ(grid);
        double[] values = grid.values();
        int m = z.radii().length;
        double[] logZ = z.logZ();
        double[] q = new double[picks.length];
        double[][] rows = new double[picks.length][];
        for (int i = 0; i < picks.length; i++) {
            q[i] = values[picks[i]];
            rows[i] = Arrays.copyOfRange(logZ, picks[i] * m, picks[i] * m + m);
        }
        return new ScalingEvidence(q, z.radii().clone(), rows);
    }

    /** Evidence as it was stored (read back from JSON), copied. */
    public static ScalingEvidence stored(double[] q, int[] radii, double[][] logZ) {
        if (logZ.length != q.length) {
            throw new IllegalArgumentException("evidence has " + q.length + " q but " + logZ.length + " rows");
        }
        double[][] rows = new double[logZ.length][];
        for (int i = 0; i < rows.length; i++) {
            if (logZ[i].length != radii.length) {
                throw new IllegalArgumentException("evidence row " + i + " has " + logZ[i].length + " values for "
                        + radii.length + " radii");
            }
            rows[i] = logZ[i].clone();
        }
        return new ScalingEvidence(q.clone(), radii.clone(), rows);
    }

    public double[] q() {
        return q.clone();
    }

    public int[] radii() {
        return radii.clone();
    }

    /** {@code ln Z_q(r)} at {@code q()[i]}, one value per radius. */
    public double[] logZ(int i) {
        return logZ[i].clone();
    }

    /** {@code ln(r/D)} of every radius, D the largest, as the fit computes it. */
    public double[] logRadii() {
        double d = radii[radii.length - 1];
        double[] x = new double[radii.length];
        for (int j = 0; j < x.length; j++) {
            x[j] = StrictMath.log(radii[j] / d);
        }
        return x;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ScalingEvidence)) {
            return false;
        }
        ScalingEvidence e = (ScalingEvidence) o;
        return Arrays.equals(q, e.q) && Arrays.equals(radii, e.radii) && Arrays.deepEquals(logZ, e.logZ);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(radii) * 31 + Arrays.hashCode(q);
    }
}

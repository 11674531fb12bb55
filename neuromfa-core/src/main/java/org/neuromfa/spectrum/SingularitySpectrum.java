package org.neuromfa.spectrum;

/**
 * The singularity spectrum f(alpha) by the reference's forward differences (ALGORITHM.md section 5,
 * steps 7-8): {@code alpha_j = (tau_{j+1} - tau_j) / (q_{j+1} - q_j)},
 * {@code f_j = q_j alpha_j - tau_j}; alpha0 is alpha at the first maximum of f (the peak: how
 * irregular the network is) and the width is {@code max alpha - min alpha} (how heterogeneous).
 *
 * <p>At q = 0 and the q just below it f is exactly 0 in exact arithmetic, a tie; the first maximum of
 * the computed f decides, as in the reference (see golden/README.md).
 */
public final class SingularitySpectrum {
    private final double[] alpha;
    private final double[] f;
    private final double alpha0;
    private final double width;

    private SingularitySpectrum(double[] alpha, double[] f, double alpha0, double width) {
        this.alpha = alpha;
        this.f = f;
        this.alpha0 = alpha0;
        this.width = width;
    }

    public static SingularitySpectrum of(QGrid grid, double[] tau) {
        int n = tau.length - 1;
        double[] alpha = new double[n];
        double[] f = new double[n];
        int peak = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            double q = grid.get(j);
            alpha[j] = (tau[j + 1] - tau[j]) / (grid.get(j + 1) - q);
            f[j] = q * alpha[j] - tau[j];
            if (f[j] > f[peak]) {
                peak = j;
            }
            min = Math.min(min, alpha[j]);
            max = Math.max(max, alpha[j]);
        }
        return new SingularitySpectrum(alpha, f, alpha[peak], max - min);
    }

    public double[] alpha() {
        return alpha.clone();
    }

    public double[] f() {
        return f.clone();
    }

    /** Alpha at the peak of f: the irregularity of the network. */
    public double alpha0() {
        return alpha0;
    }

    /** {@code max alpha - min alpha}: the heterogeneity of the network. */
    public double width() {
        return width;
    }
}

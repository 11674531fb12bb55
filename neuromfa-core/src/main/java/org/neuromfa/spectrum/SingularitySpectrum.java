package org.neuromfa.spectrum;

import org.neuromfa.NeuroMfaException;

/**
 * The singularity spectrum f(alpha) by the reference's forward differences (ALGORITHM.md section 5,
 * steps 7-8): {@code alpha_j = (tau_{j+1} - tau_j) / (q_{j+1} - q_j)},
 * {@code f_j = q_j alpha_j - tau_j}; alpha0 is alpha at the first maximum of f (the peak: how
 * irregular the network is) and the width is {@code max alpha - min alpha} (how heterogeneous).
 *
 * <p>At q = 0 and the q just below it f is exactly 0 in exact arithmetic, a tie; the first maximum of
 * the computed f decides, as in the reference (see golden/README.md).
 *
 * <p>{@link #legendre} is the sounder alternative: {@code alpha(q) = tau'(q)} by second-order finite
 * differences (central inside the grid, three-point one-sided at its ends) and
 * {@code f(q) = q alpha(q) - tau(q)} at the same q, one point per q. Since tau(0) = 0 exactly here
 * and tau is concave, f peaks at q = 0 with value 0 and alpha0 = tau'(0), without the reference's tie.
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

    /** The Legendre transform at every q of the grid (at least 3 values, ascending). */
    public static SingularitySpectrum legendre(QGrid grid, double[] tau) {
        int n = tau.length;
        if (n < 3) {
            throw new NeuroMfaException("--spectrum legendre needs at least 3 values of q, not " + n);
        }
        double[] alpha = new double[n];
        double[] f = new double[n];
        int peak = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            // Derivative of the parabola through three neighbouring points, at point j.
            int c = Math.min(Math.max(j, 1), n - 2);
            double x0 = grid.get(c - 1);
            double x1 = grid.get(c);
            double x2 = grid.get(c + 1);
            double h1 = x1 - x0;
            double h2 = x2 - x1;
            double t0 = tau[c - 1];
            double t1 = tau[c];
            double t2 = tau[c + 1];
            double a;
            if (j == c) {
                a = -h2 / (h1 * (h1 + h2)) * t0 + (h2 - h1) / (h1 * h2) * t1 + h1 / (h2 * (h1 + h2)) * t2;
            } else if (j < c) {
                a = -(2 * h1 + h2) / (h1 * (h1 + h2)) * t0 + (h1 + h2) / (h1 * h2) * t1 - h1 / (h2 * (h1 + h2)) * t2;
            } else {
                a = h2 / (h1 * (h1 + h2)) * t0 - (h1 + h2) / (h1 * h2) * t1 + (h1 + 2 * h2) / (h2 * (h1 + h2)) * t2;
            }
            alpha[j] = a;
            f[j] = grid.get(j) * a - tau[j];
            if (f[j] > f[peak]) {
                peak = j;
            }
            min = Math.min(min, a);
            max = Math.max(max, a);
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

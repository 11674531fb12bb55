package org.neuromfa.spectrum;

import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;

/**
 * The Legendre transform at every q of the grid (METHOD.md section 5.7): {@code alpha(q) = tau'(q)}
 * by second-order finite differences (central inside the grid, three-point one-sided at its ends) and
 * {@code f(q) = q alpha(q) - tau(q)} at the same q, one point per q. Since tau(0) = 0 exactly here and
 * tau is concave, f peaks at q = 0 with value 0 and alpha0 = tau'(0), without the reference's tie.
 * Needs at least 3 values of q, ascending.
 */
public final class LegendreSpectrum implements SpectrumEstimator {
    @Override
    public String label() {
        return "legendre";
    }

    @Override
    public SingularitySpectrum spectrum(QGrid grid, double[] tau) {
        int n = tau.length;
        if (n < 3) {
            throw new NeuroMfaException(Message.setting("estimator") + " legendre needs at least 3 values of q, not " + n);
        }
        double[] alpha = new double[n];
        double[] f = new double[n];
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
        }
        return SingularitySpectrum.of(alpha, f);
    }
}

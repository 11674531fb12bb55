package org.neuromfa.spectrum;

/**
 * The reference's spectrum (METHOD.md section 5.7): forward differences of tau,
 * {@code alpha_j = (tau_{j+1} - tau_j) / (q_{j+1} - q_j)} and {@code f_j = q_j alpha_j - tau_j} for
 * j = 0 .. n-2, one point fewer than q.
 *
 * <p>At q = 0 and the q just below it f is exactly 0 in exact arithmetic, a tie; the first maximum of
 * the computed f decides, as in the reference (see golden/README.md).
 */
public final class ForwardDifferenceSpectrum implements SpectrumEstimator {
    @Override
    public String label() {
        return "reference";
    }

    @Override
    public SingularitySpectrum spectrum(QGrid grid, double[] tau) {
        int n = tau.length - 1;
        double[] alpha = new double[n];
        double[] f = new double[n];
        for (int j = 0; j < n; j++) {
            double q = grid.get(j);
            alpha[j] = (tau[j + 1] - tau[j]) / (grid.get(j + 1) - q);
            f[j] = q * alpha[j] - tau[j];
        }
        return SingularitySpectrum.of(alpha, f);
    }
}

package org.neuromfa.spectrum;

/**
 * The mass exponents tau(q) (ALGORITHM.md section 5, step 5): for each q, the least-squares slope of
 * {@code ln Z_q(r)} against {@code ln(r/D)} over all radii, with the fit's r squared and the slope's
 * standard error so that users can judge each exponent.
 */
public final class MassExponents {
    private final double[] tau;
    private final double[] rSquared;
    private final double[] stderr;

    private MassExponents(double[] tau, double[] rSquared, double[] stderr) {
        this.tau = tau;
        this.rSquared = rSquared;
        this.stderr = stderr;
    }

    public static MassExponents fit(PartitionFunction z) {
        int[] radii = z.radii();
        int m = radii.length;
        double d = radii[m - 1];
        double[] x = new double[m];
        for (int j = 0; j < m; j++) {
            x[j] = StrictMath.log(radii[j] / d);
        }
        LeastSquares.Abscissa abscissa = new LeastSquares.Abscissa(x);
        int nq = z.qCount();
        double[] tau = new double[nq];
        double[] r2 = new double[nq];
        double[] se = new double[nq];
        double[] out = new double[3];
        double[] logZ = z.logZ();
        for (int k = 0; k < nq; k++) {
            LeastSquares.fit(abscissa, logZ, k * m, out);
            tau[k] = out[0];
            r2[k] = out[1];
            se[k] = out[2];
        }
        return new MassExponents(tau, r2, se);
    }

    public double[] tau() {
        return tau.clone();
    }

    public double[] rSquared() {
        return rSquared.clone();
    }

    public double[] standardErrors() {
        return stderr.clone();
    }
}

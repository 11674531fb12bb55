package org.neuromfa.spectrum;

import java.util.Arrays;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;

/**
 * The mass exponents tau(q) (METHOD.md section 5.5): for each q, the least-squares slope of
 * {@code ln Z_q(r)} against {@code ln(r/D)} over all radii, with the fit's r squared and the slope's
 * standard error so that users can judge each exponent. The fit may be restricted to a
 * {@link RadiusRange} (the scaling range); D stays the largest of all radii.
 */
public final class MassExponents {
    private final double[] tau;
    private final double[] rSquared;
    private final double[] stderr;

    private final int fitLow;
    private final int fitHigh;
    private final int fitPoints;

    private MassExponents(double[] tau, double[] rSquared, double[] stderr, int fitLow, int fitHigh, int fitPoints) {
        this.tau = tau;
        this.rSquared = rSquared;
        this.stderr = stderr;
        this.fitLow = fitLow;
        this.fitHigh = fitHigh;
        this.fitPoints = fitPoints;
    }

    /**
     * Exponents as they were fitted and stored (a result read back from its JSON form): the arrays are
     * copied, nothing is recomputed.
     */
    public static MassExponents stored(double[] tau, double[] rSquared, double[] stderr, int fitLow, int fitHigh,
                                       int fitPoints) {
        return new MassExponents(tau.clone(), rSquared.clone(), stderr.clone(), fitLow, fitHigh, fitPoints);
    }

    /** The reference fit, over every radius. */
    public static MassExponents fit(PartitionFunction z) {
        return fit(z, RadiusRange.all());
    }

    /** The fit over the radii in {@code range}; fewer than two such radii is a user-facing error. */
    public static MassExponents fit(PartitionFunction z, RadiusRange range) {
        int[] radii = z.radii();
        int all = radii.length;
        double d = radii[all - 1];
        int first = 0;
        while (first < all && !range.contains(radii[first])) {
            first++;
        }
        int end = first;
        while (end < all && range.contains(radii[end])) {
            end++;
        }
        int m = end - first;
        if (m < 2) {
            throw new NeuroMfaException("only " + m + " of the radii " + radii[0] + ".." + radii[all - 1]
                    + " lie in " + Message.setting("radius_range") + " " + range + "; the fit needs at least 2");
        }
        double[] x = new double[m];
        for (int j = 0; j < m; j++) {
            x[j] = StrictMath.log(radii[first + j] / d);
        }
        LeastSquares.Abscissa abscissa = new LeastSquares.Abscissa(x);
        int nq = z.qCount();
        double[] tau = new double[nq];
        double[] r2 = new double[nq];
        double[] se = new double[nq];
        double[] out = new double[3];
        double[] logZ = z.logZ();
        for (int k = 0; k < nq; k++) {
            LeastSquares.fit(abscissa, logZ, k * all + first, out);
            tau[k] = out[0];
            r2[k] = out[1];
            se[k] = out[2];
        }
        return new MassExponents(tau, r2, se, radii[first], radii[end - 1], m);
    }

    /** The smallest radius in the fit. */
    public int fitLow() {
        return fitLow;
    }

    /** The largest radius in the fit. */
    public int fitHigh() {
        return fitHigh;
    }

    /** How many radii the fit used. */
    public int fitPoints() {
        return fitPoints;
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

    /** Equal exponents: every value equal ({@link Double#compare}: NaN equals NaN), the same scaling range. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MassExponents)) {
            return false;
        }
        MassExponents m = (MassExponents) o;
        return Arrays.equals(tau, m.tau) && Arrays.equals(rSquared, m.rSquared) && Arrays.equals(stderr, m.stderr)
                && fitLow == m.fitLow && fitHigh == m.fitHigh && fitPoints == m.fitPoints;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tau) * 31 + fitPoints;
    }
}

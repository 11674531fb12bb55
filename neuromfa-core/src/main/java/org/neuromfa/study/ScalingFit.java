package org.neuromfa.study;

import org.hipparchus.stat.regression.SimpleRegression;

/**
 * Ordinary least squares of the degree of emergence against the logarithm of the parameter count,
 * {@code E = intercept + slope * ln(N)}, over model sizes: slope with its standard error, R^2 and the
 * two-sided p-value of the slope (t test, n - 2 degrees of freedom). NaN where undefined (fewer than
 * three models for the error and p, two distinct sizes for the slope).
 */
public final class ScalingFit {
    public final int n;
    public final double slope;
    public final double intercept;
    public final double slopeStderr;
    public final double rSquared;
    public final double slopeP;

    /** A fit as it was computed and stored (a result read back from its JSON form). */
    public static ScalingFit stored(int n, double slope, double intercept, double slopeStderr, double rSquared,
                                    double slopeP) {
        return new ScalingFit(n, slope, intercept, slopeStderr, rSquared, slopeP);
    }

    private ScalingFit(int n, double slope, double intercept, double slopeStderr, double rSquared, double slopeP) {
        this.n = n;
        this.slope = slope;
        this.intercept = intercept;
        this.slopeStderr = slopeStderr;
        this.rSquared = rSquared;
        this.slopeP = slopeP;
    }

    public static ScalingFit of(long[] parameterCounts, double[] emergence) {
        if (parameterCounts.length != emergence.length) {
            throw new IllegalArgumentException("series of different lengths");
        }
        SimpleRegression r = new SimpleRegression();
        for (int i = 0; i < emergence.length; i++) {
            r.addData(Math.log(parameterCounts[i]), emergence[i]);
        }
        int n = emergence.length;
        boolean inference = n >= 3;
        return new ScalingFit(n, r.getSlope(), r.getIntercept(), inference ? r.getSlopeStdErr() : Double.NaN,
                r.getRSquare(), inference ? r.getSignificance() : Double.NaN);
    }
}

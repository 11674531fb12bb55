package org.neuromfa.study;

import java.util.ArrayList;
import java.util.List;
import org.hipparchus.distribution.continuous.TDistribution;

/**
 * How fast the degree of emergence grows over training: the ordinary least-squares slope of E
 * against {@code log10(step)} over the checkpoints with a training step of at least 1 (step 0, the
 * baseline, has no logarithm and E = 0 by definition), so the slope is the gain in E per tenfold
 * increase of the training steps. With it: the intercept, R^2, the slope's standard error
 * {@code sqrt(SSR / (n - 2) / Sxx)} and its two-sided {@link #CONFIDENCE} interval
 * {@code slope +- t(0.975, n - 2) * stderr}.
 *
 * <p>Undefined values are NaN (as Hipparchus reports them): the slope with fewer than two distinct
 * steps, the error and the interval with fewer than three checkpoints.
 */
public final class EmergenceGrowth {
    /** The level of the slope's confidence interval. */
    public static final double CONFIDENCE = 0.95;

    /** The checkpoints used: steps {@code >= 1} with a finite E, in the order given. */
    public final long[] steps;
    public final double[] emergence;
    public final int n;
    public final double slope;
    public final double intercept;
    public final double slopeStderr;
    public final double low;
    public final double high;
    public final double rSquared;

    private EmergenceGrowth(long[] steps, double[] emergence, double slope, double intercept, double slopeStderr,
                            double low, double high, double rSquared) {
        this.steps = steps;
        this.emergence = emergence;
        this.n = steps.length;
        this.slope = slope;
        this.intercept = intercept;
        this.slopeStderr = slopeStderr;
        this.low = low;
        this.high = high;
        this.rSquared = rSquared;
    }

    /** The growth of {@code emergence[i]} at {@code steps[i]}; steps below 1 and non-finite E are left out. */
    public static EmergenceGrowth of(long[] steps, double[] emergence) {
        if (steps.length != emergence.length) {
            throw new IllegalArgumentException("series of different lengths: " + steps.length + " and " + emergence.length);
        }
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] >= 1 && Double.isFinite(emergence[i])) {
                keep.add(i);
            }
        }
        int n = keep.size();
        long[] s = new long[n];
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = steps[keep.get(i)];
            e[i] = emergence[keep.get(i)];
        }
        double nan = Double.NaN;
        if (n < 2) {
            return new EmergenceGrowth(s, e, nan, nan, nan, nan, nan, nan);
        }
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < n; i++) {
            meanX += Math.log10(s[i]);
            meanY += e[i];
        }
        meanX /= n;
        meanY /= n;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = Math.log10(s[i]) - meanX;
            double dy = e[i] - meanY;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        if (sxx == 0) {
            return new EmergenceGrowth(s, e, nan, nan, nan, nan, nan, nan);
        }
        double slope = sxy / sxx;
        double intercept = meanY - slope * meanX;
        double ssr = 0;
        for (int i = 0; i < n; i++) {
            double r = e[i] - (intercept + slope * Math.log10(s[i]));
            ssr += r * r;
        }
        double r2 = syy == 0 ? nan : 1 - ssr / syy;
        if (n < 3) {
            return new EmergenceGrowth(s, e, slope, intercept, nan, nan, nan, r2);
        }
        double stderr = Math.sqrt(ssr / (n - 2) / sxx);
        double half = new TDistribution(n - 2).inverseCumulativeProbability(0.5 + CONFIDENCE / 2) * stderr;
        return new EmergenceGrowth(s, e, slope, intercept, stderr, slope - half, slope + half, r2);
    }

    /**
     * Whether two trajectories' E grows at different rates: the difference of the two slopes,
     * {@code t = (b1 - b2) / sqrt(se1^2 + se2^2)} with {@code n1 + n2 - 4} degrees of freedom (the
     * test for two independent regression slopes), and its two-sided p-value. NaN when either
     * slope has no standard error (fewer than three checkpoints).
     */
    public static final class Difference {
        public final double difference;
        public final double stderr;
        public final double t;
        public final int degreesOfFreedom;
        public final double p;

        private Difference(double difference, double stderr, double t, int degreesOfFreedom, double p) {
            this.difference = difference;
            this.stderr = stderr;
            this.t = t;
            this.degreesOfFreedom = degreesOfFreedom;
            this.p = p;
        }

        public static Difference of(EmergenceGrowth a, EmergenceGrowth b) {
            double d = a.slope - b.slope;
            double se = Math.sqrt(a.slopeStderr * a.slopeStderr + b.slopeStderr * b.slopeStderr);
            int df = a.n + b.n - 4;
            if (!Double.isFinite(se) || df < 1) {
                return new Difference(d, Double.NaN, Double.NaN, Math.max(df, 0), Double.NaN);
            }
            if (se == 0) {
                // Two perfect fits: any difference is certain, none is undefined.
                return new Difference(d, 0, d == 0 ? Double.NaN : Math.copySign(Double.POSITIVE_INFINITY, d), df,
                        d == 0 ? Double.NaN : 0);
            }
            double t = d / se;
            double p = 2 * new TDistribution(df).cumulativeProbability(-Math.abs(t));
            return new Difference(d, se, t, df, p);
        }
    }
}

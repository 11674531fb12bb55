package org.neuromfa.analysis;

import java.util.Arrays;
import java.util.List;

/**
 * How well the fits of tau(q) of a set of samples (one checkpoint's seeds) went, over every q and
 * every sample: how many fits, their median and lowest R^2 (with the q and seed of the lowest), and
 * how many fall below a threshold ({@code --min-r-squared}). The report's per-checkpoint summary and
 * the record of an automatically chosen scaling range. Immutable.
 */
public final class FitSummary {
    public final int fits;
    public final double median;
    public final double lowest;
    /** The q of the lowest R^2 (NaN without fits). */
    public final double lowestQ;
    /** The seed of the lowest R^2 (-1 without fits). */
    public final long lowestSeed;
    public final double threshold;
    public final int below;

    private FitSummary(int fits, double median, double lowest, double lowestQ, long lowestSeed, double threshold,
                       int below) {
        this.fits = fits;
        this.median = median;
        this.lowest = lowest;
        this.lowestQ = lowestQ;
        this.lowestSeed = lowestSeed;
        this.threshold = threshold;
        this.below = below;
    }

    /** The summary of {@code samples}' fits on the grid {@code q}, counting those below {@code threshold}. */
    public static FitSummary of(List<SampleResult> samples, double[] q, double threshold) {
        int n = 0;
        for (SampleResult s : samples) {
            n += s.rSquared().length;
        }
        double[] all = new double[n];
        int i = 0;
        int below = 0;
        double lowest = Double.POSITIVE_INFINITY;
        double lowestQ = Double.NaN;
        long lowestSeed = -1;
        for (SampleResult s : samples) {
            double[] r2 = s.rSquared();
            for (int k = 0; k < r2.length; k++) {
                all[i++] = r2[k];
                if (r2[k] < threshold) {
                    below++;
                }
                if (r2[k] < lowest) {
                    lowest = r2[k];
                    lowestQ = k < q.length ? q[k] : Double.NaN;
                    lowestSeed = s.seed();
                }
            }
        }
        if (n == 0) {
            return new FitSummary(0, Double.NaN, Double.NaN, Double.NaN, -1, threshold, 0);
        }
        Arrays.sort(all);
        double median = n % 2 == 1 ? all[n / 2] : (all[n / 2 - 1] + all[n / 2]) / 2;
        return new FitSummary(n, median, lowest, lowestQ, lowestSeed, threshold, below);
    }
}

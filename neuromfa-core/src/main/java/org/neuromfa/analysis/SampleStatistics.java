package org.neuromfa.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * What a set of samples (one checkpoint's seeds) says together, over the samples the quality filter
 * keeps (METHOD.md section 6.1): the means of alpha0 and width, their sample standard deviations, and
 * the mean spectrum. Every mean and spread reported anywhere (analyze, trajectories, plots, the
 * spread of E) comes from here, so they agree to the last bit: sums are taken in sample order, the
 * mean is the sum over n, the standard deviation divides by n - 1. Undefined values are NaN: the
 * means with no kept sample, the spreads with fewer than two.
 */
public final class SampleStatistics {
    private final int kept;
    private final double alpha0Mean;
    private final double widthMean;
    private final double alpha0Std;
    private final double widthStd;
    private final double[][] meanSpectrum;

    private SampleStatistics(int kept, double alpha0Mean, double widthMean, double alpha0Std, double widthStd,
                             double[][] meanSpectrum) {
        this.kept = kept;
        this.alpha0Mean = alpha0Mean;
        this.widthMean = widthMean;
        this.alpha0Std = alpha0Std;
        this.widthStd = widthStd;
        this.meanSpectrum = meanSpectrum;
    }

    public static SampleStatistics of(List<SampleResult> samples) {
        double[] alpha0 = new double[samples.size()];
        double[] width = new double[samples.size()];
        int n = 0;
        for (SampleResult s : samples) {
            if (s.kept()) {
                alpha0[n] = s.alpha0();
                width[n] = s.width();
                n++;
            }
        }
        double a = mean(alpha0, n);
        double w = mean(width, n);
        return new SampleStatistics(n, a, w, standardDeviation(alpha0, n, a), standardDeviation(width, n, w),
                meanSpectrum(samples));
    }

    /** The mean of the first {@code n} values, summed in order; NaN when n is 0. */
    public static double mean(double[] values, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += values[i];
        }
        return sum / n;
    }

    /**
     * The sample standard deviation (n - 1 in the denominator) of the first {@code n} values about
     * {@code mean}; NaN with fewer than two values.
     */
    public static double standardDeviation(double[] values, int n, double mean) {
        if (n < 2) {
            return Double.NaN;
        }
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double d = values[i] - mean;
            ss += d * d;
        }
        return Math.sqrt(ss / (n - 1));
    }

    /**
     * The point-by-point mean of the kept samples' spectra f(alpha): the samples whose spectrum has
     * as many points as the first kept sample with points (the others, and samples without points,
     * are left out of the mean), with the points where a mean is not finite dropped. Null when no
     * point remains.
     */
    private static double[][] meanSpectrum(List<SampleResult> samples) {
        double[] a = null;
        double[] f = null;
        int kept = 0;
        for (SampleResult s : samples) {
            if (!s.kept() || s.spectrum().size() == 0) {
                continue;
            }
            double[] alpha = s.spectrum().alpha();
            double[] fa = s.spectrum().f();
            if (a == null) {
                a = new double[alpha.length];
                f = new double[alpha.length];
            } else if (a.length != alpha.length) {
                continue;
            }
            for (int i = 0; i < a.length; i++) {
                a[i] += alpha[i];
                f[i] += fa[i];
            }
            kept++;
        }
        if (a == null) {
            return null;
        }
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            if (Double.isFinite(a[i]) && Double.isFinite(f[i])) {
                points.add(new double[] {a[i] / kept, f[i] / kept});
            }
        }
        if (points.isEmpty()) {
            return null;
        }
        double[][] out = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++) {
            out[0][i] = points.get(i)[0];
            out[1][i] = points.get(i)[1];
        }
        return out;
    }

    /** How many samples the quality filter keeps. */
    public int kept() {
        return kept;
    }

    public double alpha0Mean() {
        return alpha0Mean;
    }

    public double widthMean() {
        return widthMean;
    }

    /** Sample standard deviation of alpha0 over the kept samples. */
    public double alpha0Std() {
        return alpha0Std;
    }

    /** Sample standard deviation of the width over the kept samples. */
    public double widthStd() {
        return widthStd;
    }

    /** The mean spectrum as {alpha[], f[]}, or null when the kept samples have no points (copies). */
    public double[][] meanSpectrum() {
        return meanSpectrum == null ? null : new double[][] {meanSpectrum[0].clone(), meanSpectrum[1].clone()};
    }
}

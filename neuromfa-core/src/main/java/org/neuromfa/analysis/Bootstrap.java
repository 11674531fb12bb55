package org.neuromfa.analysis;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.base.SplitMix64;

/**
 * The bootstrap over seeds (METHOD.md section 6.4): how sure the means over a checkpoint's samples
 * are. Each of {@link #resamples()} resamples draws as many seeds as there are, with replacement,
 * from the seed list; a statistic computed on every resample gives its percentile interval at the
 * {@link #CONFIDENCE} level. The draws depend only on the bootstrap seed and the number of seeds, so
 * every checkpoint of a trajectory is resampled with the same seeds: the checkpoint's and the
 * baseline's means in one resample come from the same neurons, which is how E's interval takes the
 * baseline's uncertainty (and its correlation with the checkpoint) into account. Draws come from
 * {@link SplitMix64}, so intervals are identical on every JDK and for any number of threads.
 *
 * <p>Interval: the percentiles {@code (1 - c) / 2} and {@code (1 + c) / 2} of the resampled values,
 * interpolated linearly between order statistics (numpy's default, "type 7"); resamples whose
 * statistic is undefined (no drawn seed kept by the quality filter) are left out.
 */
public final class Bootstrap {
    /** The confidence level of every interval. */
    public static final double CONFIDENCE = 0.95;
    /** The fewest and most resamples accepted. */
    public static final int MIN_RESAMPLES = 10;
    public static final int MAX_RESAMPLES = 1_000_000;

    /** No bootstrap: no intervals. */
    public static final Bootstrap NONE = new Bootstrap(0, 0);

    private final int resamples;
    private final long seed;

    private Bootstrap(int resamples, long seed) {
        this.resamples = resamples;
        this.seed = seed;
    }

    /** {@code resamples} resamples drawn from a generator seeded by {@code seed}. */
    public static Bootstrap of(int resamples, long seed) {
        if (resamples < MIN_RESAMPLES || resamples > MAX_RESAMPLES) {
            throw new NeuroMfaException(Message.setting("bootstrap") + " must be between " + MIN_RESAMPLES + " and "
                    + MAX_RESAMPLES + " resamples, not " + resamples);
        }
        return new Bootstrap(resamples, seed);
    }

    public boolean enabled() {
        return resamples > 0;
    }

    public int resamples() {
        return resamples;
    }

    public long seed() {
        return seed;
    }

    /**
     * The resamples of {@code n} seeds: row b holds the positions (into the seed list) drawn for
     * resample b, drawn row by row, each position uniform in {@code [0, n)}.
     */
    public int[][] draws(int n) {
        SplitMix64 random = new SplitMix64(seed);
        int[][] out = new int[resamples][n];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < n; i++) {
                out[b][i] = random.nextInt(n);
            }
        }
        return out;
    }

    /**
     * The mean alpha0 and width of every resample: {@code {alpha0[], width[]}}, each mean over the kept
     * samples among the drawn seeds (NaN when none is kept). {@code samples.get(i)} is the sample of
     * the i-th seed of the seed list; a null entry (a seed this checkpoint lacks) counts as not kept.
     */
    public double[][] resampledMeans(List<SampleResult> samples) {
        int n = samples.size();
        double[][] out = new double[2][resamples];
        if (n == 0) {
            Arrays.fill(out[0], Double.NaN);
            Arrays.fill(out[1], Double.NaN);
            return out;
        }
        int[][] draws = draws(n);
        for (int b = 0; b < resamples; b++) {
            double a = 0;
            double w = 0;
            int kept = 0;
            for (int i : draws[b]) {
                SampleResult s = samples.get(i);
                if (s != null && s.kept()) {
                    a += s.alpha0();
                    w += s.width();
                    kept++;
                }
            }
            out[0][b] = kept == 0 ? Double.NaN : a / kept;
            out[1][b] = kept == 0 ? Double.NaN : w / kept;
        }
        return out;
    }

    /** The percentile interval of {@code values} (undefined values left out); [NaN, NaN] when none is defined. */
    public static Interval percentile(double[] values) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) {
            return Interval.UNDEFINED;
        }
        double tail = (1 - CONFIDENCE) / 2;
        return new Interval(quantile(v, tail), quantile(v, 1 - tail));
    }

    /** The p-quantile of ascending values, linear between order statistics: position {@code (n - 1) p}. */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        if (lo >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    /** Intervals of the means of alpha0 and width of one checkpoint's samples, in seed-list order. */
    public Interval[] meanIntervals(List<SampleResult> samples) {
        double[][] means = resampledMeans(samples);
        return new Interval[] {percentile(means[0]), percentile(means[1])};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bootstrap && resamples == ((Bootstrap) o).resamples && seed == ((Bootstrap) o).seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(resamples, seed);
    }

    /** A confidence interval {@code [low, high]}; NaN ends when undefined. */
    public static final class Interval {
        public static final Interval UNDEFINED = new Interval(Double.NaN, Double.NaN);

        public final double low;
        public final double high;

        public Interval(double low, double high) {
            this.low = low;
            this.high = high;
        }

        public boolean defined() {
            return Double.isFinite(low) && Double.isFinite(high);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Interval && Double.compare(low, ((Interval) o).low) == 0
                    && Double.compare(high, ((Interval) o).high) == 0;
        }

        @Override
        public int hashCode() {
            return Double.hashCode(low) * 31 + Double.hashCode(high);
        }

        @Override
        public String toString() {
            return "[" + low + ", " + high + "]";
        }
    }
}

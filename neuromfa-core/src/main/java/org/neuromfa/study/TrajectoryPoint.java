package org.neuromfa.study;

import java.util.List;
import java.util.Map;
import org.neuromfa.analysis.Bootstrap;
import org.neuromfa.analysis.CheckpointInfo;
import org.neuromfa.analysis.ScalingWindow;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.analysis.SampleStatistics;

/**
 * One checkpoint of a trajectory: its samples (one per seed), their statistics, and the degree of
 * emergence against the trajectory's first checkpoint, from the means over seeds; its spread is that
 * of each seed's E against the same seed at the baseline (METHOD.md section 6). Immutable.
 */
public final class TrajectoryPoint {
    public final String model;
    public final String revision;
    /** Training step, or null when the revision names none. */
    public final Long step;
    /** The commit a Hub revision resolved to when it was analysed, or null (local, or unknown). */
    public final String commit;
    /** The architecture's description, or null when unknown. */
    public final Map<String, Object> architecture;
    /** Sum of the element counts of every tensor in the checkpoint, or 0 when unknown. */
    public final long parameterCount;
    /** Fingerprint of a fixed probe of the weights, or null when unknown. */
    public final String fingerprint;
    public final List<SampleResult> samples;
    public final SampleStatistics statistics;
    public final double alpha0Mean;
    public final double widthMean;
    public final int keptSamples;
    /** Sample standard deviations over the kept samples (NaN with fewer than two). */
    public final double alpha0Std;
    public final double widthStd;
    public final double emergence;
    /** Standard deviation over seeds of each seed's E against the same seed at the baseline. */
    public final double emergenceStd;
    /** The scaling range chosen from the samples ({@code --radius-range auto}), or null. */
    public final ScalingWindow window;
    /**
     * Bootstrap intervals over seeds ({@code --bootstrap}), or null: of the means, and of E with the
     * baseline's means resampled from the same seeds in each resample (METHOD.md section 6.4).
     */
    public final Bootstrap.Interval alpha0Interval;
    public final Bootstrap.Interval widthInterval;
    public final Bootstrap.Interval emergenceInterval;

    /**
     * A checkpoint described by {@code info}, with its samples; {@code baseline} is the trajectory's
     * first point, or null for the first point itself.
     */
    public TrajectoryPoint(String model, String revision, Long step, String commit, CheckpointInfo info,
                           List<SampleResult> samples, TrajectoryPoint baseline) {
        this(model, revision, step, commit, info, samples, baseline, Bootstrap.NONE, null);
    }

    /** As above, with the bootstrap of the intervals and the chosen scaling range (null when fixed). */
    public TrajectoryPoint(String model, String revision, Long step, String commit, CheckpointInfo info,
                           List<SampleResult> samples, TrajectoryPoint baseline, Bootstrap bootstrap,
                           ScalingWindow window) {
        this.model = model;
        this.revision = revision;
        this.step = step;
        this.commit = commit;
        this.architecture = info.architecture();
        this.parameterCount = info.parameterCount();
        this.fingerprint = info.fingerprint();
        this.samples = List.copyOf(samples);
        this.statistics = SampleStatistics.of(this.samples);
        this.alpha0Mean = statistics.alpha0Mean();
        this.widthMean = statistics.widthMean();
        this.keptSamples = statistics.kept();
        this.alpha0Std = statistics.alpha0Std();
        this.widthStd = statistics.widthStd();
        TrajectoryPoint base = baseline == null ? this : baseline;
        this.emergence = EmergenceDegree.of(base.alpha0Mean, base.widthMean, alpha0Mean, widthMean);
        this.emergenceStd = perSeedEmergenceStd(base);
        this.window = window;
        if (bootstrap.enabled()) {
            Bootstrap.Interval[] means = bootstrap.meanIntervals(this.samples);
            this.alpha0Interval = means[0];
            this.widthInterval = means[1];
            this.emergenceInterval = emergenceInterval(bootstrap, base);
        } else {
            this.alpha0Interval = null;
            this.widthInterval = null;
            this.emergenceInterval = null;
        }
    }

    /**
     * E in every resample: this checkpoint's means and the baseline's over the same drawn seeds, so
     * the interval holds the baseline's uncertainty and its correlation with this checkpoint's.
     */
    private Bootstrap.Interval emergenceInterval(Bootstrap bootstrap, TrajectoryPoint base) {
        List<SampleResult> paired = new java.util.ArrayList<>();
        for (SampleResult s : samples) {
            paired.add(base.sample(s.seed()));
        }
        double[][] here = bootstrap.resampledMeans(samples);
        double[][] there = bootstrap.resampledMeans(paired);
        double[] e = new double[bootstrap.resamples()];
        for (int b = 0; b < e.length; b++) {
            e[b] = EmergenceDegree.of(there[0][b], there[1][b], here[0][b], here[1][b]);
        }
        return Bootstrap.percentile(e);
    }

    private double perSeedEmergenceStd(TrajectoryPoint base) {
        double[] e = new double[samples.size()];
        int n = 0;
        for (SampleResult s : samples) {
            SampleResult b = base.sample(s.seed());
            if (b == null || !s.kept() || !b.kept()) {
                continue;
            }
            e[n++] = EmergenceDegree.of(b.alpha0(), b.width(), s.alpha0(), s.width());
        }
        return SampleStatistics.standardDeviation(e, n, SampleStatistics.mean(e, n));
    }

    /** The sample of {@code seed}, or null. */
    public SampleResult sample(long seed) {
        for (SampleResult s : samples) {
            if (s.seed() == seed) {
                return s;
            }
        }
        return null;
    }
}

package org.neuromfa.analysis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuromfa.model.CheckpointFileInfo;

/**
 * The analysis of one checkpoint over several seeds: per-seed results, their statistics (the means of
 * alpha0 and width over the samples the quality filter keeps), and what the source says about the
 * reads; with the options that ask for them, the scaling range chosen from the samples
 * ({@code --radius-range auto}), the bootstrap intervals of the means ({@code --bootstrap}) and the
 * same analysis under a null model ({@code --null}). Immutable.
 */
public final class CheckpointResult {
    public final String model;
    /** The architecture's description ({@link org.neuromfa.arch.Architecture#describe()}), read-only. */
    public final Map<String, Object> architecture;
    public final AnalysisOptions options;
    public final List<SampleResult> samples;
    public final SampleStatistics statistics;
    public final double alpha0Mean;
    public final double widthMean;
    public final int keptSamples;
    public final long bytesRead;
    public final long bytesTotal;
    /** Content fingerprint of the weights the analysis read ({@link org.neuromfa.tensor.WeightFingerprint}), or null. */
    public final String fingerprint;
    /** The files read, with size and ETag / LFS sha256 where the source reports them. */
    public final List<CheckpointFileInfo> files;
    /** The commit a Hub revision resolved to, or null. */
    public final String commit;
    /** The scaling range chosen from the samples, or null when the options fix it. */
    public final ScalingWindow window;
    /** Bootstrap intervals of alpha0_mean and width_mean, or null without a bootstrap. */
    public final Bootstrap.Interval alpha0Interval;
    public final Bootstrap.Interval widthInterval;
    /** The same analysis under the options' null model, or null when none was asked for. */
    public final CheckpointResult nullModel;

    public CheckpointResult(String model, Map<String, Object> architecture, AnalysisOptions options,
                            List<SampleResult> samples, long bytesRead, long bytesTotal, String fingerprint,
                            List<CheckpointFileInfo> files, String commit) {
        this(model, architecture, options, samples, bytesRead, bytesTotal, fingerprint, files, commit, null, null);
    }

    /** As above, with the chosen scaling range and the null model's analysis (each null when there is none). */
    public CheckpointResult(String model, Map<String, Object> architecture, AnalysisOptions options,
                            List<SampleResult> samples, long bytesRead, long bytesTotal, String fingerprint,
                            List<CheckpointFileInfo> files, String commit, ScalingWindow window,
                            CheckpointResult nullModel) {
        this.model = model;
        this.architecture = Collections.unmodifiableMap(new LinkedHashMap<>(architecture));
        this.options = options;
        this.samples = List.copyOf(samples);
        this.statistics = SampleStatistics.of(this.samples);
        // With every sample filtered out the means are undefined; NaN is reported as null.
        this.alpha0Mean = statistics.alpha0Mean();
        this.widthMean = statistics.widthMean();
        this.keptSamples = statistics.kept();
        this.bytesRead = bytesRead;
        this.bytesTotal = bytesTotal;
        this.fingerprint = fingerprint;
        this.files = List.copyOf(files);
        this.commit = commit;
        this.window = window;
        if (options.bootstrap().enabled()) {
            Bootstrap.Interval[] intervals = options.bootstrap().meanIntervals(this.samples);
            this.alpha0Interval = intervals[0];
            this.widthInterval = intervals[1];
        } else {
            this.alpha0Interval = null;
            this.widthInterval = null;
        }
        this.nullModel = nullModel;
    }

    /** This result with what its source says: bytes read, files read (with ETags) and commit. */
    public CheckpointResult withSource(long bytesRead, List<CheckpointFileInfo> files, String commit) {
        return new CheckpointResult(model, architecture, options, samples, bytesRead, bytesTotal, fingerprint,
                files, commit, window, nullModel);
    }
}

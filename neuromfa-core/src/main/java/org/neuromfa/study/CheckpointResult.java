package org.neuromfa.study;

import java.util.List;
import java.util.Map;
import org.neuromfa.model.CheckpointFileInfo;

/**
 * The analysis of one checkpoint over several seeds: per-seed results, and the means of alpha0 and
 * width over the samples the quality filter keeps.
 */
public final class CheckpointResult {
    public final String model;
    public final Map<String, Object> architecture;
    public final AnalysisOptions options;
    public final List<SampleResult> samples;
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

    public CheckpointResult(String model, Map<String, Object> architecture, AnalysisOptions options,
                            List<SampleResult> samples, long bytesRead, long bytesTotal) {
        this(model, architecture, options, samples, bytesRead, bytesTotal, null, List.of(), null);
    }

    public CheckpointResult(String model, Map<String, Object> architecture, AnalysisOptions options,
                            List<SampleResult> samples, long bytesRead, long bytesTotal, String fingerprint,
                            List<CheckpointFileInfo> files, String commit) {
        this.model = model;
        this.architecture = architecture;
        this.options = options;
        this.samples = List.copyOf(samples);
        double a = 0;
        double w = 0;
        int kept = 0;
        for (SampleResult s : samples) {
            if (s.kept) {
                a += s.alpha0;
                w += s.width;
                kept++;
            }
        }
        // With every sample filtered out the means are undefined; NaN is reported as null.
        this.alpha0Mean = kept == 0 ? Double.NaN : a / kept;
        this.widthMean = kept == 0 ? Double.NaN : w / kept;
        this.keptSamples = kept;
        this.bytesRead = bytesRead;
        this.bytesTotal = bytesTotal;
        this.fingerprint = fingerprint;
        this.files = List.copyOf(files);
        this.commit = commit;
    }

    /** This result with what its source says: bytes read, files read (with ETags) and commit. */
    public CheckpointResult withSource(long bytesRead, List<CheckpointFileInfo> files, String commit) {
        return new CheckpointResult(model, architecture, options, samples, bytesRead, bytesTotal, fingerprint,
                files, commit);
    }
}

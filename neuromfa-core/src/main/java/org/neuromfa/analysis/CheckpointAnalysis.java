package org.neuromfa.analysis;

import java.io.IOException;
import java.util.List;
import java.util.function.LongConsumer;
import org.neuromfa.arch.Architecture;
import org.neuromfa.arch.Architectures;
import org.neuromfa.base.Parallel;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.source.FetchListener;
import org.neuromfa.tensor.NormalizedWeights;
import org.neuromfa.tensor.NullModel;
import org.neuromfa.tensor.TensorStore;
import org.neuromfa.tensor.WeightFingerprint;

/**
 * Analyses one checkpoint over the seeds {@code firstSeed .. firstSeed + samples - 1}, seeds in
 * parallel on {@code threads} threads. Results come back in seed order whatever the thread count, so
 * output is identical for any number of threads. {@link #run(String, Architecture, TensorStore,
 * AnalysisOptions, int, LongConsumer)} is where an opened checkpoint's seeds are run for analyze and
 * demo (as {@code study.ThreadPoolSampleRunner.run} is for a trajectory): the place for anything that
 * must happen once per opened checkpoint before its seeds. With a null model ({@code --null}) the
 * seeds are analysed a second time under it, on the rows already read.
 */
public final class CheckpointAnalysis {
    private CheckpointAnalysis() {
    }

    /**
     * @param onSampleDone called with each seed as it finishes (for progress); may be null
     */
    public static CheckpointResult run(Checkpoint checkpoint, AnalysisOptions options, int threads,
                                       LongConsumer onSampleDone) throws IOException {
        return run(checkpoint, options, threads, onSampleDone, FetchListener.NONE);
    }

    /** As above, telling {@code fetching} how the fetch of the planned reads goes (progress). */
    public static CheckpointResult run(Checkpoint checkpoint, AnalysisOptions options, int threads,
                                       LongConsumer onSampleDone, FetchListener fetching) throws IOException {
        return run(checkpoint.label(), architecture(checkpoint, options), tensors(checkpoint, options), options, threads,
                onSampleDone, fetching)
                .withSource(checkpoint.bytesRead(), checkpoint.files().filesRead(), checkpoint.files().commit());
    }

    /** The checkpoint's architecture, wired as the options ask (QKV layout, kernel aggregation, wiring file). */
    public static Architecture architecture(Checkpoint checkpoint, AnalysisOptions options) {
        return Architectures.detect(checkpoint, options.architecture());
    }

    /** The weights the analysis reads: the checkpoint's, normalised per matrix when the options ask. */
    public static TensorStore tensors(Checkpoint checkpoint, AnalysisOptions options) {
        return options.normalizeWeights() ? new NormalizedWeights(checkpoint.tensors()) : checkpoint.tensors();
    }

    /**
     * Analyses {@code weights} wired by {@code architecture} (for example an initialised twin of a
     * model, which has no files; the result then names none). {@code options.normalizeWeights()} is
     * applied by the caller.
     */
    public static CheckpointResult run(String label, Architecture architecture, TensorStore weights,
                                       AnalysisOptions options, int threads, LongConsumer onSampleDone)
            throws IOException {
        return run(label, architecture, weights, options, threads, onSampleDone, FetchListener.NONE);
    }

    private static CheckpointResult run(String label, Architecture architecture, TensorStore weights,
                                        AnalysisOptions options, int threads, LongConsumer onSampleDone,
                                        FetchListener fetching) throws IOException {
        // Validate k against the shapes before starting any work.
        architecture.samplePlan(options.firstSeed(), options.nodesPerLayer());
        // Every byte all seeds need, fetched at once (coalesced and in parallel over a network),
        // before any seed reads a row.
        CheckpointReads.plan(architecture, weights, options.seeds(), options.nodesPerLayer()).fetch(fetching);
        // Every weight read passes through the fingerprint, so identical weights can be recognised.
        WeightFingerprint tensors = WeightFingerprint.ofValuesRead(weights);
        AnalysisOptions real = options.withNullModel(NullModel.NONE);
        List<SampleResult> results = seeds(architecture, tensors, real, threads, onSampleDone);
        CheckpointResult underNull = null;
        if (options.nullModel() != NullModel.NONE) {
            // The null model reads the very rows just read (no byte more), past the fingerprint,
            // which adds up every value read and so describes the real analysis only.
            underNull = checkpoint(label, architecture, weights, options,
                    seeds(architecture, weights, options, threads, onSampleDone), null, null);
        }
        return checkpoint(label, architecture, weights, real, results, tensors.fingerprint(), underNull);
    }

    private static List<SampleResult> seeds(Architecture architecture, TensorStore tensors, AnalysisOptions options,
                                            int threads, LongConsumer onSampleDone) throws IOException {
        return Parallel.map(options.seeds(), threads, "neuromfa-sample", seed -> {
            SampleResult r = SampleAnalysis.run(architecture, tensors, seed, options);
            if (onSampleDone != null) {
                onSampleDone.accept(seed);
            }
            return r;
        });
    }

    /** The checkpoint's result from its samples, fitted over the range chosen from them under {@code --radius-range auto}. */
    private static CheckpointResult checkpoint(String label, Architecture architecture, TensorStore weights,
                                               AnalysisOptions options, List<SampleResult> samples, String fingerprint,
                                               CheckpointResult underNull) {
        ScalingWindow window = null;
        if (options.spectrum().radiusRange().isAuto()) {
            ScalingWindow.Fitted fitted = ScalingWindow.fit(samples, options);
            window = fitted.window;
            samples = fitted.samples;
        }
        return new CheckpointResult(label, architecture.describe(), options, samples, weights.bytesRead(),
                weights.bytesTotal(), fingerprint, List.of(), null, window, underNull);
    }
}

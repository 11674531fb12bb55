package org.neuromfa.study;

import java.io.IOException;
import java.util.List;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointAnalysis;
import org.neuromfa.analysis.CheckpointInfo;
import org.neuromfa.analysis.CheckpointResult;
import org.neuromfa.arch.Architecture;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.tensor.InitialisedWeights;
import org.neuromfa.tensor.NormalizedWeights;
import org.neuromfa.tensor.TensorStore;

/**
 * A trained model against its initialised twin: the same architecture and shapes, with weights drawn
 * from an initialisation (normal with mean 0, as BERT's initializer_range), analysed with the same
 * seeds; the twin plays the part of training step 0, so the degree of emergence is
 * {@code E = (w_trained / w_init) * ln(alpha0_init / alpha0_trained)} (METHOD.md section 6.2). What
 * {@code neuromfa demo} shows for its built-in model.
 */
public final class TwinComparison {
    public final String label;
    public final Initialisation initialisation;
    public final CheckpointResult trained;
    public final CheckpointResult initialised;
    /** E of the trained model against the twin, from the means over kept samples. */
    public final double emergence;
    /** What a trajectory keeps about each (parameter count, probe fingerprint), as for a checkpoint. */
    private final CheckpointInfo trainedInfo;
    private final CheckpointInfo initialisedInfo;

    /** How the twin's weights are drawn: normal with mean 0, standard deviation {@link #std}, seeded. */
    public static final class Initialisation {
        public final double std;
        public final long seed;

        private Initialisation(double std, long seed) {
            this.std = std;
            this.seed = seed;
        }

        /** A normal initialisation; the standard deviation must be positive and finite. */
        public static Initialisation normal(double std, long seed) {
            if (!(std > 0) || !Double.isFinite(std)) {
                throw new NeuroMfaException(Message.setting("init_std") + " must be positive, not " + std);
            }
            return new Initialisation(std, seed);
        }

        public String distribution() {
            return "normal";
        }

        public double mean() {
            return 0.0;
        }
    }

    /** Told about each finished sample, of the trained model or of its twin; called from worker threads. */
    public interface Listener {
        void sample(boolean trained, long seed);
    }

    private TwinComparison(String label, Initialisation initialisation, CheckpointResult trained,
                           CheckpointResult initialised, CheckpointInfo trainedInfo, CheckpointInfo initialisedInfo) {
        this.label = label;
        this.initialisation = initialisation;
        this.trained = trained;
        this.initialised = initialised;
        this.trainedInfo = trainedInfo;
        this.initialisedInfo = initialisedInfo;
        this.emergence = EmergenceDegree.of(initialised.alpha0Mean, initialised.widthMean, trained.alpha0Mean,
                trained.widthMean);
    }

    /**
     * Analyses {@code checkpoint} (labelled {@code label}) and its twin with {@code options} on
     * {@code threads} threads; with normalised weights, each is normalised by its own spread.
     */
    public static TwinComparison run(Checkpoint checkpoint, String label, AnalysisOptions options,
                                     Initialisation initialisation, int threads, Listener listener) throws IOException {
        Architecture architecture = CheckpointAnalysis.architecture(checkpoint, options);
        TensorStore weights = checkpoint.tensors();
        TensorStore twin = new InitialisedWeights(weights, initialisation.std, initialisation.seed);
        if (options.normalizeWeights()) {
            weights = new NormalizedWeights(weights);
            twin = new NormalizedWeights(twin);
        }
        CheckpointResult trained = CheckpointAnalysis.run(label, architecture, weights, options, threads,
                seed -> listener.sample(true, seed));
        // The files the trained analysis read, counted before the probe below reads more.
        trained = trained.withSource(checkpoint.bytesRead(), checkpoint.files().filesRead(), checkpoint.files().commit());
        CheckpointResult initialised = CheckpointAnalysis.run(label + ", initialised", architecture, twin, options,
                threads, seed -> listener.sample(false, seed));
        // The twin has the checkpoint's shapes, so the same parameter count; its probe is of its own weights.
        return new TwinComparison(label, initialisation, trained, initialised,
                CheckpointInfo.of(checkpoint.tensors(), architecture), CheckpointInfo.of(
                        new InitialisedWeights(checkpoint.tensors(), initialisation.std, initialisation.seed), architecture));
    }

    /**
     * The two analyses as a trajectory: the initialised twin first (the baseline, as step 0 is in a
     * training trajectory), then the trained model.
     */
    public TrajectoryResult trajectory() {
        TrajectoryPoint base = point(initialised, initialisedInfo, null);
        List<TrajectoryPoint> underNull = null;
        if (trained.nullModel != null && initialised.nullModel != null) {
            TrajectoryPoint nullBase = point(initialised.nullModel, initialisedInfo, null);
            underNull = List.of(nullBase, point(trained.nullModel, trainedInfo, nullBase));
        }
        return new TrajectoryResult(trained.nullModel != null ? trained.nullModel.options : trained.options,
                List.of(base, point(trained, trainedInfo, base)), underNull);
    }

    private static TrajectoryPoint point(CheckpointResult r, CheckpointInfo info, TrajectoryPoint baseline) {
        return new TrajectoryPoint(r.model, r.model, null, r.commit, info, r.samples,
                baseline, r.options.bootstrap(), r.window);
    }
}

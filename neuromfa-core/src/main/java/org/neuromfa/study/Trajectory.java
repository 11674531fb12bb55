package org.neuromfa.study;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointInfo;
import org.neuromfa.analysis.SampleAnalysis;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.analysis.ScalingWindow;
import org.neuromfa.tensor.NullModel;
import org.neuromfa.base.Parallel;
import org.neuromfa.locate.CheckpointLocator;
import org.neuromfa.locate.CheckpointRef;

/**
 * Follows the spectrum over a model's training checkpoints, as in the paper: the same seeds at every
 * checkpoint, the first checkpoint as the baseline (training step 0) of the degree of emergence.
 * Every (checkpoint, seed) pair is one {@link SampleAnalysis#run}; pairs already in the
 * {@link ResultStore} are reused, the others computed by a {@link SampleRunner} and stored one by one
 * as they finish. The trajectory is then assembled from the store alone, so a fresh run, a resumed
 * run and a run on another {@link SampleRunner} report the same thing.
 */
public final class Trajectory {
    private Trajectory() {
    }

    private static final int RESOLVE_THREADS = 8;

    /** Told about each (checkpoint, seed) pair as it becomes available; called from worker threads. */
    public interface Listener {
        void sample(CheckpointRef checkpoint, long seed, boolean computed);
    }

    /** A trajectory computed on this machine with {@code threads} threads, Hub settings from the environment. */
    public static TrajectoryResult run(List<String> models, AnalysisOptions options, ResultStore store, int threads,
                                       Listener listener) throws IOException {
        CheckpointLocator locator = CheckpointLocator.fromEnvironment(System.getenv());
        return run(models, options, store, new ThreadPoolSampleRunner(threads, locator), listener, locator);
    }

    /** A trajectory whose Hub checkpoints are resolved with the Hub settings of the process environment. */
    public static TrajectoryResult run(List<String> models, AnalysisOptions options, ResultStore store,
                                       SampleRunner runner, Listener listener) throws IOException {
        return run(models, options, store, runner, listener, CheckpointLocator.fromEnvironment(System.getenv()));
    }

    /**
     * A trajectory; {@code locator} finds the checkpoints and resolves Hub revisions to commits
     * ({@link CheckpointLocator#resolve}). The {@code runner} must open checkpoints with the same Hub
     * settings.
     */
    public static TrajectoryResult run(List<String> models, AnalysisOptions options, ResultStore store,
                                       SampleRunner runner, Listener listener, CheckpointLocator locator)
            throws IOException {
        return runAll(models, List.of(options), store, runner, listener, locator).get(0);
    }

    /**
     * The trajectories of the same checkpoints under each of {@code trajectories} (a sweep: the
     * options differing in one setting), computed together: every checkpoint is opened once and its
     * rows for all of them fetched at once ({@link SampleRunner#runVariants}); the listener hears of
     * the first options' samples.
     */
    public static List<TrajectoryResult> runAll(List<String> models, List<AnalysisOptions> trajectories,
                                                ResultStore store, SampleRunner runner, Listener listener,
                                                CheckpointLocator locator) throws IOException {
        if (models.isEmpty()) {
            throw new NeuroMfaException("a trajectory needs at least one checkpoint");
        }
        for (String m : models) {
            // Every name is checked before any Hub request, so a mistyped path fails at once.
            locator.reference(m, null);
        }
        // Branches and tags of each Hub repository resolved with one request per repository; what
        // that leaves (commit ids need nothing) is resolved a few at a time.
        locator.resolveRevisions(models);
        List<CheckpointRef> refs = Parallel.map(models, RESOLVE_THREADS, "neuromfa-resolve", locator::resolve);
        // The analysis itself, and under the null model when one is asked for: two variants of the
        // options, stored apart, computed on the same opened checkpoints; per trajectory of a sweep.
        List<AnalysisOptions> variants = new ArrayList<>();
        for (AnalysisOptions options : trajectories) {
            for (AnalysisOptions v : variants(options)) {
                if (!variants.contains(v)) {
                    variants.add(v);
                }
            }
        }
        List<SampleRunner.Batch> work = new ArrayList<>();
        for (CheckpointRef ref : refs) {
            List<List<Long>> missing = new ArrayList<>();
            boolean anyMissing = false;
            for (AnalysisOptions variant : variants) {
                List<Long> seeds = new ArrayList<>();
                for (long seed : variant.seeds()) {
                    if (store.sample(ref, variant, seed) == null) {
                        seeds.add(seed);
                    } else if (listener != null && variant == variants.get(0)) {
                        listener.sample(ref, seed, false);
                    }
                }
                anyMissing |= !seeds.isEmpty();
                missing.add(seeds);
            }
            CheckpointInfo info = store.checkpointInfo(ref, variants.get(0).architecture());
            boolean describe = info == null || !info.isCurrent();
            if (describe || anyMissing) {
                work.add(new SampleRunner.Batch(ref, describe, missing));
            }
        }
        if (!work.isEmpty()) {
            runner.runVariants(work, variants, new SampleRunner.VariantSink() {
                @Override
                public void described(CheckpointRef checkpoint, CheckpointInfo info) throws IOException {
                    // Described with the first variant's wiring, which every variant of a run shares.
                    store.putCheckpointInfo(checkpoint, variants.get(0).architecture(), info);
                }

                @Override
                public void computed(CheckpointRef checkpoint, int variant, long seed, SampleResult sample)
                        throws IOException {
                    store.putSample(checkpoint, variants.get(variant), seed, sample);
                    if (listener != null && variant == 0) {
                        listener.sample(checkpoint, seed, true);
                    }
                }
            });
        }
        List<TrajectoryResult> results = new ArrayList<>();
        for (AnalysisOptions options : trajectories) {
            List<AnalysisOptions> own = variants(options);
            List<TrajectoryPoint> points = points(refs, own.get(0), store);
            List<TrajectoryPoint> underNull = own.size() > 1 ? points(refs, own.get(1), store) : null;
            results.add(new TrajectoryResult(options, points, underNull));
        }
        return results;
    }

    /** The options of the analysis itself and, with a null model, of the analysis under it. */
    static List<AnalysisOptions> variants(AnalysisOptions options) {
        AnalysisOptions real = options.withNullModel(NullModel.NONE);
        return options.nullModel() == NullModel.NONE ? List.of(real) : List.of(real, options);
    }

    private static List<TrajectoryPoint> points(List<CheckpointRef> refs, AnalysisOptions options, ResultStore store)
            throws IOException {
        List<TrajectoryPoint> points = new ArrayList<>();
        for (CheckpointRef ref : refs) {
            points.add(point(ref, options, store, points.isEmpty() ? null : points.get(0)));
        }
        return points;
    }

    private static TrajectoryPoint point(CheckpointRef ref, AnalysisOptions options, ResultStore store,
                                         TrajectoryPoint baseline) throws IOException {
        // Read back from the store: what a fresh run and a resumed run report must be identical.
        List<SampleResult> samples = new ArrayList<>();
        for (long seed : options.seeds()) {
            SampleResult s = store.sample(ref, options, seed);
            if (s == null) {
                throw new IllegalStateException(ref.model() + ": seed " + seed + " was not computed");
            }
            samples.add(s);
        }
        CheckpointInfo info = store.checkpointInfo(ref, options.architecture());
        if (info == null) {
            throw new IllegalStateException(ref.model() + ": checkpoint was not described");
        }
        ScalingWindow window = null;
        if (options.spectrum().radiusRange().isAuto()) {
            // Each checkpoint's window from its stored seeds' partition functions, chosen anew on
            // every run: a resumed run chooses what a fresh one does.
            ScalingWindow.Fitted fitted = ScalingWindow.fit(samples, options);
            window = fitted.window;
            samples = fitted.samples;
        }
        return new TrajectoryPoint(ref.model(), ref.revision(), ref.step(), ref.commit(), info, samples, baseline,
                options.bootstrap(), window);
    }
}

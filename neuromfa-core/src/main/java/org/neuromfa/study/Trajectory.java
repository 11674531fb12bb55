package org.neuromfa.study;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.SampleAnalysis;
import org.neuromfa.arch.Architecture;
import org.neuromfa.base.Parallel;
import org.neuromfa.io.ResultJson;
import org.neuromfa.locate.CheckpointLocator;
import org.neuromfa.locate.CheckpointRef;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.tensor.TensorInfo;
import org.neuromfa.tensor.TensorStore;
import org.neuromfa.tensor.WeightFingerprint;

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

    /** A trajectory computed on this machine with {@code threads} threads. */
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
        if (models.isEmpty()) {
            throw new NeuroMfaException("a trajectory needs at least one checkpoint");
        }
        List<CheckpointRef> refs = new ArrayList<>();
        for (String m : models) {
            // Every name is checked before any Hub request, so a mistyped path fails at once.
            locator.reference(m, null);
        }
        // One small request per Hub revision (154 for Pythia's): a few at a time, mostly waiting.
        refs.addAll(Parallel.map(models, RESOLVE_THREADS, "neuromfa-resolve", locator::resolve));
        List<SampleRunner.Work> work = new ArrayList<>();
        for (CheckpointRef ref : refs) {
            List<Long> missing = new ArrayList<>();
            for (int i = 0; i < options.samples(); i++) {
                long seed = options.firstSeed() + i;
                if (store.sample(ref, options, seed) == null) {
                    missing.add(seed);
                } else if (listener != null) {
                    listener.sample(ref, seed, false);
                }
            }
            boolean describe = !current(store.checkpointInfo(ref));
            if (describe || !missing.isEmpty()) {
                work.add(new SampleRunner.Work(ref, describe, missing));
            }
        }
        if (!work.isEmpty()) {
            runner.run(work, options, new SampleRunner.Sink() {
                @Override
                public void described(CheckpointRef checkpoint, ObjectNode info) throws IOException {
                    store.putCheckpointInfo(checkpoint, info);
                }

                @Override
                public void computed(CheckpointRef checkpoint, long seed, ObjectNode sample) throws IOException {
                    store.putSample(checkpoint, options, seed, sample);
                    if (listener != null) {
                        listener.sample(checkpoint, seed, true);
                    }
                }
            });
        }
        List<TrajectoryPoint> points = new ArrayList<>();
        for (CheckpointRef ref : refs) {
            points.add(point(ref, options, store, points.isEmpty() ? null : points.get(0)));
        }
        ObjectNode parameters = ResultJson.parameters(options);
        return new TrajectoryResult(parameters, ResultJson.doubles(options.qGrid().values()), points);
    }

    private static TrajectoryPoint point(CheckpointRef ref, AnalysisOptions options, ResultStore store,
                                         TrajectoryPoint baseline) throws IOException {
        int n = options.samples();
        // Read back in the stored form: what a fresh run and a resumed run report must be identical.
        ObjectNode[] samples = new ObjectNode[n];
        for (int i = 0; i < n; i++) {
            samples[i] = store.sample(ref, options, options.firstSeed() + i);
            if (samples[i] == null) {
                throw new IllegalStateException(ref.model() + ": seed " + (options.firstSeed() + i) + " was not computed");
            }
        }
        ObjectNode info = store.checkpointInfo(ref);
        if (info == null) {
            throw new IllegalStateException(ref.model() + ": checkpoint was not described");
        }
        return new TrajectoryPoint(ref.model(), ref.revision(), ref.step(), ref.commit(), info.get("architecture"),
                info.path("parameter_count").asLong(), info.path("fingerprint").asText(null), List.of(samples), baseline);
    }

    /**
     * What a trajectory keeps about a checkpoint: {@code architecture}, {@code parameter_count}, and
     * {@code fingerprint}, the {@link WeightFingerprint} (whole rows) of a small fixed probe of its weights.
     */
    public static ObjectNode describe(Checkpoint checkpoint, Architecture architecture) throws IOException {
        ObjectNode info = ResultJson.MAPPER.createObjectNode();
        info.set("architecture", ResultJson.MAPPER.valueToTree(architecture.describe()));
        info.put("parameter_count", parameterCount(checkpoint.tensors()));
        info.put("fingerprint", probeFingerprint(checkpoint.tensors(), architecture));
        return info;
    }

    /**
     * Whether a stored description can be used as it is: it exists and its fingerprint has the
     * current definition. Stores written before the fingerprint became {@link WeightFingerprint}
     * (64 hex digits of SHA-256) are described again, a cheap probe, so that every checkpoint of a
     * trajectory is compared by the same definition.
     */
    static boolean current(ObjectNode info) {
        return info != null && WeightFingerprint.isCurrentForm(info.path("fingerprint").asText(""));
    }

    /** Neurons per layer of the probe: a few rows of every weight matrix, cheap even over the Hub. */
    static final int PROBE_NODES = 4;

    /**
     * The fingerprint of the rows that seed 0 with {@link #PROBE_NODES} neurons per layer reads. It
     * does not depend on the analysis options, so checkpoints of a trajectory can be compared by it
     * whatever was stored when: two revisions with the same probe serve the same weights (several
     * public Pythia branches do, EleutherAI/pythia issues #205 and #206).
     */
    static String probeFingerprint(TensorStore tensors, Architecture architecture) throws IOException {
        WeightFingerprint probe = WeightFingerprint.ofWholeRows(tensors);
        architecture.network(architecture.samplePlan(0, PROBE_NODES), probe);
        return probe.fingerprint();
    }

    /** The number of parameters: the sum of the element counts of all tensors. */
    public static long parameterCount(TensorStore tensors) {
        long total = 0;
        for (String name : tensors.names()) {
            TensorInfo t = tensors.info(name);
            total = Math.addExact(total, t.elements());
        }
        return total;
    }
}

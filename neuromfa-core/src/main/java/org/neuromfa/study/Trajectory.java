package org.neuromfa.study;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.arch.Architecture;
import org.neuromfa.io.ResultJson;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.model.ModelLocation;
import org.neuromfa.tensor.TensorInfo;
import org.neuromfa.tensor.TensorStore;

/**
 * Follows the spectrum over a model's training checkpoints, as in the paper: the same seeds at every
 * checkpoint, the first checkpoint as the baseline (training step 0) of the degree of emergence.
 * Every (checkpoint, seed) pair is one {@link SampleAnalysis#run}; pairs already in the
 * {@link ResultStore} are reused, the others computed and stored one by one as they finish.
 */
public final class Trajectory {
    private Trajectory() {
    }

    /** Told about each (checkpoint, seed) pair as it becomes available; called from worker threads. */
    public interface Listener {
        void sample(CheckpointRef checkpoint, long seed, boolean computed);
    }

    public static TrajectoryResult run(List<String> models, AnalysisOptions options, ResultStore store, int threads,
                                       Listener listener) throws IOException {
        if (models.isEmpty()) {
            throw new NeuroMfaException("a trajectory needs at least one checkpoint");
        }
        List<CheckpointRef> refs = new ArrayList<>();
        for (String m : models) {
            refs.add(CheckpointRef.of(m));
        }
        List<TrajectoryPoint> points = new ArrayList<>();
        for (CheckpointRef ref : refs) {
            points.add(point(ref, options, store, threads, listener, points.isEmpty() ? null : points.get(0)));
        }
        ObjectNode parameters = ResultJson.parameters(options);
        return new TrajectoryResult(parameters, ResultJson.doubles(options.qGrid().values()), points);
    }

    private static TrajectoryPoint point(CheckpointRef ref, AnalysisOptions options, ResultStore store, int threads,
                                         Listener listener, TrajectoryPoint baseline) throws IOException {
        int n = options.samples();
        ObjectNode[] samples = new ObjectNode[n];
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long seed = options.firstSeed() + i;
            samples[i] = store.sample(ref, options, seed);
            if (samples[i] == null) {
                missing.add(i);
            } else if (listener != null) {
                listener.sample(ref, seed, false);
            }
        }
        ObjectNode info = store.checkpointInfo(ref);
        if (!missing.isEmpty() || info == null) {
            try (Checkpoint checkpoint = ModelLocation.open(ref.model(), null)) {
                Architecture architecture = CheckpointAnalysis.architecture(checkpoint, options);
                // Validate k against the shapes before starting any work.
                architecture.samplePlan(options.firstSeed(), options.nodesPerLayer());
                if (info == null) {
                    info = ResultJson.MAPPER.createObjectNode();
                    info.set("architecture", ResultJson.MAPPER.valueToTree(architecture.describe()));
                    info.put("parameter_count", parameterCount(checkpoint.tensors()));
                    store.putCheckpointInfo(ref, info);
                }
                compute(ref, architecture, CheckpointAnalysis.tensors(checkpoint, options), options, store, threads, listener,
                        missing, samples);
            }
        }
        return new TrajectoryPoint(ref.model(), ref.revision(), ref.step(), info.get("architecture"),
                info.path("parameter_count").asLong(), List.of(samples), baseline);
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

    private static void compute(CheckpointRef ref, Architecture architecture, TensorStore tensors, AnalysisOptions options,
                                ResultStore store, int threads, Listener listener, List<Integer> missing,
                                ObjectNode[] samples) throws IOException {
        if (missing.isEmpty()) {
            return;
        }
        if (threads <= 1 || missing.size() == 1) {
            for (int i : missing) {
                samples[i] = computeOne(ref, architecture, tensors, options, store, listener, options.firstSeed() + i);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, missing.size()), r -> {
            Thread t = new Thread(r, "neuromfa-trajectory");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ObjectNode>> futures = new ArrayList<>();
            for (int i : missing) {
                long seed = options.firstSeed() + i;
                futures.add(pool.submit(() -> computeOne(ref, architecture, tensors, options, store, listener, seed)));
            }
            for (int j = 0; j < missing.size(); j++) {
                samples[missing.get(j)] = futures.get(j).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof UncheckedIOException) {
                throw ((UncheckedIOException) cause).getCause();
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
    }

    private static ObjectNode computeOne(CheckpointRef ref, Architecture architecture, TensorStore tensors,
                                         AnalysisOptions options, ResultStore store, Listener listener, long seed)
            throws IOException {
        ObjectNode sample = ResultJson.sample(SampleAnalysis.run(architecture, tensors, seed, options));
        store.putSample(ref, options, seed, sample);
        // What a fresh run and a resumed run report must be identical, so both use the stored form.
        ObjectNode stored = store.sample(ref, options, seed);
        if (listener != null) {
            listener.sample(ref, seed, true);
        }
        return stored;
    }
}

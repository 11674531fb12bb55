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
import org.neuromfa.arch.Architecture;
import org.neuromfa.io.ResultJson;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.model.ModelLocation;
import org.neuromfa.tensor.TensorStore;

/**
 * The command line's runner: one checkpoint open at a time, its missing seeds spread over a pool of
 * {@code threads} threads that share the opened checkpoint.
 */
public final class ThreadPoolSampleRunner implements SampleRunner {
    private final int threads;

    public ThreadPoolSampleRunner(int threads) {
        this.threads = threads;
    }

    @Override
    public void run(List<Work> work, AnalysisOptions options, Sink sink) throws IOException {
        for (Work w : work) {
            try (Checkpoint checkpoint = ModelLocation.open(w.checkpoint().model(), null)) {
                Architecture architecture = CheckpointAnalysis.architecture(checkpoint, options);
                // Validate k against the shapes before starting any work.
                architecture.samplePlan(options.firstSeed(), options.nodesPerLayer());
                if (w.describe()) {
                    sink.described(w.checkpoint(), Trajectory.describe(checkpoint, architecture));
                }
                compute(w, architecture, CheckpointAnalysis.tensors(checkpoint, options), options, sink);
            }
        }
    }

    private void compute(Work w, Architecture architecture, TensorStore tensors, AnalysisOptions options, Sink sink)
            throws IOException {
        List<Long> seeds = w.seeds();
        if (threads <= 1 || seeds.size() <= 1) {
            for (long seed : seeds) {
                computeOne(w.checkpoint(), architecture, tensors, options, sink, seed);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, seeds.size()), r -> {
            Thread t = new Thread(r, "neuromfa-trajectory");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (long seed : seeds) {
                futures.add(pool.submit(() -> {
                    computeOne(w.checkpoint(), architecture, tensors, options, sink, seed);
                    return null;
                }));
            }
            for (Future<Void> f : futures) {
                f.get();
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

    private static void computeOne(CheckpointRef ref, Architecture architecture, TensorStore tensors,
                                   AnalysisOptions options, Sink sink, long seed) throws IOException {
        ObjectNode sample = ResultJson.sample(SampleAnalysis.run(architecture, tensors, seed, options));
        sink.computed(ref, seed, sample);
    }
}

package org.neuromfa.study;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.neuromfa.arch.Architecture;
import org.neuromfa.io.ResultJson;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.model.ModelLocation;
import org.neuromfa.source.hub.HubSettings;
import org.neuromfa.tensor.TensorStore;

/**
 * The command line's runner: one checkpoint open at a time, its missing seeds spread over a pool of
 * {@code threads} threads that share the opened checkpoint.
 */
public final class ThreadPoolSampleRunner implements SampleRunner {
    private final int threads;
    private final Supplier<HubSettings> hub;

    public ThreadPoolSampleRunner(int threads) {
        this(threads, null);
    }

    /** {@code hub} says how to reach the Hub, or is null for the process environment. */
    public ThreadPoolSampleRunner(int threads, Supplier<HubSettings> hub) {
        this.threads = threads;
        this.hub = hub;
    }

    @Override
    public void run(List<Work> work, AnalysisOptions options, Sink sink) throws IOException {
        for (Work w : work) {
            try (Checkpoint checkpoint = ModelLocation.open(w.checkpoint().source(), null, hub)) {
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
        Seeds.map(w.seeds(), threads, "neuromfa-trajectory", seed -> {
            computeOne(w.checkpoint(), architecture, tensors, options, sink, seed);
            return null;
        });
    }

    private static void computeOne(CheckpointRef ref, Architecture architecture, TensorStore tensors,
                                   AnalysisOptions options, Sink sink, long seed) throws IOException {
        ObjectNode sample = ResultJson.sample(SampleAnalysis.run(architecture, tensors, seed, options));
        sink.computed(ref, seed, sample);
    }
}

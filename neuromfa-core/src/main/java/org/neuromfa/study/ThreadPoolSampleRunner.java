package org.neuromfa.study;

import java.io.IOException;
import java.util.List;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointAnalysis;
import org.neuromfa.analysis.CheckpointInfo;
import org.neuromfa.analysis.SampleAnalysis;
import org.neuromfa.arch.Architecture;
import org.neuromfa.base.Parallel;
import org.neuromfa.locate.CheckpointLocator;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.tensor.TensorStore;

/**
 * The command line's runner: one checkpoint open at a time, its missing seeds spread over a pool of
 * {@code threads} threads that share the opened checkpoint. {@link #run} is where a trajectory's
 * checkpoint is opened and its seeds are run (as {@link CheckpointAnalysis#run} is for one
 * analysis): the place for anything that must happen per opened checkpoint before its seeds.
 */
public final class ThreadPoolSampleRunner implements SampleRunner {
    private final int threads;
    private final CheckpointLocator locator;

    /** A runner on {@code threads} threads that opens checkpoints with {@code locator}. */
    public ThreadPoolSampleRunner(int threads, CheckpointLocator locator) {
        this.threads = threads;
        this.locator = locator;
    }

    @Override
    public void run(List<Work> work, AnalysisOptions options, Sink sink) throws IOException {
        for (Work w : work) {
            try (Checkpoint checkpoint = locator.open(w.checkpoint())) {
                Architecture architecture = checked(checkpoint, options);
                if (w.describe()) {
                    sink.described(w.checkpoint(), CheckpointInfo.of(checkpoint, architecture));
                }
                TensorStore tensors = CheckpointAnalysis.tensors(checkpoint, options);
                Parallel.map(w.seeds(), threads, "neuromfa-trajectory", seed -> {
                    sink.computed(w.checkpoint(), seed, SampleAnalysis.run(architecture, tensors, seed, options));
                    return null;
                });
            }
        }
    }

    /**
     * The checkpoint's architecture under {@code options}, with {@code k} checked against its shapes:
     * what this runner gets past before computing anything of a checkpoint. Bad input is a
     * {@link org.neuromfa.NeuroMfaException} naming the file.
     */
    static Architecture checked(Checkpoint checkpoint, AnalysisOptions options) {
        Architecture architecture = CheckpointAnalysis.architecture(checkpoint, options);
        architecture.samplePlan(options.firstSeed(), options.nodesPerLayer());
        return architecture;
    }

    /** Threads for {@link #check}: opening is mostly waiting (for the disk, or the Hub). */
    private static final int CHECK_THREADS = 8;

    /**
     * Opens every checkpoint of {@code work} and checks it as {@link #run} does before computing it
     * (files present, headers and config readable, architecture recognised, {@code k} within its
     * shapes), all before anything is computed, and throws the first problem in the order of
     * {@code work}, as the command line reports it. A runner whose work runs elsewhere (Spark) calls
     * this first, so bad input ends the run at once with the command line's message rather than as
     * failed tasks. Reads only headers and {@code config.json}.
     */
    public static void check(List<Work> work, AnalysisOptions options, CheckpointLocator locator) throws IOException {
        Parallel.map(work, CHECK_THREADS, "neuromfa-check", w -> {
            try (Checkpoint checkpoint = locator.open(w.checkpoint())) {
                checked(checkpoint, options);
            }
            return null;
        });
    }
}

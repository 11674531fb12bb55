package org.neuromfa.study;

import java.io.IOException;
import java.util.List;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointInfo;
import org.neuromfa.analysis.SampleAnalysis;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.locate.CheckpointRef;

/**
 * Computes the (checkpoint, seed) pairs a {@link Trajectory} does not find in its {@link ResultStore}.
 * Every implementation runs exactly {@link SampleAnalysis#run} per pair and hands back its result;
 * everything around it (store look-ups, assembling the trajectory, the degree of emergence) is
 * {@link Trajectory}'s, so every runner gives the same trajectory. {@link ThreadPoolSampleRunner}
 * computes on this machine's cores; the Spark module spreads the pairs over a cluster.
 */
public interface SampleRunner {

    /** One checkpoint's missing work: its description (when none is stored) and the seeds to compute. */
    final class Work {
        private final CheckpointRef checkpoint;
        private final boolean describe;
        private final List<Long> seeds;

        public Work(CheckpointRef checkpoint, boolean describe, List<Long> seeds) {
            this.checkpoint = checkpoint;
            this.describe = describe;
            this.seeds = List.copyOf(seeds);
        }

        public CheckpointRef checkpoint() {
            return checkpoint;
        }

        /** Whether {@link Sink#described} is wanted for this checkpoint. */
        public boolean describe() {
            return describe;
        }

        public List<Long> seeds() {
            return seeds;
        }
    }

    /** Receives results as they finish; may be called from several threads at once. */
    interface Sink {
        /** The checkpoint's description, as {@link CheckpointInfo#of} makes it. */
        void described(CheckpointRef checkpoint, CheckpointInfo info) throws IOException;

        /** One computed pair. */
        void computed(CheckpointRef checkpoint, long seed, SampleResult sample) throws IOException;
    }

    /**
     * Computes all of {@code work}, handing each result to {@code sink}. Throws when a pair cannot be
     * computed; results handed to the sink before that are kept by the caller.
     */
    void run(List<Work> work, AnalysisOptions options, Sink sink) throws IOException;
}

package org.neuromfa.study;

import java.io.IOException;
import java.util.ArrayList;
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
 *
 * <p>A trajectory with a null model or a sweep computes the same checkpoints under several variants of
 * the options ({@link #runVariants}); a runner that can share one opened checkpoint and its reads
 * among the variants overrides it, the others run each variant in turn.
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

    /** One checkpoint's missing work under several variants of the options: the seeds to compute under each. */
    final class Batch {
        private final CheckpointRef checkpoint;
        private final boolean describe;
        private final List<List<Long>> seeds;

        /** {@code seeds.get(v)}: the seeds to compute under variant v (empty when none is missing). */
        public Batch(CheckpointRef checkpoint, boolean describe, List<List<Long>> seeds) {
            this.checkpoint = checkpoint;
            this.describe = describe;
            List<List<Long>> copy = new ArrayList<>();
            for (List<Long> s : seeds) {
                copy.add(List.copyOf(s));
            }
            this.seeds = List.copyOf(copy);
        }

        public CheckpointRef checkpoint() {
            return checkpoint;
        }

        public boolean describe() {
            return describe;
        }

        /** The seeds to compute under variant {@code v}. */
        public List<Long> seeds(int v) {
            return seeds.get(v);
        }
    }

    /** Receives the results of {@link #runVariants}; may be called from several threads at once. */
    interface VariantSink {
        void described(CheckpointRef checkpoint, CheckpointInfo info) throws IOException;

        /** One computed pair under variant {@code variant} (an index into the variants given). */
        void computed(CheckpointRef checkpoint, int variant, long seed, SampleResult sample) throws IOException;
    }

    /**
     * Computes {@code work} under every variant of {@code variants}. This default runs the variants one
     * after another through {@link #run}, each opening its checkpoints anew; each checkpoint is
     * described once, with the first variant.
     */
    default void runVariants(List<Batch> work, List<AnalysisOptions> variants, VariantSink sink) throws IOException {
        for (int v = 0; v < variants.size(); v++) {
            int variant = v;
            List<Work> works = new ArrayList<>();
            for (Batch b : work) {
                boolean describe = v == 0 && b.describe();
                if (describe || !b.seeds(v).isEmpty()) {
                    works.add(new Work(b.checkpoint(), describe, b.seeds(v)));
                }
            }
            if (works.isEmpty()) {
                continue;
            }
            run(works, variants.get(v), new Sink() {
                @Override
                public void described(CheckpointRef checkpoint, CheckpointInfo info) throws IOException {
                    sink.described(checkpoint, info);
                }

                @Override
                public void computed(CheckpointRef checkpoint, long seed, SampleResult sample) throws IOException {
                    sink.computed(checkpoint, variant, seed, sample);
                }
            });
        }
    }
}

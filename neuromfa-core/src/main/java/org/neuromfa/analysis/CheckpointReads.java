package org.neuromfa.analysis;

import java.io.IOException;
import java.util.List;
import org.neuromfa.arch.Architecture;
import org.neuromfa.source.ReadPlan;
import org.neuromfa.tensor.ReadRecorder;
import org.neuromfa.tensor.TensorStore;

/**
 * Every byte an analysis of a checkpoint will read, known before it reads one: for each seed the
 * architecture builds its network on a {@link ReadRecorder}, which turns each row read into the
 * byte ranges the format store would read for it. Drawing the plans and wiring the networks costs
 * a few milliseconds; over a network it replaces thousands of round trips by a few large,
 * parallel transfers ({@link ReadPlan#fetch}).
 */
public final class CheckpointReads {
    private CheckpointReads() {
    }

    /**
     * Adds to {@code plan} the reads of the samples of {@code seeds} with {@code k} neurons per layer,
     * over {@code tensors} as the samples will read them (normalised, checked: each view plans what it
     * will ask of the store below it).
     */
    public static ReadPlan plan(ReadPlan plan, Architecture architecture, TensorStore tensors, List<Long> seeds, int k)
            throws IOException {
        ReadRecorder recorder = new ReadRecorder(tensors);
        for (long seed : seeds) {
            architecture.network(architecture.samplePlan(seed, k), recorder);
        }
        return recorder.planInto(plan);
    }

    /** The reads of {@code seeds}' samples, in a new plan. */
    public static ReadPlan plan(Architecture architecture, TensorStore tensors, List<Long> seeds, int k)
            throws IOException {
        return plan(new ReadPlan(), architecture, tensors, seeds, k);
    }
}

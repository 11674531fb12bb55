package org.neuromfa.study;

import java.io.IOException;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointInfo;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.arch.ArchitectureOptions;
import org.neuromfa.locate.CheckpointRef;

/**
 * Per-(checkpoint, seed, options) results, so that a trajectory run that stops half way (killed, out
 * of time, a network failure) resumes where it was. The key is the checkpoint's
 * {@link CheckpointRef#identity()}, the seed, and the options that decide one seed's numbers
 * ({@link AnalysisOptions#perSeed()}: all but the choice of seeds), so that changing an option never
 * mixes results and asking for more seeds reuses the ones already there.
 *
 * <p>A Hub checkpoint's identity is the commit its revision resolved to
 * ({@link org.neuromfa.locate.CheckpointLocator#resolve}), so results of a branch that has moved
 * since are not reused. A {@link Trajectory} assembles its result from the store alone, so a store
 * must hand back what a fresh run would report: the JSON store on disk
 * ({@code org.neuromfa.io.JsonResultStore}) reads its files back through the codec that wrote them.
 * Implementations are safe for use by several threads at once.
 */
public interface ResultStore {

    /** The stored sample, or null when it has not been computed yet. */
    SampleResult sample(CheckpointRef checkpoint, AnalysisOptions options, long seed) throws IOException;

    void putSample(CheckpointRef checkpoint, AnalysisOptions options, long seed, SampleResult sample) throws IOException;

    /**
     * The stored description of the checkpoint wired by {@code architecture}, or null. The key holds
     * the architecture options because the description does depend on them: its architecture, and the
     * fingerprint of the rows a fixed probe reads ({@link CheckpointInfo}), which the wiring chooses.
     */
    CheckpointInfo checkpointInfo(CheckpointRef checkpoint, ArchitectureOptions architecture) throws IOException;

    void putCheckpointInfo(CheckpointRef checkpoint, ArchitectureOptions architecture, CheckpointInfo info)
            throws IOException;

    /** A store that forgets everything when the process ends. */
    static ResultStore inMemory() {
        return new MemoryResultStore();
    }
}

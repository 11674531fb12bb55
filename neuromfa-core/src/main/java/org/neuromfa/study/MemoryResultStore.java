package org.neuromfa.study;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointInfo;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.arch.ArchitectureOptions;
import org.neuromfa.locate.CheckpointRef;

/** {@link ResultStore#inMemory()}: the results of this process, immutable values kept as they are. */
final class MemoryResultStore implements ResultStore {
    private final Map<List<Object>, SampleResult> samples = new ConcurrentHashMap<>();
    private final Map<List<Object>, CheckpointInfo> infos = new ConcurrentHashMap<>();

    private static List<Object> key(CheckpointRef checkpoint, AnalysisOptions options, long seed) {
        return List.of(checkpoint.identity(), options.perSeed(), seed);
    }

    @Override
    public SampleResult sample(CheckpointRef checkpoint, AnalysisOptions options, long seed) {
        return samples.get(key(checkpoint, options, seed));
    }

    @Override
    public void putSample(CheckpointRef checkpoint, AnalysisOptions options, long seed, SampleResult sample) {
        if (sample.seed() != seed) {
            throw new IllegalArgumentException("sample of seed " + sample.seed() + " stored as seed " + seed);
        }
        samples.put(key(checkpoint, options, seed), sample);
    }

    @Override
    public CheckpointInfo checkpointInfo(CheckpointRef checkpoint, ArchitectureOptions architecture) {
        return infos.get(List.of(checkpoint.identity(), architecture));
    }

    @Override
    public void putCheckpointInfo(CheckpointRef checkpoint, ArchitectureOptions architecture, CheckpointInfo info) {
        infos.put(List.of(checkpoint.identity(), architecture), info);
    }
}

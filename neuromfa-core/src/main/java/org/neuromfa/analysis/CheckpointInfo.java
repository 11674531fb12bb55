package org.neuromfa.analysis;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neuromfa.arch.Architecture;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.tensor.TensorInfo;
import org.neuromfa.tensor.TensorStore;
import org.neuromfa.tensor.WeightFingerprint;

/**
 * What a study keeps about a checkpoint besides its samples: its architecture's description, its
 * parameter count (the sum of the element counts of all its tensors), and the fingerprint of a small
 * fixed probe of its weights, by which two names for the same weights are recognised. Immutable.
 */
public final class CheckpointInfo {
    /** Neurons per layer of the probe: a few rows of every weight matrix, cheap even over the Hub. */
    public static final int PROBE_NODES = 4;

    private final Map<String, Object> architecture;
    private final long parameterCount;
    private final String fingerprint;

    /**
     * @param architecture   the architecture's description, or null when unknown (a hand-written file)
     * @param parameterCount the parameter count, or 0 when unknown
     * @param fingerprint    the probe's {@link WeightFingerprint}, or null when unknown
     */
    public CheckpointInfo(Map<String, Object> architecture, long parameterCount, String fingerprint) {
        this.architecture = architecture == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(architecture));
        this.parameterCount = parameterCount;
        this.fingerprint = fingerprint;
    }

    /** The description of {@code checkpoint} wired by {@code architecture}: reads the probe's rows. */
    public static CheckpointInfo of(Checkpoint checkpoint, Architecture architecture) throws IOException {
        return of(checkpoint.tensors(), architecture);
    }

    /**
     * The description of {@code weights} wired by {@code architecture}, for weights that are not a
     * checkpoint's files (the initialised twin of {@code demo}): reads the probe's rows.
     */
    public static CheckpointInfo of(TensorStore weights, Architecture architecture) throws IOException {
        return new CheckpointInfo(architecture.describe(), parameterCount(weights), probeFingerprint(weights, architecture));
    }

    /**
     * The fingerprint of the whole rows that seed 0 with {@link #PROBE_NODES} neurons per layer reads.
     * It does not depend on the analysis options but the wiring that picks the rows (QKV layout, kernel
     * aggregation, wiring file), so checkpoints of a trajectory can be compared by it whatever was
     * stored when: two revisions with the same probe serve the same weights (several
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

    /** The architecture's description ({@link Architecture#describe()}, read-only), or null when unknown. */
    public Map<String, Object> architecture() {
        return architecture;
    }

    /** The parameter count, or 0 when unknown. */
    public long parameterCount() {
        return parameterCount;
    }

    /** The probe's fingerprint (32 hex digits), or null when unknown. */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Whether this description can be used as it is: its fingerprint has the current definition.
     * Stores written before the fingerprint became {@link WeightFingerprint} (64 hex digits of
     * SHA-256) are described again, a cheap probe, so that every checkpoint of a trajectory is
     * compared by the same definition.
     */
    public boolean isCurrent() {
        return WeightFingerprint.isCurrentForm(fingerprint == null ? "" : fingerprint);
    }
}

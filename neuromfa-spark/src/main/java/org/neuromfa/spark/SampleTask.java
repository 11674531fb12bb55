package org.neuromfa.spark;

import java.io.Serializable;

/**
 * One Spark task: one (checkpoint, seed) pair, or a checkpoint's description alone (seed
 * {@link #DESCRIBE_ONLY}) when only that is missing from the store.
 */
public final class SampleTask implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final long DESCRIBE_ONLY = -1;

    /** The checkpoint as given (for messages). */
    final String model;
    /** What the executor opens: the model, or a Hub model pinned to the commit it resolved to. */
    final String source;
    final String identity;
    final String revision;
    final long seed;
    final boolean describe;

    SampleTask(String model, String source, String identity, String revision, long seed, boolean describe) {
        this.model = model;
        this.source = source;
        this.identity = identity;
        this.revision = revision;
        this.seed = seed;
        this.describe = describe;
    }

    public String model() {
        return model;
    }

    public long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return model + (seed == DESCRIBE_ONLY ? " (description)" : " seed " + seed);
    }
}

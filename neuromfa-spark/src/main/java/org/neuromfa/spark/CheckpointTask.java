package org.neuromfa.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One Spark task: a group of one checkpoint's missing seeds (all of them unless the cluster has more
 * task slots than there are checkpoints, see {@link SeedGroups}), computed together on one executor so
 * that the checkpoint is opened, and its rows planned and read, once for all of them. A task without
 * seeds only describes its checkpoint (when only the description is missing from the store).
 */
public final class CheckpointTask implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The checkpoint as given (for messages). */
    final String model;
    /** What the executor opens: the model, or a Hub model pinned to the commit it resolved to. */
    final String source;
    /** The driver's key for the checkpoint, under which results come back. */
    final String identity;
    /** Whether this task also describes the checkpoint (the first task of a checkpoint that needs it). */
    final boolean describe;
    private final long[] seeds;

    CheckpointTask(String model, String source, String identity, boolean describe, List<Long> seeds) {
        this.model = model;
        this.source = source;
        this.identity = identity;
        this.describe = describe;
        this.seeds = seeds.stream().mapToLong(Long::longValue).toArray();
    }

    public String model() {
        return model;
    }

    /** The seeds to compute, in increasing order. */
    public List<Long> seeds() {
        List<Long> list = new ArrayList<>(seeds.length);
        for (long s : seeds) {
            list.add(s);
        }
        return list;
    }

    int size() {
        return seeds.length;
    }

    @Override
    public String toString() {
        if (seeds.length == 0) {
            return model + " (description)";
        }
        if (seeds.length == 1) {
            return model + " seed " + seeds[0];
        }
        boolean contiguous = seeds[seeds.length - 1] - seeds[0] == seeds.length - 1;
        return model + (contiguous ? " seeds " + seeds[0] + ".." + seeds[seeds.length - 1]
                : " " + seeds.length + " seeds from " + seeds[0] + " to " + seeds[seeds.length - 1]);
    }
}

package org.neuromfa.sample;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The neurons sampled for one seed: for each named group of a model (for GPT-NeoX the reference's
 * {@code block{b}_nums1..nums6}), the indices drawn. Which groups exist and how they are drawn is
 * up to the {@link org.neuromfa.arch.Architecture}; this class only carries the result.
 */
public final class SamplePlan {
    private final long seed;
    private final Map<String, int[]> groups;

    public SamplePlan(long seed, Map<String, int[]> groups) {
        this.seed = seed;
        Map<String, int[]> copy = new LinkedHashMap<>();
        groups.forEach((k, v) -> copy.put(k, v.clone()));
        this.groups = Collections.unmodifiableMap(copy);
    }

    public long seed() {
        return seed;
    }

    /** Group name to drawn indices, in drawing order. The arrays must not be modified. */
    public Map<String, int[]> groups() {
        return groups;
    }

    /** Equal plans: the same seed and the same indices in every group. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SamplePlan)) {
            return false;
        }
        SamplePlan p = (SamplePlan) o;
        if (seed != p.seed || !groups.keySet().equals(p.groups.keySet())) {
            return false;
        }
        for (Map.Entry<String, int[]> e : groups.entrySet()) {
            if (!Arrays.equals(e.getValue(), p.groups.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(seed);
        for (Map.Entry<String, int[]> e : groups.entrySet()) {
            h += e.getKey().hashCode() ^ Arrays.hashCode(e.getValue());
        }
        return h;
    }

    /** The indices of one group. */
    public int[] get(String group) {
        int[] v = groups.get(group);
        if (v == null) {
            throw new IllegalArgumentException("no group " + group + " in plan");
        }
        return v;
    }
}

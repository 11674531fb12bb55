package org.neuromfa.arch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neuromfa.NeuroMfaException;

/**
 * A model described by its neuron groups and the connections between them, in order: what a wiring
 * file ({@code --wiring FILE.json}, format in {@link WiringJson}) says, and what the convolutional
 * and diffusion families and {@code inspect --wiring} build. {@link WiredArchitecture} turns a
 * description into sample plans and networks.
 *
 * <ul>
 * <li>A {@link Group} is a layer of neurons with a size (given, or read from a tensor's axis). Node
 *     ids are consecutive, group after group, in the order listed.</li>
 * <li>A {@link Sample} is one entry of a seed's sample plan: indices drawn with numpy's legacy
 *     {@code RandomState(seed).choice(population, multiple * k, replace=False)}, in the order the
 *     samples are listed, or (a tile) the indices of another sample repeated at offsets
 *     {@code 0, stride, 2 stride, ...}. Each group takes the indices of one sample; several groups
 *     may share one.</li>
 * <li>A {@link Connection} joins two groups: by a tensor ({@code [out, in]} or {@code [in, out]};
 *     a tensor of rank 3 or more is a convolution {@code [out, in / groups, *kernel]} whose kernel is
 *     aggregated to one weight), or by a fixed weight between every pair or between equal indices.
 *     Edges are added connection by connection, in the order listed.</li>
 * </ul>
 */
public final class Wiring {
    /** The value of {@code neuromfa_wiring} in files of this format. */
    public static final int FORMAT_VERSION = 1;

    /** How a two-dimensional weight is stored. */
    public enum Layout {
        /** {@code [out, in]}: PyTorch's {@code nn.Linear}, and every convolution. */
        OUT_IN,
        /** {@code [in, out]}: GPT-2's {@code Conv1D}, ONNX MatMul initializers. */
        IN_OUT;

        public String label() {
            return this == OUT_IN ? "out_in" : "in_out";
        }
    }

    /** Which pairs a fixed connection joins. */
    public enum Pattern {
        /** Every sampled source to every sampled target. */
        ALL,
        /** Source index {@code i} to target index {@code j} when {@code i - from_lo == j - to_lo}. */
        SAME_INDEX;

        public String label() {
            return this == ALL ? "all" : "same_index";
        }
    }

    /** A layer of neurons. */
    public static final class Group {
        public final String name;
        /** The size, or -1 when it is read from {@link #tensor}'s {@link #axis}. */
        public final int size;
        /** A tensor whose axis gives (or checks) the size, or null. */
        public final String tensor;
        public final int axis;
        /** The sample whose indices the group takes. */
        public final String sample;

        public Group(String name, int size, String tensor, int axis, String sample) {
            this.name = name;
            this.size = size;
            this.tensor = tensor;
            this.axis = axis;
            this.sample = sample;
        }
    }

    /** One entry of the sample plan. */
    public static final class Sample {
        public final String name;
        /** Draw from {@code 0 .. population-1}; -1: the size of the groups taking this sample. */
        public final int population;
        /** Draw {@code multiple * k} indices. */
        public final int multiple;
        /** Take the whole population when it has fewer than {@code multiple * k} (else that is an error). */
        public final boolean wholeIfSmaller;
        /** For a tile: the sample repeated, else null. */
        public final String tile;
        public final int copies;
        public final int stride;

        private Sample(String name, int population, int multiple, boolean wholeIfSmaller, String tile, int copies,
                       int stride) {
            this.name = name;
            this.population = population;
            this.multiple = multiple;
            this.wholeIfSmaller = wholeIfSmaller;
            this.tile = tile;
            this.copies = copies;
            this.stride = stride;
        }

        /** A draw of {@code multiple * k} indices from {@code population} (-1: the group's size). */
        public static Sample draw(String name, int population, int multiple, boolean wholeIfSmaller) {
            return new Sample(name, population, multiple, wholeIfSmaller, null, 0, 0);
        }

        /** The indices of {@code of}, then those plus {@code stride}, ..., {@code copies} times in all. */
        public static Sample tile(String name, String of, int copies, int stride) {
            return new Sample(name, -1, 0, false, of, copies, stride);
        }

        public boolean isTile() {
            return tile != null;
        }
    }

    /** A connection between two groups. */
    public static final class Connection {
        public final String from;
        public final String to;
        /** The weight tensor, or null for a fixed connection. */
        public final String tensor;
        public final Layout layout;
        /** Kernel aggregation, or null for the analysis option {@code --kernel-aggregation}. */
        public final KernelAggregation aggregation;
        /** Convolution groups, or 0 to infer them from the shapes. */
        public final int groups;
        /** Offset of the source group within the tensor's input axis, or -1 when the axis must match exactly. */
        public final int inOffset;
        /** Offset of the target group within the tensor's output axis, or -1 when the axis must match exactly. */
        public final int outOffset;
        /** The fixed weight (a fixed connection), else NaN. */
        public final float fixed;
        public final Pattern pattern;
        /** The part of the source group that takes part, {@code [lo, hi)}, or null for all of it. */
        public final int[] fromRange;
        public final int[] toRange;

        private Connection(String from, String to, String tensor, Layout layout, KernelAggregation aggregation, int groups,
                           int inOffset, int outOffset, float fixed, Pattern pattern, int[] fromRange, int[] toRange) {
            this.from = from;
            this.to = to;
            this.tensor = tensor;
            this.layout = layout;
            this.aggregation = aggregation;
            this.groups = groups;
            this.inOffset = inOffset;
            this.outOffset = outOffset;
            this.fixed = fixed;
            this.pattern = pattern;
            this.fromRange = fromRange == null ? null : fromRange.clone();
            this.toRange = toRange == null ? null : toRange.clone();
        }

        /** Edges {@code from -> to} with the weights of {@code tensor}, stored as {@code layout}. */
        public static Connection weights(String from, String to, String tensor, Layout layout) {
            return new Connection(from, to, tensor, layout, null, 0, -1, -1, Float.NaN, null, null, null);
        }

        /** Edges {@code from -> to} of the fixed {@code weight}. */
        public static Connection fixed(String from, String to, float weight, Pattern pattern) {
            return new Connection(from, to, null, null, null, 0, -1, -1, weight, pattern, null, null);
        }

        public boolean isFixed() {
            return tensor == null;
        }

        /** The source group starts at input {@code inOffset} of the tensor, the target at output {@code outOffset} (-1: exact). */
        public Connection withOffsets(int inOffset, int outOffset) {
            return new Connection(from, to, tensor, layout, aggregation, groups, inOffset, outOffset, fixed, pattern,
                    fromRange, toRange);
        }

        public Connection withGroups(int value) {
            return new Connection(from, to, tensor, layout, aggregation, value, inOffset, outOffset, fixed, pattern,
                    fromRange, toRange);
        }

        public Connection withAggregation(KernelAggregation value) {
            return new Connection(from, to, tensor, layout, value, groups, inOffset, outOffset, fixed, pattern,
                    fromRange, toRange);
        }

        /** Only sources with index in {@code [lo, hi)} take part (null: all). */
        public Connection withFromRange(int[] range) {
            return new Connection(from, to, tensor, layout, aggregation, groups, inOffset, outOffset, fixed, pattern,
                    range, toRange);
        }

        public Connection withToRange(int[] range) {
            return new Connection(from, to, tensor, layout, aggregation, groups, inOffset, outOffset, fixed, pattern,
                    fromRange, range);
        }
    }

    private final String family;
    private final List<Group> groups;
    private final List<Sample> samples;
    private final List<Connection> connections;

    private Wiring(String family, List<Group> groups, List<Sample> samples, List<Connection> connections) {
        this.family = family;
        this.groups = Collections.unmodifiableList(new ArrayList<>(groups));
        this.samples = Collections.unmodifiableList(new ArrayList<>(samples));
        this.connections = Collections.unmodifiableList(new ArrayList<>(connections));
    }

    /**
     * A checked description. {@code samples} empty means one draw per group, named after it, in group
     * order. Problems are reported against {@code file} with the position of the offending entry.
     */
    public static Wiring of(String file, String family, List<Group> groups, List<Sample> samples,
                            List<Connection> connections) {
        List<Sample> all = samples;
        if (samples.isEmpty()) {
            all = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Group g : groups) {
                if (seen.add(g.sample)) {
                    all.add(Sample.draw(g.sample, -1, 1, false));
                }
            }
        }
        Wiring w = new Wiring(family, groups, all, connections);
        w.check(file);
        return w;
    }

    private void check(String file) {
        if (groups.isEmpty()) {
            throw new NeuroMfaException(file, "the wiring has no groups");
        }
        if (connections.isEmpty()) {
            throw new NeuroMfaException(file, "the wiring has no connections");
        }
        Map<String, Integer> groupIndex = new HashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            if (groupIndex.put(groups.get(i).name, i) != null) {
                throw new NeuroMfaException(file, "groups[" + i + "]: a second group named '" + groups.get(i).name + "'");
            }
        }
        Map<String, Sample> sampleByName = new LinkedHashMap<>();
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (sampleByName.put(s.name, s) != null) {
                throw new NeuroMfaException(file, "samples[" + i + "]: a second sample named '" + s.name + "'");
            }
        }
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (s.isTile()) {
                Sample of = sampleByName.get(s.tile);
                if (of == null) {
                    throw new NeuroMfaException(file, "samples[" + i + "] ('" + s.name + "'): tile of unknown sample '" + s.tile + "'");
                }
                if (of.isTile()) {
                    throw new NeuroMfaException(file, "samples[" + i + "] ('" + s.name + "'): tile of a tile ('" + s.tile
                            + "'); tile the drawn sample instead");
                }
            }
        }
        Set<String> used = new HashSet<>();
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            if (!sampleByName.containsKey(g.sample)) {
                throw new NeuroMfaException(file, "groups[" + i + "] ('" + g.name + "'): unknown sample '" + g.sample + "'");
            }
            used.add(g.sample);
        }
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (!used.contains(s.name) && !isTiled(s.name)) {
                throw new NeuroMfaException(file, "samples[" + i + "] ('" + s.name + "') is taken by no group");
            }
        }
        for (int i = 0; i < connections.size(); i++) {
            Connection c = connections.get(i);
            String where = "connections[" + i + "] (" + c.from + " -> " + c.to + ")";
            Integer from = groupIndex.get(c.from);
            Integer to = groupIndex.get(c.to);
            if (from == null) {
                throw new NeuroMfaException(file, where + ": unknown group '" + c.from + "'");
            }
            if (to == null) {
                throw new NeuroMfaException(file, where + ": unknown group '" + c.to + "'");
            }
            if (from.equals(to)) {
                throw new NeuroMfaException(file, where + ": a group cannot connect to itself");
            }
        }
    }

    private boolean isTiled(String name) {
        for (Sample s : samples) {
            if (name.equals(s.tile)) {
                return true;
            }
        }
        return false;
    }

    /** The name reported as the architecture's family. */
    public String family() {
        return family;
    }

    public List<Group> groups() {
        return groups;
    }

    /** The samples in plan order (tiles included; draws happen in this order, tiles after all draws). */
    public List<Sample> samples() {
        return samples;
    }

    public List<Connection> connections() {
        return connections;
    }

    /** Collects a description in order; {@link #build} checks it. */
    public static final class Builder {
        private final String family;
        private final List<Group> groups = new ArrayList<>();
        private final List<Sample> samples = new ArrayList<>();
        private final List<Connection> connections = new ArrayList<>();

        public Builder(String family) {
            this.family = family;
        }

        /** A group of {@code size} neurons taking the sample {@code sample}. */
        public Builder group(String name, int size, String sample) {
            groups.add(new Group(name, size, null, -1, sample));
            return this;
        }

        public Builder sample(Sample s) {
            samples.add(s);
            return this;
        }

        public Builder connect(Connection c) {
            connections.add(c);
            return this;
        }

        /** The size of a group added before, for builders that chain groups. */
        public int size(String group) {
            for (Group g : groups) {
                if (g.name.equals(group)) {
                    return g.size;
                }
            }
            throw new IllegalArgumentException("no group " + group);
        }

        public Wiring build(String where) {
            return Wiring.of(where, family, groups, samples, connections);
        }
    }

    @Override
    public String toString() {
        return family + ": " + groups.size() + " groups, " + samples.size() + " samples, " + connections.size()
                + " connections";
    }
}

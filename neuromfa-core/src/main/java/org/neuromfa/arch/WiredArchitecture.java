package org.neuromfa.arch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.network.Network;
import org.neuromfa.network.NetworkBuilder;
import org.neuromfa.sample.NumpyRandomState;
import org.neuromfa.sample.SamplePlan;
import org.neuromfa.tensor.TensorInfo;
import org.neuromfa.tensor.TensorStore;

/**
 * A model wired by a {@link Wiring} description, checked against a checkpoint's tensors: a wiring
 * file ({@code --wiring}), or a family whose adapter builds its description (ResNet, diffusers
 * UNet).
 *
 * <p>Node ids: the groups' neurons are numbered consecutively in the order the groups are listed
 * (group {@code g} starts at the sum of the sizes before it), so a description that lists GPT-NeoX's
 * groups in the reference's order gives the reference's ids.
 *
 * <p>Sampling: one {@link NumpyRandomState} per seed; the samples that draw are drawn in the order
 * listed, each {@code choice(population, multiple * k)} (the whole population, as a permutation,
 * when it is smaller and the sample allows that); tiles are formed afterwards.
 *
 * <p>Edges, connection by connection in the order listed, each in the loop order "for each sampled
 * source, for each sampled target": a weight connection reads only the submatrix of the sampled
 * neurons (the target rows of an {@code [out, in]} tensor, the source rows of an {@code [in, out]}
 * one); a tensor of rank 3 or more is a convolution {@code [out, in / groups, *kernel]}: source
 * channel {@code i} reaches target channel {@code j} only when both are in the same of the
 * {@code groups} channel groups, through the kernel {@code W[j, i mod (in / groups), ...]}
 * aggregated by {@link KernelAggregation} (a 1 x 1 kernel is its single weight). A fixed connection
 * adds its weight between every sampled pair, or between equal indices.
 */
public final class WiredArchitecture implements Architecture {
    private final Wiring wiring;
    private final Map<String, Object> description;
    private final String[] groupNames;
    private final int[] sizes;
    private final int[] bases;
    private final String[] groupSample;
    private final int[] population;
    private final Link[] links;
    private final int limit;

    /** One connection, resolved against the tensors. */
    private static final class Link {
        Wiring.Connection c;
        int from;
        int to;
        int fromLo;
        int fromHi;
        int toLo;
        int toHi;
        long[] shape;
        int outAxis;
        int inPerGroup;
        int groups;
        int kernel;
        int inOffset;
        int outOffset;
        KernelAggregation aggregation;
    }

    private WiredArchitecture(Wiring wiring, Map<String, Object> description, String[] groupNames, int[] sizes,
                              int[] bases, String[] groupSample, int[] population, Link[] links, int limit) {
        this.wiring = wiring;
        this.description = description;
        this.groupNames = groupNames;
        this.sizes = sizes;
        this.bases = bases;
        this.groupSample = groupSample;
        this.population = population;
        this.links = links;
        this.limit = limit;
    }

    /**
     * Checks {@code wiring} against {@code tensors} and makes the architecture.
     *
     * @param aggregation the kernel aggregation of connections that name none
     * @param where       the file named in errors: the wiring file, or the weights for a built-in family
     * @param description what {@link #describe} reports; null for the wiring file's default
     *                    ({@code family}, {@code wiring}, {@code groups}, {@code connections})
     */
    public static WiredArchitecture of(Wiring wiring, TensorStore tensors, KernelAggregation aggregation, String where,
                                       Map<String, Object> description) {
        boolean file = description == null;
        List<Wiring.Group> groups = wiring.groups();
        int n = groups.size();
        String[] names = new String[n];
        int[] sizes = new int[n];
        int[] bases = new int[n];
        String[] sample = new String[n];
        Map<String, Integer> index = new HashMap<>();
        long base = 0;
        for (int g = 0; g < n; g++) {
            Wiring.Group group = groups.get(g);
            String at = file ? "groups[" + g + "] ('" + group.name + "')" : "group '" + group.name + "'";
            int size = group.size;
            if (group.tensor != null) {
                TensorInfo info = tensors.info(group.tensor);
                if (info == null) {
                    throw new NeuroMfaException(where, at + ": no tensor '" + group.tensor + "' in " + tensors.name());
                }
                long[] shape = info.shape();
                if (group.axis >= shape.length) {
                    throw new NeuroMfaException(where, at + ": tensor '" + group.tensor + "' has shape "
                            + Arrays.toString(shape) + ", which has no axis " + group.axis);
                }
                long dim = shape[group.axis];
                if (dim < 1 || dim > Integer.MAX_VALUE) {
                    throw new NeuroMfaException(where, at + ": axis " + group.axis + " of tensor '" + group.tensor
                            + "' has " + dim + " elements, not a usable group size");
                }
                if (size >= 0 && size != dim) {
                    throw new NeuroMfaException(where, at + ": size " + size + ", but axis " + group.axis + " of tensor '"
                            + group.tensor + "' " + Arrays.toString(shape) + " has " + dim);
                }
                size = (int) dim;
            }
            names[g] = group.name;
            sizes[g] = size;
            bases[g] = (int) Math.min(base, Integer.MAX_VALUE);
            sample[g] = group.sample;
            index.put(group.name, g);
            base += size;
            if (base > Integer.MAX_VALUE) {
                throw new NeuroMfaException(where, "the groups have more than 2^31 - 1 neurons in all, too many for node ids");
            }
        }

        // Populations: a draw without one takes the size of the groups that take it.
        List<Wiring.Sample> samples = wiring.samples();
        Map<String, Integer> sampleIndex = new HashMap<>();
        for (int s = 0; s < samples.size(); s++) {
            sampleIndex.put(samples.get(s).name, s);
        }
        int[] population = new int[samples.size()];
        for (int s = 0; s < samples.size(); s++) {
            Wiring.Sample smp = samples.get(s);
            if (smp.isTile()) {
                continue;
            }
            int pop = smp.population;
            if (pop < 0) {
                for (int g = 0; g < n; g++) {
                    if (sample[g].equals(smp.name)) {
                        if (pop >= 0 && pop != sizes[g]) {
                            throw new NeuroMfaException(where, sampleAt(file, s, smp) + " is taken by groups of "
                                    + pop + " and " + sizes[g] + " neurons ('" + names[g] + "'); give its population");
                        }
                        pop = sizes[g];
                    }
                }
                if (pop < 0) {
                    throw new NeuroMfaException(where, sampleAt(file, s, smp) + " is only tiled; give its population");
                }
            }
            population[s] = pop;
        }
        for (int s = 0; s < samples.size(); s++) {
            Wiring.Sample smp = samples.get(s);
            if (smp.isTile()) {
                int of = population[sampleIndex.get(smp.tile)];
                if (smp.copies > 1 && smp.stride < of) {
                    throw new NeuroMfaException(where, sampleAt(file, s, smp) + ": copies of '" + smp.tile + "' (indices below "
                            + of + ") overlap at stride " + smp.stride);
                }
                long top = (long) (smp.copies - 1) * smp.stride + of;
                if (top > Integer.MAX_VALUE) {
                    throw new NeuroMfaException(where, sampleAt(file, s, smp) + ": indices beyond 2^31");
                }
                population[s] = (int) top;
            }
        }
        // Every index a group takes must be one of its neurons.
        for (int g = 0; g < n; g++) {
            int s = sampleIndex.get(sample[g]);
            if (population[s] > sizes[g]) {
                Wiring.Sample smp = samples.get(s);
                throw new NeuroMfaException(where, (file ? "groups[" + g + "] ('" + names[g] + "')" : "group '" + names[g] + "'")
                        + " has " + sizes[g] + " neurons, but its sample '" + smp.name + "' "
                        + (smp.isTile() ? "holds indices up to " + (population[s] - 1) : "draws from " + population[s]));
            }
        }

        List<Wiring.Connection> connections = wiring.connections();
        Link[] links = new Link[connections.size()];
        for (int i = 0; i < links.length; i++) {
            Wiring.Connection c = connections.get(i);
            String at = file ? "connections[" + i + "] (" + c.from + " -> " + c.to + "): " : "";
            Link l = new Link();
            l.c = c;
            l.from = index.get(c.from);
            l.to = index.get(c.to);
            int[] fr = range(where, at, "from_range", c.fromRange, sizes[l.from], c.from);
            int[] tr = range(where, at, "to_range", c.toRange, sizes[l.to], c.to);
            l.fromLo = fr[0];
            l.fromHi = fr[1];
            l.toLo = tr[0];
            l.toHi = tr[1];
            if (!c.isFixed()) {
                resolveWeights(l, tensors, aggregation, where, at, sizes);
            }
            links[i] = l;
        }

        int smallest = Integer.MAX_VALUE;
        for (int s = 0; s < samples.size(); s++) {
            Wiring.Sample smp = samples.get(s);
            if (!smp.isTile() && !smp.wholeIfSmaller) {
                smallest = Math.min(smallest, population[s] / smp.multiple);
            }
        }
        Map<String, Object> describe = description;
        if (describe == null) {
            describe = new LinkedHashMap<>();
            describe.put("family", wiring.family());
            describe.put("wiring", where);
            describe.put("groups", n);
            describe.put("connections", links.length);
        }
        return new WiredArchitecture(wiring, describe, names, sizes, bases, sample, population, links, smallest);
    }

    private static String sampleAt(boolean file, int s, Wiring.Sample smp) {
        return file ? "samples[" + s + "] ('" + smp.name + "')" : "sample '" + smp.name + "'";
    }

    private static int[] range(String where, String at, String key, int[] r, int size, String group) {
        if (r == null) {
            return new int[] {0, size};
        }
        if (r[1] > size) {
            throw new NeuroMfaException(where, at + key + " " + Arrays.toString(r) + " runs past the " + size
                    + " neurons of group '" + group + "'");
        }
        return r;
    }

    private static void resolveWeights(Link l, TensorStore tensors, KernelAggregation option, String where, String at,
                                       int[] sizes) {
        Wiring.Connection c = l.c;
        TensorInfo info = tensors.info(c.tensor);
        if (info == null) {
            throw new NeuroMfaException(where, at + "no tensor '" + c.tensor + "' in " + tensors.name());
        }
        long[] shape = info.shape();
        String tensor = "tensor '" + c.tensor + "' " + Arrays.toString(shape);
        if (!info.dtype().isReadable()) {
            throw new NeuroMfaException(where, at + tensor + " has dtype " + info.dtype() + ", not floating-point weights");
        }
        if (shape.length < 2) {
            throw new NeuroMfaException(where, at + tensor + " is not a matrix or a convolution kernel");
        }
        for (long d : shape) {
            if (d < 1 || d > Integer.MAX_VALUE) {
                throw new NeuroMfaException(where, at + tensor + " has a dimension that cannot be a layer of neurons");
            }
        }
        if (shape.length > 2 && c.layout == Wiring.Layout.IN_OUT) {
            throw new NeuroMfaException(where, at + tensor + " has rank " + shape.length
                    + ": a convolution kernel is stored [out, in, ...], so its layout must be out_in");
        }
        boolean outIn = c.layout == Wiring.Layout.OUT_IN;
        int outAxis = (int) (outIn ? shape[0] : shape[1]);
        int inAxis = (int) (outIn ? shape[1] : shape[0]);
        long kernel = 1;
        for (int d = 2; d < shape.length; d++) {
            kernel *= shape[d];
        }
        if ((long) inAxis * kernel > Integer.MAX_VALUE) {
            throw new NeuroMfaException(where, at + tensor + " has rows too long to read");
        }
        int fromSize = sizes[l.from];
        int toSize = sizes[l.to];
        int groups = c.groups;
        if (groups > 0 && !outIn) {
            if (groups > 1) {
                throw new NeuroMfaException(where, at + "groups apply to out_in weights (convolutions) only");
            }
        }
        if (groups == 0) {
            // A convolution's input axis holds in / groups channels: the groups follow from the source's size.
            groups = 1;
            if (shape.length > 2 && c.inOffset < 0 && fromSize % inAxis == 0 && outAxis % (fromSize / inAxis) == 0) {
                groups = fromSize / inAxis;
            }
        } else if (outAxis % groups != 0) {
            throw new NeuroMfaException(where, at + tensor + ": its " + outAxis + " outputs cannot be split into "
                    + groups + " groups");
        }
        long inTotal = (long) inAxis * groups;
        String ins = groups > 1 ? inAxis + " x " + groups + " groups = " + inTotal + " input channels"
                : inAxis + (shape.length > 2 ? " input channels" : " inputs");
        String outs = outAxis + (shape.length > 2 ? " output channels" : " outputs");
        if (c.inOffset < 0 ? fromSize != inTotal : c.inOffset + (long) fromSize > inTotal) {
            throw new NeuroMfaException(where, at + tensor + ": its " + ins + " (axis " + (outIn ? 1 : 0) + ")"
                    + (c.inOffset < 0 ? " do not match the " + fromSize + " neurons of group '" + c.from + "'"
                    : " do not hold in_offset " + c.inOffset + " + the " + fromSize + " neurons of group '" + c.from + "'"));
        }
        if (c.outOffset < 0 ? toSize != outAxis : c.outOffset + (long) toSize > outAxis) {
            throw new NeuroMfaException(where, at + tensor + ": its " + outs + " (axis " + (outIn ? 0 : 1) + ")"
                    + (c.outOffset < 0 ? " do not match the " + toSize + " neurons of group '" + c.to + "'"
                    : " do not hold out_offset " + c.outOffset + " + the " + toSize + " neurons of group '" + c.to + "'"));
        }
        l.shape = shape;
        l.outAxis = outAxis;
        l.inPerGroup = inAxis;
        l.groups = groups;
        l.kernel = (int) kernel;
        l.inOffset = Math.max(0, c.inOffset);
        l.outOffset = Math.max(0, c.outOffset);
        l.aggregation = c.aggregation != null ? c.aggregation : option;
    }

    @Override
    public String family() {
        return String.valueOf(description.get("family"));
    }

    @Override
    public Map<String, Object> describe() {
        return new LinkedHashMap<>(description);
    }

    @Override
    public Wiring wiringDescription() {
        return wiring;
    }

    @Override
    public List<String> wiring() {
        List<String> lines = new ArrayList<>();
        for (Link l : links) {
            Wiring.Connection c = l.c;
            StringBuilder b = new StringBuilder();
            b.append(groupNames[l.from]).append(' ').append(sizes[l.from]);
            if (c.fromRange != null) {
                b.append(" [").append(l.fromLo).append(':').append(l.fromHi).append(']');
            }
            b.append(" -> ").append(groupNames[l.to]).append(' ').append(sizes[l.to]);
            if (c.toRange != null) {
                b.append(" [").append(l.toLo).append(':').append(l.toHi).append(']');
            }
            if (c.isFixed()) {
                b.append(" (fixed weight ").append(fixedLabel(c.fixed)).append(c.pattern == Wiring.Pattern.SAME_INDEX
                        ? ", equal indices)" : ", every pair)");
            } else {
                b.append(" [").append(c.tensor);
                if (l.shape.length > 2) {
                    long[] k = Arrays.copyOfRange(l.shape, 2, l.shape.length);
                    b.append(", ").append(Arrays.toString(k).replace(", ", "x").replace("[", "").replace("]", "")).append(" kernel");
                    if (l.kernel > 1) {
                        b.append(", ").append(l.aggregation.label());
                    }
                } else if (l.c.layout == Wiring.Layout.IN_OUT) {
                    b.append(", [in, out]");
                }
                if (l.groups > 1) {
                    b.append(", ").append(l.groups).append(" groups");
                }
                if (c.inOffset >= 0) {
                    b.append(", inputs from ").append(c.inOffset);
                }
                if (c.outOffset >= 0) {
                    b.append(", outputs from ").append(c.outOffset);
                }
                b.append(']');
            }
            lines.add(b.toString());
        }
        return lines;
    }

    private static String fixedLabel(float w) {
        return w == Math.rint(w) && Math.abs(w) < 1e6 ? String.valueOf((long) w) : String.valueOf(w);
    }

    @Override
    public SamplePlan samplePlan(long seed, int k) {
        if (k < 1 || k > limit) {
            throw new NeuroMfaException("nodes per layer must be between 1 and " + limit + " for this " + family()
                    + " model, not " + k);
        }
        List<Wiring.Sample> samples = wiring.samples();
        NumpyRandomState random = new NumpyRandomState(seed);
        Map<String, int[]> drawn = new HashMap<>();
        for (int s = 0; s < samples.size(); s++) {
            Wiring.Sample smp = samples.get(s);
            if (!smp.isTile()) {
                int want = (int) Math.min((long) smp.multiple * k, population[s]);
                drawn.put(smp.name, random.choice(population[s], want));
            }
        }
        Map<String, int[]> plan = new LinkedHashMap<>();
        for (Wiring.Sample smp : samples) {
            if (smp.isTile()) {
                int[] of = drawn.get(smp.tile);
                int[] tiled = new int[of.length * smp.copies];
                for (int c = 0; c < smp.copies; c++) {
                    for (int i = 0; i < of.length; i++) {
                        tiled[c * of.length + i] = of[i] + c * smp.stride;
                    }
                }
                plan.put(smp.name, tiled);
            } else {
                plan.put(smp.name, drawn.get(smp.name));
            }
        }
        return new SamplePlan(seed, plan);
    }

    @Override
    public Network network(SamplePlan plan, TensorStore tensors) throws IOException {
        NetworkBuilder builder = new NetworkBuilder();
        for (Link l : links) {
            int[] src = select(plan.get(groupSample[l.from]), l.fromLo, l.fromHi);
            int[] dst = select(plan.get(groupSample[l.to]), l.toLo, l.toHi);
            if (src.length == 0 || dst.length == 0) {
                continue;
            }
            int[] srcIds = TransformerBlocks.ids(bases[l.from], src);
            int[] dstIds = TransformerBlocks.ids(bases[l.to], dst);
            if (l.c.isFixed()) {
                boolean all = l.c.pattern == Wiring.Pattern.ALL;
                for (int a = 0; a < src.length; a++) {
                    for (int b = 0; b < dst.length; b++) {
                        if (all || src[a] - l.fromLo == dst[b] - l.toLo) {
                            builder.add(srcIds[a], dstIds[b], l.c.fixed);
                        }
                    }
                }
            } else if (l.kernel == 1 && l.groups == 1) {
                if (l.c.layout == Wiring.Layout.OUT_IN) {
                    builder.addMatrix(srcIds, dstIds, tensors.readSubmatrix(l.c.tensor, shift(dst, l.outOffset),
                            shift(src, l.inOffset)), true);
                } else {
                    builder.addMatrix(srcIds, dstIds, tensors.readSubmatrix(l.c.tensor, shift(src, l.inOffset),
                            shift(dst, l.outOffset)), false);
                }
            } else {
                convolution(builder, tensors, l, src, dst, srcIds, dstIds);
            }
        }
        return builder.build();
    }

    /** Grouped or spatial kernels ({@code [out, in / groups, *kernel]}): one aggregated weight per pair in the same group. */
    private static void convolution(NetworkBuilder builder, TensorStore tensors, Link l, int[] src, int[] dst,
                                    int[] srcIds, int[] dstIds) throws IOException {
        int kk = l.kernel;
        int[] rows = shift(dst, l.outOffset);
        int[] sourceGroup = new int[src.length];
        int[] columns = new int[src.length * kk];
        for (int a = 0; a < src.length; a++) {
            int channel = src[a] + l.inOffset;
            sourceGroup[a] = channel / l.inPerGroup;
            int local = channel - sourceGroup[a] * l.inPerGroup;
            for (int t = 0; t < kk; t++) {
                columns[a * kk + t] = local * kk + t;
            }
        }
        float[] block = tensors.readSubmatrix(l.c.tensor, rows, columns);
        int width = columns.length;
        int outPerGroup = l.outAxis / l.groups;
        for (int a = 0; a < src.length; a++) {
            for (int b = 0; b < dst.length; b++) {
                if (l.groups > 1 && rows[b] / outPerGroup != sourceGroup[a]) {
                    continue;
                }
                int at = b * width + a * kk;
                builder.add(srcIds[a], dstIds[b], kk == 1 ? block[at] : l.aggregation.of(block, at, kk));
            }
        }
    }

    private static int[] select(int[] indices, int lo, int hi) {
        int n = 0;
        for (int i : indices) {
            if (i >= lo && i < hi) {
                n++;
            }
        }
        if (n == indices.length) {
            return indices;
        }
        int[] out = new int[n];
        n = 0;
        for (int i : indices) {
            if (i >= lo && i < hi) {
                out[n++] = i;
            }
        }
        return out;
    }

    private static int[] shift(int[] indices, int offset) {
        if (offset == 0) {
            return indices;
        }
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = indices[i] + offset;
        }
        return out;
    }

    /** The groups in node-id order with their sizes (for tests and {@code inspect}). */
    public Map<String, Integer> groupSizes() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int g = 0; g < groupNames.length; g++) {
            out.put(groupNames[g], sizes[g]);
        }
        return out;
    }

    /** The first node id of a group. */
    public int base(String group) {
        for (int g = 0; g < groupNames.length; g++) {
            if (groupNames[g].equals(group)) {
                return bases[g];
            }
        }
        throw new IllegalArgumentException("no group " + group);
    }
}

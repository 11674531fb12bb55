package org.neuromfa.arch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.network.Network;
import org.neuromfa.network.NetworkBuilder;
import org.neuromfa.sample.NumpyRandomState;
import org.neuromfa.sample.SamplePlan;
import org.neuromfa.tensor.TensorInfo;
import org.neuromfa.tensor.TensorStore;

/**
 * A plain stack of linear layers (a multilayer perceptron, for example a PyTorch
 * {@code nn.Sequential} of {@code nn.Linear}): the matrices {@code <prefix><i>.weight}, {@code [out, in]},
 * taken in increasing {@code i} (gaps, such as activation modules without weights, are allowed). Layer
 * {@code i}'s outputs must be layer {@code i+1}'s inputs. Groups: the inputs of the first layer, then
 * the outputs of each layer; node ids are consecutive group by group. Edges: each layer's weights
 * between consecutive groups.
 *
 * <p>Sampling (no reference exists): {@code choice(n_g, k)} with numpy's legacy {@code RandomState(seed)},
 * for each group {@code g} in order, first to last.
 */
public final class LinearStack implements Architecture {
    private static final Pattern NAME = Pattern.compile("(.*?)(\\d+)\\.weight");

    private final List<String> tensors;
    private final int[] sizes;
    private final int[] bases;

    LinearStack(List<String> tensors, int[] sizes) {
        this.tensors = List.copyOf(tensors);
        this.sizes = sizes.clone();
        this.bases = new int[sizes.length];
        long base = 0;
        for (int g = 0; g < sizes.length; g++) {
            if (base > Integer.MAX_VALUE) {
                throw new NeuroMfaException("linear stack too large for node ids");
            }
            bases[g] = (int) base;
            base += sizes[g];
        }
    }

    /** Whether the store holds a chain of {@code <prefix><i>.weight} matrices (and nothing it could mistake for another family). */
    public static boolean matches(TensorStore tensors) {
        return !layers(tensors).isEmpty();
    }

    /** The chain in the store; its shapes must connect. */
    public static LinearStack fromTensors(TensorStore store) {
        TreeMap<Integer, String> layers = layers(store);
        if (layers.isEmpty()) {
            throw new NeuroMfaException(store.name(), "no '<prefix><i>.weight' matrices for a linear stack");
        }
        List<String> names = new ArrayList<>(layers.values());
        int[] sizes = new int[names.size() + 1];
        for (int i = 0; i < names.size(); i++) {
            TensorInfo info = store.require(names.get(i));
            long in = info.columns();
            long out = info.rows();
            if (in > Integer.MAX_VALUE || out > Integer.MAX_VALUE) {
                throw new NeuroMfaException(store.name(), "tensor '" + names.get(i) + "' is too large");
            }
            if (i == 0) {
                sizes[0] = (int) in;
            } else if (in != sizes[i]) {
                throw new NeuroMfaException(store.name(), "tensor '" + names.get(i) + "' has shape "
                        + Arrays.toString(info.shape()) + ": its " + in + " inputs do not match the " + sizes[i]
                        + " outputs of '" + names.get(i - 1) + "'");
            }
            sizes[i + 1] = (int) out;
        }
        return new LinearStack(names, sizes);
    }

    /** Rank-2 {@code <prefix><i>.weight} tensors sharing the most common prefix, by index. */
    private static TreeMap<Integer, String> layers(TensorStore store) {
        Map<String, TreeMap<Integer, String>> byPrefix = new LinkedHashMap<>();
        for (String name : store.names()) {
            Matcher m = NAME.matcher(name);
            TensorInfo info = store.info(name);
            if (m.matches() && info != null && info.rank() == 2 && m.group(2).length() < 9) {
                byPrefix.computeIfAbsent(m.group(1), p -> new TreeMap<>()).put(Integer.parseInt(m.group(2)), name);
            }
        }
        TreeMap<Integer, String> best = new TreeMap<>();
        for (TreeMap<Integer, String> layers : byPrefix.values()) {
            if (layers.size() > best.size()) {
                best = layers;
            }
        }
        return best;
    }

    @Override
    public String family() {
        return "linear_stack";
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("family", family());
        out.put("layers", tensors.size());
        out.put("sizes", Arrays.toString(sizes));
        return out;
    }

    /** The weight tensors, first layer first. */
    public List<String> tensors() {
        return tensors;
    }

    @Override
    public List<String> wiring() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            lines.add("layer" + i + " " + sizes[i] + " -> layer" + (i + 1) + " " + sizes[i + 1] + " [" + tensors.get(i) + "]");
        }
        return lines;
    }

    /** Groups {@code layer0 .. layerN}, one draw each in order, each layer's weights between consecutive groups. */
    @Override
    public Wiring wiringDescription() {
        Wiring.Builder w = new Wiring.Builder(family());
        for (int g = 0; g < sizes.length; g++) {
            w.group("layer" + g, sizes[g], "layer" + g).sample(Wiring.Sample.draw("layer" + g, sizes[g], 1, false));
        }
        for (int i = 0; i < tensors.size(); i++) {
            w.connect(Wiring.Connection.weights("layer" + i, "layer" + (i + 1), tensors.get(i), Wiring.Layout.OUT_IN));
        }
        return w.build("linear stack wiring");
    }

    @Override
    public SamplePlan samplePlan(long seed, int k) {
        int smallest = Arrays.stream(sizes).min().orElse(0);
        if (k <= 0 || k > smallest) {
            throw new NeuroMfaException("nodes per layer must be between 1 and the smallest layer " + smallest + ", not " + k);
        }
        NumpyRandomState random = new NumpyRandomState(seed);
        Map<String, int[]> groups = new LinkedHashMap<>();
        for (int g = 0; g < sizes.length; g++) {
            groups.put("layer" + g, random.choice(sizes[g], k));
        }
        return new SamplePlan(seed, groups);
    }

    @Override
    public Network network(SamplePlan plan, TensorStore store) throws IOException {
        NetworkBuilder builder = new NetworkBuilder();
        for (int i = 0; i < tensors.size(); i++) {
            int[] from = plan.get("layer" + i);
            int[] to = plan.get("layer" + (i + 1));
            Linear.outIn(tensors.get(i), sizes[i], sizes[i + 1]).connect(builder, store,
                    TransformerBlocks.ids(bases[i], from), from, TransformerBlocks.ids(bases[i + 1], to), to);
        }
        return builder.build();
    }
}

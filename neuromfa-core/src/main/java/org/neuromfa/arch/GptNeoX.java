package org.neuromfa.arch;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.model.ModelConfig;
import org.neuromfa.network.Network;
import org.neuromfa.network.NetworkBuilder;
import org.neuromfa.sample.NumpyRandomState;
import org.neuromfa.sample.SamplePlan;
import org.neuromfa.tensor.TensorInfo;
import org.neuromfa.tensor.TensorStore;

/**
 * GPT-NeoX (the Pythia models), wired as the reference code wires it (METHOD.md sections 1-3).
 *
 * <p>Block {@code b} has six neuron groups with model-wide ids from {@code base = b*(6d+m)}:
 * G0 the block input ({@code base+i}), G1 the {@code 3d} outputs of {@code attention.query_key_value}
 * ({@code base+d+j}, rows split into thirds Q, K, V), G2 an artificial attention-mix layer
 * ({@code base+4d+j}), G3 the outputs of {@code attention.dense} ({@code base+5d+j}), G4 the MLP hidden
 * neurons ({@code base+6d+j}), and G5 the MLP output, which is G0 of block {@code b+1}.
 * Edges: G0 to G1 by the QKV weight, G1 to G2 by fixed weight 1 (every K and V row to every mixed
 * neuron, each Q row only to its own index), G2 to G3 by {@code attention.dense}, G3 to G4 by
 * {@code mlp.dense_h_to_4h}, G4 to G5 by {@code mlp.dense_4h_to_h}. Weights are {@code [out, in]}.
 *
 * <p>Sampling per block, in the reference's draw order: {@code s1 = choice(d,k)} (G0),
 * {@code t = choice(d,k)} (shared by G1's thirds and G2), {@code s4 = choice(d,k)} (G3),
 * {@code s5 = choice(4d,2k)} (G4; the reference uses 4d even when m differs), and after the last
 * block {@code s6 = choice(d,k)} for its G5.
 *
 * <p>With {@link QkvLayout#HEADS} (an option beside the reference), the same draws pick the same
 * Q, K and V neurons {@code t}, but they are found at GPT-NeoX's real per-head rows: mixed neuron
 * {@code t = h*hd + j} (head {@code h}, {@code hd = d / num_attention_heads}) has its Q at row
 * {@code h*3*hd + j}, its K at {@code h*3*hd + hd + j} and its V at {@code h*3*hd + 2*hd + j}. The
 * plan's {@code nums2} then holds those rows, and G1's node ids are {@code base + d + row}.
 */
public final class GptNeoX implements Architecture {
    private final int d;
    private final int m;
    private final int layers;
    private final String prefix;
    private final QkvLayout layout;
    private final int headDim;

    public GptNeoX(int hiddenSize, int intermediateSize, int layers, String tensorPrefix) {
        this(hiddenSize, intermediateSize, layers, tensorPrefix, QkvLayout.THIRDS, 0);
    }

    /** With {@link QkvLayout#HEADS}, {@code heads} must divide the hidden size. */
    public GptNeoX(int hiddenSize, int intermediateSize, int layers, String tensorPrefix, QkvLayout layout, int heads) {
        this.d = hiddenSize;
        this.m = intermediateSize;
        this.layers = layers;
        this.prefix = tensorPrefix;
        this.layout = layout;
        if (layout == QkvLayout.HEADS && (heads <= 0 || hiddenSize % heads != 0)) {
            throw new NeuroMfaException(Message.setting("qkv_layout") + " heads needs num_attention_heads dividing hidden_size " + hiddenSize
                    + ", not " + heads);
        }
        this.headDim = layout == QkvLayout.HEADS ? hiddenSize / heads : 0;
        if ((long) (layers + 1) * (6L * d + m) > Integer.MAX_VALUE) {
            throw new NeuroMfaException("GPT-NeoX shape too large for node ids: d=" + d + " m=" + m + " L=" + layers);
        }
    }

    /** Reads the shapes from {@code config.json} and checks them against the stored tensors. */
    public static GptNeoX fromConfig(ModelConfig config, TensorStore tensors) {
        return fromConfig(config, tensors, QkvLayout.THIRDS);
    }

    /** As {@link #fromConfig(ModelConfig, TensorStore)}, reading the QKV rows with {@code layout}. */
    public static GptNeoX fromConfig(ModelConfig config, TensorStore tensors, QkvLayout layout) {
        int d = config.positiveInt("hidden_size");
        int layers = config.positiveInt("num_hidden_layers");
        int m = config.positiveInt("intermediate_size", 4 * d);
        int heads = layout == QkvLayout.HEADS ? config.positiveInt("num_attention_heads") : 0;
        GptNeoX arch = new GptNeoX(d, m, layers, tensorPrefix(tensors), layout, heads);
        arch.checkShapes(tensors);
        return arch;
    }

    /** Infers the shapes from the tensors alone (a bare weights file without {@code config.json}). */
    public static GptNeoX fromTensors(TensorStore tensors) {
        String prefix = tensorPrefix(tensors);
        TensorInfo up = tensors.require(prefix + "layers.0.mlp.dense_h_to_4h.weight");
        if (up.rank() != 2) {
            throw new NeuroMfaException(tensors.name(), "tensor '" + up.name() + "' is not a matrix");
        }
        int layers = 0;
        while (tensors.info(prefix + "layers." + layers + ".attention.query_key_value.weight") != null) {
            layers++;
        }
        GptNeoX arch = new GptNeoX((int) up.columns(), (int) up.rows(), layers, prefix);
        arch.checkShapes(tensors);
        return arch;
    }

    /** Whether the tensor names look like GPT-NeoX. */
    public static boolean matches(TensorStore tensors) {
        return tensors.info("gpt_neox.layers.0.attention.query_key_value.weight") != null
                || tensors.info("layers.0.attention.query_key_value.weight") != null;
    }

    private static String tensorPrefix(TensorStore tensors) {
        return tensors.info("layers.0.attention.query_key_value.weight") != null
                && tensors.info("gpt_neox.layers.0.attention.query_key_value.weight") == null ? "" : "gpt_neox.";
    }

    private String tensor(int block, String name) {
        return prefix + "layers." + block + "." + name + ".weight";
    }

    private void checkShapes(TensorStore tensors) {
        for (int b = 0; b < layers; b++) {
            expectShape(tensors, tensor(b, "attention.query_key_value"), 3L * d, d);
            expectShape(tensors, tensor(b, "attention.dense"), d, d);
            expectShape(tensors, tensor(b, "mlp.dense_h_to_4h"), m, d);
            expectShape(tensors, tensor(b, "mlp.dense_4h_to_h"), d, m);
        }
    }

    static void expectShape(TensorStore tensors, String name, long rows, long columns) {
        TensorInfo info = tensors.require(name);
        long[] shape = info.shape();
        if (shape.length != 2 || shape[0] != rows || shape[1] != columns) {
            throw new NeuroMfaException(tensors.name(), "tensor '" + name + "' has shape " + Arrays.toString(shape)
                    + ", but the configuration implies [" + rows + ", " + columns + "]");
        }
    }

    @Override
    public String family() {
        return "gpt_neox";
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("family", family());
        m.put("hidden_size", d);
        m.put("intermediate_size", this.m);
        m.put("layers", layers);
        if (layout == QkvLayout.HEADS) {
            m.put("qkv_layout", "heads");
        }
        return m;
    }

    @Override
    public java.util.List<String> wiring() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (int b = 0; b < layers; b++) {
            if (b == 1 && layers > 2) {
                lines.add("... blocks 1.." + (layers - 2) + " alike ...");
                b = layers - 1;
            }
            lines.add("block " + b + ": input " + d + " -> QKV " + 3 * d + " (" + (layout == QkvLayout.HEADS ? "per-head rows" : "thirds")
                    + ") [" + tensor(b, "attention.query_key_value") + "] -> attention mix " + d + " (fixed weight 1)");
            lines.add("block " + b + ": attention mix -> attention output " + d + " [" + tensor(b, "attention.dense")
                    + "] -> MLP hidden " + m + " [" + tensor(b, "mlp.dense_h_to_4h") + "] -> output " + d
                    + " [" + tensor(b, "mlp.dense_4h_to_h") + "]");
        }
        return lines;
    }

    /**
     * The reference wiring as a description: per block the groups input ({@code d}, plan
     * {@code nums1}), QKV ({@code 3d}, {@code nums2}: the tile {@code t, t+d, t+2d} of {@code nums3}),
     * attention mix ({@code d}, {@code nums3}), attention output ({@code d}, {@code nums4}) and MLP
     * hidden ({@code m}, {@code nums5}: {@code 2k} drawn from {@code 4d}), then the last block's output
     * ({@code nums6}); the mix edges are two fixed connections, Q rows to equal indices and K, V rows
     * to every mix neuron. None for {@link QkvLayout#HEADS}, whose mix follows the per-head rows.
     */
    @Override
    public Wiring wiringDescription() {
        if (layout != QkvLayout.THIRDS) {
            return null;
        }
        Wiring.Builder w = new Wiring.Builder(family());
        for (int b = 0; b < layers; b++) {
            String p = "block" + b + "_";
            String g = "block" + b + ".";
            String next = b + 1 < layers ? "block" + (b + 1) + ".input" : "output";
            w.group(g + "input", d, p + "nums1").group(g + "qkv", 3 * d, p + "nums2").group(g + "mix", d, p + "nums3")
                    .group(g + "attention_output", d, p + "nums4").group(g + "mlp", m, p + "nums5");
            w.sample(Wiring.Sample.draw(p + "nums1", d, 1, false)).sample(Wiring.Sample.tile(p + "nums2", p + "nums3", 3, d))
                    .sample(Wiring.Sample.draw(p + "nums3", d, 1, false)).sample(Wiring.Sample.draw(p + "nums4", d, 1, false))
                    .sample(Wiring.Sample.draw(p + "nums5", 4 * d, 2, false));
            w.connect(Wiring.Connection.weights(g + "input", g + "qkv", tensor(b, "attention.query_key_value"), Wiring.Layout.OUT_IN))
                    .connect(Wiring.Connection.fixed(g + "qkv", g + "mix", 1f, Wiring.Pattern.SAME_INDEX).withFromRange(new int[] {0, d}))
                    .connect(Wiring.Connection.fixed(g + "qkv", g + "mix", 1f, Wiring.Pattern.ALL).withFromRange(new int[] {d, 3 * d}))
                    .connect(Wiring.Connection.weights(g + "mix", g + "attention_output", tensor(b, "attention.dense"), Wiring.Layout.OUT_IN))
                    .connect(Wiring.Connection.weights(g + "attention_output", g + "mlp", tensor(b, "mlp.dense_h_to_4h"), Wiring.Layout.OUT_IN))
                    .connect(Wiring.Connection.weights(g + "mlp", next, tensor(b, "mlp.dense_4h_to_h"), Wiring.Layout.OUT_IN));
        }
        w.group("output", d, "block" + (layers - 1) + "_nums6").sample(Wiring.Sample.draw("block" + (layers - 1) + "_nums6", d, 1, false));
        return w.build("GPT-NeoX wiring");
    }

    @Override
    public SamplePlan samplePlan(long seed, int k) {
        if (k <= 0 || k > d || 2 * k > 4 * d) {
            throw new NeuroMfaException("nodes per layer must be between 1 and the hidden size " + d + ", not " + k);
        }
        if (4 * d > m) {
            // The reference draws MLP neurons from 0..4d-1 whatever m is; with m < 4d that would
            // index past the matrix, so such a model cannot be analysed in the reference mode.
            throw new NeuroMfaException("intermediate_size " + m + " is smaller than 4 x hidden_size; the reference"
                    + " sampler draws MLP neurons from 4 x hidden_size");
        }
        NumpyRandomState random = new NumpyRandomState(seed);
        Map<String, int[]> groups = new LinkedHashMap<>();
        for (int b = 0; b < layers; b++) {
            int[] s1 = random.choice(d, k);
            int[] t = random.choice(d, k);
            int[] s4 = random.choice(d, k);
            int[] s5 = random.choice(4 * d, 2 * k);
            int[] thirds = new int[3 * k];
            for (int i = 0; i < k; i++) {
                thirds[i] = qkvRow(t[i], 0);
                thirds[k + i] = qkvRow(t[i], 1);
                thirds[2 * k + i] = qkvRow(t[i], 2);
            }
            groups.put("block" + b + "_nums1", s1);
            groups.put("block" + b + "_nums2", thirds);
            groups.put("block" + b + "_nums3", t);
            groups.put("block" + b + "_nums4", s4);
            groups.put("block" + b + "_nums5", s5);
        }
        groups.put("block" + (layers - 1) + "_nums6", random.choice(d, k));
        return new SamplePlan(seed, groups);
    }

    @Override
    public Network network(SamplePlan plan, TensorStore tensors) throws IOException {
        NetworkBuilder builder = new NetworkBuilder();
        int stride = 6 * d + m;
        for (int b = 0; b < layers; b++) {
            int base = b * stride;
            int[] s1 = plan.get("block" + b + "_nums1");
            int[] qkv = plan.get("block" + b + "_nums2");
            int[] t = plan.get("block" + b + "_nums3");
            int[] s4 = plan.get("block" + b + "_nums4");
            int[] s5 = plan.get("block" + b + "_nums5");
            int[] next = b + 1 < layers ? plan.get("block" + (b + 1) + "_nums1") : plan.get("block" + b + "_nums6");

            int[] g0 = ids(base, s1);
            int[] g1 = ids(base + d, qkv);
            int[] g2 = ids(base + 4 * d, t);
            int[] g3 = ids(base + 5 * d, s4);
            int[] g4 = ids(base + 6 * d, s5);
            int[] g5 = ids(base + stride, next);

            builder.addMatrix(g0, g1, tensors.readSubmatrix(tensor(b, "attention.query_key_value"), qkv, s1), true);
            for (int a = 0; a < qkv.length; a++) {
                for (int c = 0; c < t.length; c++) {
                    // K and V rows feed every mixed neuron; a Q row only its own index.
                    if (qkvRole(qkv[a]) > 0 || qkvMixIndex(qkv[a]) == t[c]) {
                        builder.add(g1[a], g2[c], 1f);
                    }
                }
            }
            builder.addMatrix(g2, g3, tensors.readSubmatrix(tensor(b, "attention.dense"), s4, t), true);
            builder.addMatrix(g3, g4, tensors.readSubmatrix(tensor(b, "mlp.dense_h_to_4h"), s5, s4), true);
            builder.addMatrix(g4, g5, tensors.readSubmatrix(tensor(b, "mlp.dense_4h_to_h"), next, s5), true);
        }
        return builder.build();
    }

    /** The row of {@code query_key_value} holding role {@code role} (0 Q, 1 K, 2 V) of mixed neuron {@code t}. */
    private int qkvRow(int t, int role) {
        if (layout == QkvLayout.THIRDS) {
            return t + role * d;
        }
        return (t / headDim) * 3 * headDim + role * headDim + t % headDim;
    }

    private int qkvRole(int row) {
        return layout == QkvLayout.THIRDS ? row / d : (row % (3 * headDim)) / headDim;
    }

    private int qkvMixIndex(int row) {
        return layout == QkvLayout.THIRDS ? row % d : (row / (3 * headDim)) * headDim + row % headDim;
    }

    private static int[] ids(int base, int[] index) {
        int[] out = new int[index.length];
        for (int i = 0; i < index.length; i++) {
            out[i] = base + index[i];
        }
        return out;
    }
}

package org.neuromfa.arch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.network.Network;
import org.neuromfa.network.NetworkBuilder;
import org.neuromfa.sample.NumpyRandomState;
import org.neuromfa.sample.SamplePlan;
import org.neuromfa.tensor.TensorStore;

/**
 * The wiring shared by transformer families with separate Q, K and V maps (BERT, GPT-2, Llama and
 * its relatives), in the spirit of the reference's GPT-NeoX wiring (METHOD.md section 1).
 *
 * <p>Block {@code b} has these neuron groups, with model-wide ids from {@code base = b * stride}:
 * <ol>
 * <li>input, {@code d} neurons (the residual stream entering the block);</li>
 * <li>Q ({@code dq} neurons), K and V ({@code dkv} neurons each; fewer than {@code dq} under
 *     grouped-query attention), reached from the input by the Q, K and V maps;</li>
 * <li>attention mix, {@code dq} neurons: Q neuron {@code i} feeds mix neuron {@code i} only, every K
 *     and V neuron feeds every mix neuron, all by fixed weight 1 (as the reference does for NeoX);</li>
 * <li>attention output, {@code d} neurons, reached from the mix by the output map;</li>
 * <li>MLP hidden, {@code m} neurons, reached by the up map; a gated MLP (Llama) has two groups here,
 *     gate and up, reached by their own maps, and both factors of hidden neuron {@code j} feed the
 *     next group through column {@code j} of the down map;</li>
 * <li>output, {@code d} neurons, reached by the down map: the input group of block {@code b+1}.</li>
 * </ol>
 * The layer norms, biases and residual connections carry no sampled edges, as in the reference.
 *
 * <p>Sampling (no reference exists for these families; draws use numpy's legacy
 * {@code RandomState(seed).choice(n, k, replace=False)} in this order): per block {@code s1 =
 * choice(d,k)} (input), {@code t = choice(dq,k)} (Q and the mix), {@code u = choice(dkv,k)} for K and
 * V only when {@code dkv != dq} (else {@code u = t}), {@code s4 = choice(d,k)} (attention output),
 * {@code s5 = choice(m,2k)} (MLP hidden, shared by gate and up); after the last block
 * {@code s6 = choice(d,k)} for its output. Unlike the NeoX reference, the MLP draw uses the real
 * {@code m}.
 */
abstract class TransformerBlocks implements Architecture {
    /** The maps of one block. */
    enum Role { Q, K, V, O, GATE, UP, DOWN }

    final int d;
    final int dq;
    final int dkv;
    final int m;
    final int layers;
    final boolean gated;
    private final int stride;

    TransformerBlocks(int d, int dq, int dkv, int m, int layers, boolean gated) {
        this.d = d;
        this.dq = dq;
        this.dkv = dkv;
        this.m = m;
        this.layers = layers;
        this.gated = gated;
        long s = (long) d + dq + 2L * dkv + dq + d + (gated ? 2L : 1L) * m;
        if (layers < 1 || (layers + 1) * s > Integer.MAX_VALUE) {
            throw new NeuroMfaException(getClass().getSimpleName() + " shape unusable for node ids: d=" + d + " m=" + m + " layers=" + layers);
        }
        this.stride = (int) s;
    }

    /** Where the weights of one map of block {@code b} are stored. */
    abstract Linear linear(int block, Role role);

    /** Checks every map's tensor against the declared shapes. */
    final void checkShapes(TensorStore tensors, String configFile) {
        for (int b = 0; b < layers; b++) {
            for (Role r : Role.values()) {
                if (r != Role.GATE || gated) {
                    linear(b, r).checkShape(tensors, configFile);
                }
            }
        }
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("family", family());
        out.put("hidden_size", d);
        out.put("intermediate_size", m);
        out.put("layers", layers);
        if (dq != d) {
            out.put("attention_size", dq);
        }
        if (dkv != dq) {
            out.put("key_value_size", dkv);
        }
        if (gated) {
            out.put("gated_mlp", true);
        }
        return out;
    }

    @Override
    public List<String> wiring() {
        List<String> lines = new ArrayList<>();
        for (int b = 0; b < layers; b++) {
            if (b == 1 && layers > 2) {
                lines.add("... blocks 1.." + (layers - 2) + " alike ...");
                b = layers - 1;
            }
            lines.add("block " + b + ": input " + d + " -> Q " + dq + " [" + linear(b, Role.Q).tensor + "], K " + dkv
                    + " [" + linear(b, Role.K).tensor + "], V " + dkv + " [" + linear(b, Role.V).tensor + "]");
            lines.add("block " + b + ": Q, K, V -> attention mix " + dq + " (fixed weight 1) -> attention output " + d
                    + " [" + linear(b, Role.O).tensor + "]");
            if (gated) {
                lines.add("block " + b + ": attention output -> MLP gate " + m + " [" + linear(b, Role.GATE).tensor
                        + "] and up " + m + " [" + linear(b, Role.UP).tensor + "] -> output " + d
                        + " [" + linear(b, Role.DOWN).tensor + "]");
            } else {
                lines.add("block " + b + ": attention output -> MLP hidden " + m + " [" + linear(b, Role.UP).tensor
                        + "] -> output " + d + " [" + linear(b, Role.DOWN).tensor + "]");
            }
        }
        return lines;
    }

    /**
     * This wiring as a description: per block the groups input, Q, K, V, mix, attention output, (gate,)
     * MLP hidden in id order, and the last block's output; Q and the mix take the sample {@code _q}, K
     * and V {@code _kv} (or {@code _q} when they are as wide), gate and up {@code _mlp}.
     */
    @Override
    public Wiring wiringDescription() {
        Wiring.Builder w = new Wiring.Builder(family());
        for (int b = 0; b < layers; b++) {
            String p = "block" + b + "_";
            String g = "block" + b + ".";
            String next = b + 1 < layers ? "block" + (b + 1) + ".input" : "output";
            String kv = dkv != dq ? p + "kv" : p + "q";
            w.group(g + "input", d, p + "input").group(g + "q", dq, p + "q").group(g + "k", dkv, kv).group(g + "v", dkv, kv)
                    .group(g + "mix", dq, p + "q").group(g + "attention_output", d, p + "attention_output");
            if (gated) {
                w.group(g + "gate", m, p + "mlp").group(g + "up", m, p + "mlp");
            } else {
                w.group(g + "mlp", m, p + "mlp");
            }
            w.sample(Wiring.Sample.draw(p + "input", d, 1, false)).sample(Wiring.Sample.draw(p + "q", dq, 1, false));
            if (dkv != dq) {
                w.sample(Wiring.Sample.draw(p + "kv", dkv, 1, false));
            }
            w.sample(Wiring.Sample.draw(p + "attention_output", d, 1, false)).sample(Wiring.Sample.draw(p + "mlp", m, 2, false));
            w.connect(linear(b, Role.Q).connection(g + "input", g + "q"))
                    .connect(linear(b, Role.K).connection(g + "input", g + "k"))
                    .connect(linear(b, Role.V).connection(g + "input", g + "v"))
                    .connect(Wiring.Connection.fixed(g + "q", g + "mix", 1f, Wiring.Pattern.SAME_INDEX))
                    .connect(Wiring.Connection.fixed(g + "k", g + "mix", 1f, Wiring.Pattern.ALL))
                    .connect(Wiring.Connection.fixed(g + "v", g + "mix", 1f, Wiring.Pattern.ALL))
                    .connect(linear(b, Role.O).connection(g + "mix", g + "attention_output"));
            if (gated) {
                w.connect(linear(b, Role.GATE).connection(g + "attention_output", g + "gate"))
                        .connect(linear(b, Role.UP).connection(g + "attention_output", g + "up"))
                        .connect(linear(b, Role.DOWN).connection(g + "gate", next))
                        .connect(linear(b, Role.DOWN).connection(g + "up", next));
            } else {
                w.connect(linear(b, Role.UP).connection(g + "attention_output", g + "mlp"))
                        .connect(linear(b, Role.DOWN).connection(g + "mlp", next));
            }
        }
        String last = "block" + (layers - 1) + "_output";
        w.group("output", d, last).sample(Wiring.Sample.draw(last, d, 1, false));
        return w.build(family() + " wiring");
    }

    @Override
    public SamplePlan samplePlan(long seed, int k) {
        int smallest = Math.min(d, Math.min(dq, dkv));
        if (k <= 0 || k > smallest || 2 * k > m) {
            throw new NeuroMfaException("nodes per layer must be between 1 and " + Math.min(smallest, m / 2)
                    + " for this " + family() + " model, not " + k);
        }
        NumpyRandomState random = new NumpyRandomState(seed);
        Map<String, int[]> groups = new LinkedHashMap<>();
        for (int b = 0; b < layers; b++) {
            groups.put("block" + b + "_input", random.choice(d, k));
            groups.put("block" + b + "_q", random.choice(dq, k));
            if (dkv != dq) {
                groups.put("block" + b + "_kv", random.choice(dkv, k));
            }
            groups.put("block" + b + "_attention_output", random.choice(d, k));
            groups.put("block" + b + "_mlp", random.choice(m, 2 * k));
        }
        groups.put("block" + (layers - 1) + "_output", random.choice(d, k));
        return new SamplePlan(seed, groups);
    }

    @Override
    public Network network(SamplePlan plan, TensorStore tensors) throws IOException {
        NetworkBuilder builder = new NetworkBuilder();
        for (int b = 0; b < layers; b++) {
            int base = b * stride;
            int[] s1 = plan.get("block" + b + "_input");
            int[] t = plan.get("block" + b + "_q");
            int[] u = dkv != dq ? plan.get("block" + b + "_kv") : t;
            int[] s4 = plan.get("block" + b + "_attention_output");
            int[] s5 = plan.get("block" + b + "_mlp");
            int[] next = b + 1 < layers ? plan.get("block" + (b + 1) + "_input") : plan.get("block" + b + "_output");

            int qBase = base + d;
            int kBase = qBase + dq;
            int vBase = kBase + dkv;
            int mixBase = vBase + dkv;
            int outBase = mixBase + dq;
            int mlpBase = outBase + d;
            int[] g0 = ids(base, s1);
            int[] gq = ids(qBase, t);
            int[] gk = ids(kBase, u);
            int[] gv = ids(vBase, u);
            int[] mix = ids(mixBase, t);
            int[] g3 = ids(outBase, s4);
            int[] g5 = ids(base + stride, next);

            linear(b, Role.Q).connect(builder, tensors, g0, s1, gq, t);
            linear(b, Role.K).connect(builder, tensors, g0, s1, gk, u);
            linear(b, Role.V).connect(builder, tensors, g0, s1, gv, u);
            for (int a = 0; a < t.length; a++) {
                builder.add(gq[a], mix[a], 1f);
            }
            for (int[] kv : new int[][] {gk, gv}) {
                for (int a = 0; a < kv.length; a++) {
                    for (int c = 0; c < mix.length; c++) {
                        builder.add(kv[a], mix[c], 1f);
                    }
                }
            }
            linear(b, Role.O).connect(builder, tensors, mix, t, g3, s4);
            if (gated) {
                int[] gate = ids(mlpBase, s5);
                int[] up = ids(mlpBase + m, s5);
                linear(b, Role.GATE).connect(builder, tensors, g3, s4, gate, s5);
                linear(b, Role.UP).connect(builder, tensors, g3, s4, up, s5);
                Linear down = linear(b, Role.DOWN);
                down.connect(builder, tensors, gate, s5, g5, next);
                down.connect(builder, tensors, up, s5, g5, next);
            } else {
                int[] hidden = ids(mlpBase, s5);
                linear(b, Role.UP).connect(builder, tensors, g3, s4, hidden, s5);
                linear(b, Role.DOWN).connect(builder, tensors, hidden, s5, g5, next);
            }
        }
        return builder.build();
    }

    static int[] ids(int base, int[] index) {
        int[] out = new int[index.length];
        for (int i = 0; i < index.length; i++) {
            out[i] = base + index[i];
        }
        return out;
    }

    /** The tensor-name prefix before {@code suffix} of the first tensor ending with it, or null. */
    static String prefixOf(TensorStore tensors, String suffix) {
        for (String name : tensors.names()) {
            if (name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return null;
    }

    /** How many blocks have the tensor {@code prefix + b + suffix}, counting from 0. */
    static int countBlocks(TensorStore tensors, String prefix, String suffix) {
        int n = 0;
        while (tensors.info(prefix + n + suffix) != null) {
            n++;
        }
        return n;
    }
}

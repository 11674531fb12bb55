package org.neuromfa.arch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.model.ModelConfig;
import org.neuromfa.tensor.TensorStore;

/**
 * Diffusion UNets in diffusers naming ({@code UNet2DConditionModel}, as Stable Diffusion's
 * {@code unet/}, and {@code UNet2DModel}), wired block by block in the order of the forward pass:
 * {@code conv_in}; each {@code down_blocks.i} (its resnets, each followed by its attention when it has
 * one, then its downsampler); {@code mid_block} (resnet 0, then attention j and resnet j + 1); each
 * {@code up_blocks.i} (resnets with attentions, then the upsampler); {@code conv_out}. Channels and
 * features are the neurons; convolutions are aggregated over their kernels ({@link KernelAggregation}).
 *
 * <ul>
 * <li>A resnet {@code R} ({@code ResnetBlock2D}): groups {@code R.conv1} and {@code R} (the block's
 *     output), connected {@code input -> R.conv1 -> R} by {@code conv1} and {@code conv2}, and
 *     {@code input -> R} by {@code conv_shortcut} when the block has one. The identity shortcut
 *     carries no edges, as the residual stream in the transformer adapters.</li>
 * <li>Skip connections: every resnet or attention output of the down path, every downsampler output
 *     and {@code conv_in} are pushed on a stack; each up-block resnet takes the top one, concatenated
 *     after its input. Its {@code conv1} (and {@code conv_shortcut}) then connects from two groups: the
 *     input through input channels {@code 0 .. c-1}, and the down-path group itself through channels
 *     {@code c ..}: the concatenated channels are the very neurons of that down-path group, so the
 *     skip is long edges, not a copy.</li>
 * <li>An attention {@code A} ({@code Transformer2DModel}): {@code input -> A.proj_in} (a 1 x 1
 *     convolution or a linear map), then each {@code A.transformer_blocks.t} ({@code T}), then
 *     {@code -> A} by {@code proj_out}. In {@code T}, self-attention {@code T.attn1} is wired as in the
 *     transformer adapters (input -> Q, K, V by {@code to_q, to_k, to_v} -> attention mix, Q neuron
 *     {@code i} to mix neuron {@code i} and every K and V neuron to every mix neuron by fixed weight
 *     1 -> {@code T.attn1} by {@code to_out.0}); cross-attention {@code T.attn2} alike, except that
 *     its K and V come from the group {@code context}, the text encoder's features
 *     ({@code to_k}'s inputs, shared by every cross-attention); the feed-forward {@code T.ff} is
 *     gated as Llama's MLP when {@code ff.net.0.proj} has twice the rows of {@code ff.net.2}'s
 *     inputs (GEGLU: rows {@code 0 .. h-1} are {@code T.ff.hidden}, rows {@code h .. 2h-1}
 *     {@code T.ff.gate}, both reaching {@code T.ff} through {@code ff.net.2}), plain otherwise. An
 *     attention without {@code proj_in} and with {@code to_q} ({@code UNet2DModel}'s) is one
 *     self-attention.</li>
 * <li>Downsamplers and upsamplers: {@code input -> D} by {@code D.conv}.</li>
 * </ul>
 *
 * Group norms, layer norms, biases and the timestep embedding ({@code time_embedding}, each resnet's
 * {@code time_emb_proj}: a per-channel offset that depends on the timestep, not on the image) carry
 * no edges, as layer norms and biases do in the transformer adapters.
 *
 * <p>Sampling: {@code choice(n, k)} per group in node-id order (numpy's legacy
 * {@code RandomState(seed)}), the sample's groups sharing draws as in the transformer adapters (Q,
 * K, V and the mix one draw when they are as wide; the feed-forward's hidden and gate one draw of
 * {@code 2k}); the latent channels ({@code conv_in}'s inputs and {@code conv_out}'s outputs, 4 in
 * Stable Diffusion) are taken whole when there are fewer than {@code k}.
 */
public final class UNet2D {
    private final TensorStore tensors;
    private final ModuleWeights m;
    private final Wiring.Builder w = new Wiring.Builder("unet2d");
    private int transformerBlocks;

    private UNet2D(TensorStore tensors) {
        this.tensors = tensors;
        this.m = ModuleWeights.of(tensors, "conv_in");
    }

    /** Whether a config names a diffusers UNet ({@code "_class_name": "UNet2DConditionModel"} or {@code "UNet2DModel"}). */
    public static boolean isUNet(ModelConfig config) {
        return config.json().path("_class_name").asText("").startsWith("UNet2D");
    }

    /** Whether the tensors have diffusers' UNet names ({@code conv_in} and {@code down_blocks.0.resnets.0.conv1}). */
    public static boolean matches(TensorStore tensors) {
        ModuleWeights m = ModuleWeights.of(tensors, "conv_in");
        return m.has("conv_in") && m.has("down_blocks.0.resnets.0.conv1");
    }

    public static WiredArchitecture of(TensorStore tensors, KernelAggregation aggregation) {
        return new UNet2D(tensors).build(aggregation);
    }

    private WiredArchitecture build(KernelAggregation aggregation) {
        if (!m.has("conv_in") || !m.has("down_blocks.0.resnets.0.conv1")) {
            throw new NeuroMfaException(tensors.name(), "no 'conv_in.weight' and 'down_blocks.0.resnets.0.conv1.weight'"
                    + " (diffusers UNet naming)");
        }
        long[] in = ResNet.kernel(tensors, m, "conv_in");
        int latent = ResNet.dim(tensors, in[1]);
        w.group("sample", latent, "sample").sample(Wiring.Sample.draw("sample", latent, 1, true));
        int context = contextSize();
        if (context > 0) {
            draw("context", context);
        }
        draw("conv_in", ResNet.dim(tensors, in[0]));
        w.connect(weights("sample", "conv_in", "conv_in"));
        Deque<String> skips = new ArrayDeque<>();
        String x = "conv_in";
        skips.push(x);
        List<Integer> channels = new ArrayList<>();
        int down = 0;
        for (; m.has("down_blocks." + down + ".resnets.0.conv1"); down++) {
            String p = "down_blocks." + down;
            for (int j = 0; m.has(p + ".resnets." + j + ".conv1"); j++) {
                x = resnet(p + ".resnets." + j, x, null);
                x = attentionIfAny(p + ".attentions." + j, x);
                skips.push(x);
            }
            channels.add(w.size(x));
            if (m.has(p + ".downsamplers.0.conv")) {
                x = sampler(p + ".downsamplers.0", x);
                skips.push(x);
            }
        }
        if (m.has("mid_block.resnets.0.conv1")) {
            x = resnet("mid_block.resnets.0", x, null);
            for (int j = 0; m.has("mid_block.resnets." + (j + 1) + ".conv1"); j++) {
                x = attentionIfAny("mid_block.attentions." + j, x);
                x = resnet("mid_block.resnets." + (j + 1), x, null);
            }
        }
        int up = 0;
        for (; m.has("up_blocks." + up + ".resnets.0.conv1"); up++) {
            String p = "up_blocks." + up;
            for (int j = 0; m.has(p + ".resnets." + j + ".conv1"); j++) {
                if (skips.isEmpty()) {
                    throw new NeuroMfaException(tensors.name(), "'" + p + ".resnets." + j + "' takes a skip connection,"
                            + " but the down path has none left (earlier up-block resnets took them all); not a diffusers UNet");
                }
                x = resnet(p + ".resnets." + j, x, skips.pop());
                x = attentionIfAny(p + ".attentions." + j, x);
            }
            if (m.has(p + ".upsamplers.0.conv")) {
                x = sampler(p + ".upsamplers.0", x);
            }
        }
        if (!skips.isEmpty()) {
            throw new NeuroMfaException(tensors.name(), "the down path leaves " + skips.size() + " skip connections that no"
                    + " up-block resnet takes (first '" + skips.peek() + "'); not a diffusers UNet");
        }
        if (m.has("conv_out")) {
            int out = ResNet.dim(tensors, ResNet.kernel(tensors, m, "conv_out")[0]);
            w.group("conv_out", out, "conv_out").sample(Wiring.Sample.draw("conv_out", out, 1, true));
            w.connect(weights(x, "conv_out", "conv_out"));
        }
        Map<String, Object> describe = new LinkedHashMap<>();
        describe.put("family", "unet2d");
        describe.put("down_blocks", down);
        describe.put("up_blocks", up);
        describe.put("block_out_channels", channels.toString());
        describe.put("transformer_blocks", transformerBlocks);
        if (context > 0) {
            describe.put("cross_attention_dim", context);
        }
        return WiredArchitecture.of(w.build("UNet wiring"), tensors, aggregation, tensors.name(), describe);
    }

    /** The text features cross-attention reads: the inputs of the first {@code attn2.to_k}, or 0. */
    private int contextSize() {
        for (String name : tensors.names()) {
            if (name.endsWith(".attn2.to_k.weight")) {
                long[] shape = tensors.info(name).shape();
                if (shape.length != 2) {
                    throw new NeuroMfaException(tensors.name(), "tensor '" + name + "' has shape " + Arrays.toString(shape)
                            + ", not a matrix");
                }
                return ResNet.dim(tensors, shape[1]);
            }
        }
        return 0;
    }

    private void draw(String group, int size) {
        w.group(group, size, group).sample(Wiring.Sample.draw(group, size, 1, false));
    }

    private Wiring.Connection weights(String from, String to, String module) {
        return Wiring.Connection.weights(from, to, m.weight(module), m.layout(module));
    }

    private int out(String module) {
        long[] shape = m.shape(module);
        if (shape == null) {
            throw new NeuroMfaException(tensors.name(), "missing tensor '" + module + ".weight'");
        }
        if (shape.length < 2) {
            throw new NeuroMfaException(tensors.name(), "tensor '" + m.weight(module) + "' has shape " + Arrays.toString(shape)
                    + ", not a matrix or a convolution kernel");
        }
        return ResNet.dim(tensors, m.layout(module) == Wiring.Layout.OUT_IN ? shape[0] : shape[1]);
    }

    /** A resnet from {@code x} (and, in the up path, the skip group concatenated after it); returns its output group. */
    private String resnet(String r, String x, String skip) {
        long[] conv1 = ResNet.kernel(tensors, m, r + ".conv1");
        if (skip != null && conv1[1] != (long) w.size(x) + w.size(skip)) {
            throw new NeuroMfaException(tensors.name(), "tensor '" + m.weight(r + ".conv1") + "' has " + conv1[1]
                    + " input channels, but the input ('" + x + "', " + w.size(x) + ") and the skip connection ('" + skip
                    + "', " + w.size(skip) + ") concatenated make " + ((long) w.size(x) + w.size(skip)));
        }
        draw(r + ".conv1", out(r + ".conv1"));
        concatenated(x, skip, r + ".conv1", r + ".conv1");
        if (!m.has(r + ".conv2")) {
            throw new NeuroMfaException(tensors.name(), "missing tensor '" + r + ".conv2.weight' (a diffusers resnet has conv1 and conv2)");
        }
        ResNet.kernel(tensors, m, r + ".conv2");
        draw(r, out(r + ".conv2"));
        w.connect(weights(r + ".conv1", r, r + ".conv2"));
        if (m.has(r + ".conv_shortcut")) {
            concatenated(x, skip, r, r + ".conv_shortcut");
        }
        return r;
    }

    /** {@code x -> target} by {@code module}, and with a skip group the second part of its inputs from that group. */
    private void concatenated(String x, String skip, String target, String module) {
        if (skip == null) {
            w.connect(weights(x, target, module));
        } else {
            w.connect(weights(x, target, module).withOffsets(0, -1));
            w.connect(weights(skip, target, module).withOffsets(w.size(x), -1));
        }
    }

    private String sampler(String s, String x) {
        ResNet.kernel(tensors, m, s + ".conv");
        draw(s, out(s + ".conv"));
        w.connect(weights(x, s, s + ".conv"));
        return s;
    }

    private String attentionIfAny(String a, String x) {
        if (m.has(a + ".proj_in")) {
            draw(a + ".proj_in", out(a + ".proj_in"));
            w.connect(weights(x, a + ".proj_in", a + ".proj_in"));
            String h = a + ".proj_in";
            for (int t = 0; m.has(a + ".transformer_blocks." + t + ".attn1.to_q"); t++) {
                String b = a + ".transformer_blocks." + t;
                h = attention(b + ".attn1", h, h);
                if (m.has(b + ".attn2.to_q")) {
                    h = attention(b + ".attn2", h, "context");
                }
                if (m.has(b + ".ff.net.0.proj")) {
                    h = feedForward(b + ".ff", h);
                }
                transformerBlocks++;
            }
            if (!m.has(a + ".proj_out")) {
                throw new NeuroMfaException(tensors.name(), "missing tensor '" + a + ".proj_out.weight'");
            }
            draw(a, out(a + ".proj_out"));
            w.connect(weights(h, a, a + ".proj_out"));
            return a;
        }
        if (m.has(a + ".to_q")) {
            return attention(a, x, x);
        }
        return x;
    }

    /** Q from {@code x}, K and V from {@code kv}, the attention mix, and the output map; returns the output group. */
    private String attention(String p, String x, String kv) {
        for (String part : new String[] {".to_q", ".to_k", ".to_v", ".to_out.0"}) {
            if (!m.has(p + part)) {
                throw new NeuroMfaException(tensors.name(), "missing tensor '" + p + part + ".weight'");
            }
        }
        int dq = out(p + ".to_q");
        int dkv = out(p + ".to_k");
        String kvSample = dkv == dq ? p + ".q" : p + ".kv";
        w.group(p + ".q", dq, p + ".q").sample(Wiring.Sample.draw(p + ".q", dq, 1, false));
        w.group(p + ".k", dkv, kvSample);
        if (dkv != dq) {
            w.sample(Wiring.Sample.draw(kvSample, dkv, 1, false));
        }
        w.group(p + ".v", out(p + ".to_v"), kvSample).group(p + ".mix", dq, p + ".q");
        draw(p, out(p + ".to_out.0"));
        w.connect(weights(x, p + ".q", p + ".to_q")).connect(weights(kv, p + ".k", p + ".to_k"))
                .connect(weights(kv, p + ".v", p + ".to_v"))
                .connect(Wiring.Connection.fixed(p + ".q", p + ".mix", 1f, Wiring.Pattern.SAME_INDEX))
                .connect(Wiring.Connection.fixed(p + ".k", p + ".mix", 1f, Wiring.Pattern.ALL))
                .connect(Wiring.Connection.fixed(p + ".v", p + ".mix", 1f, Wiring.Pattern.ALL))
                .connect(weights(p + ".mix", p, p + ".to_out.0"));
        return p;
    }

    private String feedForward(String f, String x) {
        if (!m.has(f + ".net.2")) {
            throw new NeuroMfaException(tensors.name(), "missing tensor '" + f + ".net.2.weight'");
        }
        long[] proj = m.shape(f + ".net.0.proj");
        long[] downShape = m.shape(f + ".net.2");
        if (proj.length != 2 || downShape.length != 2) {
            throw new NeuroMfaException(tensors.name(), "the feed-forward '" + f + "' has shapes " + Arrays.toString(proj)
                    + " and " + Arrays.toString(downShape) + ", not two matrices");
        }
        int hidden = ResNet.dim(tensors, downShape[1]);
        w.group(f + ".hidden", hidden, f + ".hidden").sample(Wiring.Sample.draw(f + ".hidden", hidden, 2, false));
        boolean geglu = proj[0] == 2L * hidden;
        if (geglu) {
            w.group(f + ".gate", hidden, f + ".hidden");
        } else if (proj[0] != hidden) {
            throw new NeuroMfaException(tensors.name(), "tensor '" + m.weight(f + ".net.0.proj") + "' has " + proj[0]
                    + " outputs: neither the " + hidden + " inputs of '" + m.weight(f + ".net.2") + "' nor twice as many (GEGLU)");
        }
        draw(f, out(f + ".net.2"));
        if (geglu) {
            w.connect(weights(x, f + ".hidden", f + ".net.0.proj").withOffsets(-1, 0))
                    .connect(weights(x, f + ".gate", f + ".net.0.proj").withOffsets(-1, hidden))
                    .connect(weights(f + ".hidden", f, f + ".net.2"))
                    .connect(weights(f + ".gate", f, f + ".net.2"));
        } else {
            w.connect(weights(x, f + ".hidden", f + ".net.0.proj")).connect(weights(f + ".hidden", f, f + ".net.2"));
        }
        return f;
    }
}

package org.neuromfa.arch;

import org.neuromfa.NeuroMfaException;
import org.neuromfa.model.ModelConfig;
import org.neuromfa.tensor.TensorInfo;
import org.neuromfa.tensor.TensorStore;

/**
 * Llama and its relatives with the same tensor layout (Mistral, Qwen2), wired as
 * {@link TransformerBlocks} with grouped-query attention and a gated MLP. Block {@code b}'s maps
 * ({@code [out, in]}) under {@code P = <prefix>layers.b.}: Q = {@code P self_attn.q_proj.weight}
 * {@code [dq, d]}, K and V = {@code P self_attn.k_proj/v_proj.weight} {@code [dkv, d]}, output =
 * {@code P self_attn.o_proj.weight} {@code [d, dq]}, gate and up = {@code P mlp.gate_proj/up_proj.weight}
 * {@code [m, d]}, down = {@code P mlp.down_proj.weight} {@code [d, m]}. From {@code config.json}:
 * {@code d = hidden_size}, {@code m = intermediate_size}, {@code head_dim} (default
 * {@code d / num_attention_heads}), {@code dq = num_attention_heads * head_dim},
 * {@code dkv = num_key_value_heads * head_dim} (default: as many KV heads as attention heads).
 */
public final class Llama extends TransformerBlocks {
    static final String Q_0 = "layers.0.self_attn.q_proj.weight";

    private final String family;
    private final String prefix;

    Llama(String family, int d, int dq, int dkv, int m, int layers, String prefix) {
        super(d, dq, dkv, m, layers, true);
        this.family = family;
        this.prefix = prefix;
    }

    public static boolean matches(TensorStore tensors) {
        return prefixOf(tensors, Q_0) != null && tensors.info(prefixOf(tensors, Q_0) + "layers.0.mlp.gate_proj.weight") != null;
    }

    public static Llama fromConfig(ModelConfig config, TensorStore tensors) {
        int d = config.positiveInt("hidden_size");
        int heads = config.positiveInt("num_attention_heads");
        int kvHeads = config.positiveInt("num_key_value_heads", heads);
        if (!config.has("head_dim") && d % heads != 0) {
            throw new NeuroMfaException(config.file(), "hidden_size " + d + " is not a multiple of num_attention_heads " + heads);
        }
        int headDim = config.positiveInt("head_dim", d / heads);
        String family = config.modelType().isEmpty() ? "llama" : config.modelType();
        Llama arch = new Llama(family, d, heads * headDim, kvHeads * headDim, config.positiveInt("intermediate_size"),
                config.positiveInt("num_hidden_layers"), requirePrefix(tensors));
        arch.checkShapes(tensors, config.file());
        return arch;
    }

    public static Llama fromTensors(TensorStore tensors) {
        String prefix = requirePrefix(tensors);
        TensorInfo q = tensors.require(prefix + Q_0);
        TensorInfo k = tensors.require(prefix + "layers.0.self_attn.k_proj.weight");
        TensorInfo up = tensors.require(prefix + "layers.0.mlp.up_proj.weight");
        Llama arch = new Llama("llama", (int) q.columns(), (int) q.rows(), (int) k.rows(), (int) up.rows(),
                countBlocks(tensors, prefix + "layers.", ".self_attn.q_proj.weight"), prefix);
        arch.checkShapes(tensors, null);
        return arch;
    }

    private static String requirePrefix(TensorStore tensors) {
        String prefix = prefixOf(tensors, Q_0);
        if (prefix == null) {
            throw new NeuroMfaException(tensors.name(), "missing tensor '" + Q_0 + "' (Llama layout)");
        }
        return prefix;
    }

    @Override
    public String family() {
        return family;
    }

    @Override
    Linear linear(int block, Role role) {
        String p = prefix + "layers." + block + ".";
        switch (role) {
            case Q: return Linear.outIn(p + "self_attn.q_proj.weight", d, dq);
            case K: return Linear.outIn(p + "self_attn.k_proj.weight", d, dkv);
            case V: return Linear.outIn(p + "self_attn.v_proj.weight", d, dkv);
            case O: return Linear.outIn(p + "self_attn.o_proj.weight", dq, d);
            case GATE: return Linear.outIn(p + "mlp.gate_proj.weight", d, m);
            case UP: return Linear.outIn(p + "mlp.up_proj.weight", d, m);
            case DOWN: return Linear.outIn(p + "mlp.down_proj.weight", m, d);
            default: throw new IllegalArgumentException(String.valueOf(role));
        }
    }
}

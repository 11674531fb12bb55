package org.neuromfa.arch;

import org.neuromfa.NeuroMfaException;
import org.neuromfa.model.ModelConfig;
import org.neuromfa.tensor.TensorInfo;
import org.neuromfa.tensor.TensorStore;

/**
 * GPT-2, wired as {@link TransformerBlocks}. Its {@code Conv1D} layers store weights {@code [in, out]}.
 * Block {@code b}'s maps under {@code P = <prefix>h.b.}: Q, K, V = output columns
 * {@code 0..d-1}, {@code d..2d-1}, {@code 2d..3d-1} of {@code P attn.c_attn.weight} {@code [d, 3d]};
 * output = {@code P attn.c_proj.weight} {@code [d, d]}; up = {@code P mlp.c_fc.weight}
 * {@code [d, m]}; down = {@code P mlp.c_proj.weight} {@code [m, d]}. The prefix is
 * {@code transformer.} or nothing. Shapes from {@code config.json}: {@code n_embd}, {@code n_layer},
 * {@code n_inner} (4 x n_embd when null).
 */
public final class Gpt2 extends TransformerBlocks {
    static final String ATTN_0 = "h.0.attn.c_attn.weight";

    private final String prefix;

    Gpt2(int d, int m, int layers, String prefix) {
        super(d, d, d, m, layers, false);
        this.prefix = prefix;
    }

    public static boolean matches(TensorStore tensors) {
        return prefixOf(tensors, ATTN_0) != null;
    }

    public static Gpt2 fromConfig(ModelConfig config, TensorStore tensors) {
        int d = config.positiveInt("n_embd");
        Gpt2 arch = new Gpt2(d, config.positiveInt("n_inner", 4 * d), config.positiveInt("n_layer"), requirePrefix(tensors));
        arch.checkShapes(tensors, config.file());
        return arch;
    }

    public static Gpt2 fromTensors(TensorStore tensors) {
        String prefix = requirePrefix(tensors);
        TensorInfo fc = tensors.require(prefix + "h.0.mlp.c_fc.weight");
        Gpt2 arch = new Gpt2((int) fc.rows(), (int) fc.columns(), countBlocks(tensors, prefix + "h.", ".attn.c_attn.weight"), prefix);
        arch.checkShapes(tensors, null);
        return arch;
    }

    private static String requirePrefix(TensorStore tensors) {
        String prefix = prefixOf(tensors, ATTN_0);
        if (prefix == null) {
            throw new NeuroMfaException(tensors.name(), "missing tensor '" + ATTN_0 + "' (GPT-2 layout)");
        }
        return prefix;
    }

    @Override
    public String family() {
        return "gpt2";
    }

    @Override
    Linear linear(int block, Role role) {
        String p = prefix + "h." + block + ".";
        switch (role) {
            case Q: return Linear.inOutSlice(p + "attn.c_attn.weight", d, d, 0, 3 * d);
            case K: return Linear.inOutSlice(p + "attn.c_attn.weight", d, d, d, 3 * d);
            case V: return Linear.inOutSlice(p + "attn.c_attn.weight", d, d, 2 * d, 3 * d);
            case O: return Linear.inOut(p + "attn.c_proj.weight", d, d);
            case UP: return Linear.inOut(p + "mlp.c_fc.weight", d, m);
            case DOWN: return Linear.inOut(p + "mlp.c_proj.weight", m, d);
            default: throw new IllegalArgumentException("GPT-2 has no " + role + " map");
        }
    }
}

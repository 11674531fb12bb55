package org.neuromfa.arch;

import org.neuromfa.NeuroMfaException;
import org.neuromfa.model.ModelConfig;
import org.neuromfa.tensor.TensorInfo;
import org.neuromfa.tensor.TensorStore;

/**
 * BERT and RoBERTa in Hugging Face naming, wired as {@link TransformerBlocks}. Block {@code b}'s maps
 * ({@code [out, in]}, PyTorch {@code nn.Linear}) under {@code P = <prefix>encoder.layer.b.}:
 * Q, K, V = {@code P attention.self.query/key/value.weight} {@code [d, d]}; output =
 * {@code P attention.output.dense.weight} {@code [d, d]}; up = {@code P intermediate.dense.weight}
 * {@code [m, d]}; down = {@code P output.dense.weight} {@code [d, m]}. The prefix is whatever
 * precedes {@code encoder.layer.0} ({@code bert.}, {@code roberta.} or nothing). Embeddings and
 * the pooler are not part of the network.
 */
public final class Bert extends TransformerBlocks {
    static final String QUERY_0 = "encoder.layer.0.attention.self.query.weight";

    private final String family;
    private final String prefix;

    Bert(String family, int d, int m, int layers, String prefix) {
        super(d, d, d, m, layers, false);
        this.family = family;
        this.prefix = prefix;
    }

    /** Whether the tensor names look like BERT or RoBERTa. */
    public static boolean matches(TensorStore tensors) {
        return prefixOf(tensors, QUERY_0) != null;
    }

    /** Shapes from {@code config.json} ({@code hidden_size}, {@code intermediate_size}, {@code num_hidden_layers}), checked against the tensors. */
    public static Bert fromConfig(ModelConfig config, TensorStore tensors) {
        String prefix = requirePrefix(tensors);
        String family = config.modelType().isEmpty() ? "bert" : config.modelType();
        Bert arch = new Bert(family, config.positiveInt("hidden_size"), config.positiveInt("intermediate_size"),
                config.positiveInt("num_hidden_layers"), prefix);
        arch.checkShapes(tensors, config.file());
        return arch;
    }

    /** Shapes inferred from the tensors (no {@code config.json}), then checked for every block. */
    public static Bert fromTensors(TensorStore tensors) {
        String prefix = requirePrefix(tensors);
        TensorInfo up = tensors.require(prefix + "encoder.layer.0.intermediate.dense.weight");
        int layers = countBlocks(tensors, prefix + "encoder.layer.", ".attention.self.query.weight");
        Bert arch = new Bert("bert", (int) up.columns(), (int) up.rows(), layers, prefix);
        arch.checkShapes(tensors, null);
        return arch;
    }

    private static String requirePrefix(TensorStore tensors) {
        String prefix = prefixOf(tensors, QUERY_0);
        if (prefix == null) {
            throw new NeuroMfaException(tensors.name(), "missing tensor '" + QUERY_0 + "' (BERT layout)");
        }
        return prefix;
    }

    @Override
    public String family() {
        return family;
    }

    @Override
    Linear linear(int block, Role role) {
        String p = prefix + "encoder.layer." + block + ".";
        switch (role) {
            case Q: return Linear.outIn(p + "attention.self.query.weight", d, d);
            case K: return Linear.outIn(p + "attention.self.key.weight", d, d);
            case V: return Linear.outIn(p + "attention.self.value.weight", d, d);
            case O: return Linear.outIn(p + "attention.output.dense.weight", d, d);
            case UP: return Linear.outIn(p + "intermediate.dense.weight", d, m);
            case DOWN: return Linear.outIn(p + "output.dense.weight", m, d);
            default: throw new IllegalArgumentException("BERT has no " + role + " map");
        }
    }
}

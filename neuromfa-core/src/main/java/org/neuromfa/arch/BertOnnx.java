package org.neuromfa.arch;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.model.ModelConfig;
import org.neuromfa.tensor.TensorInfo;
import org.neuromfa.tensor.TensorStore;
import org.neuromfa.tensor.onnx.OnnxNode;
import org.neuromfa.tensor.onnx.OnnxStore;

/**
 * BERT exported to ONNX by PyTorch (for example all-MiniLM-L6-v2), wired as {@link TransformerBlocks}
 * like {@link Bert}. The exporter stores each map's weight {@code [in, out]} as the second input of
 * a {@code MatMul} node and names it after that node ({@code onnx::MatMul_885}), so the maps are found
 * through the graph: the node named {@code .../layer.b/attention/self/query/MatMul} (Q),
 * {@code .../attention/self/key/MatMul} (K), {@code .../attention/self/value/MatMul} (V),
 * {@code .../attention/output/dense/MatMul} (output), {@code .../intermediate/dense/MatMul} (up) and
 * {@code .../output/dense/MatMul} (down) of block {@code b}. ONNX Runtime's dynamic quantisation
 * renames them {@code ..._quant} ({@code MatMulInteger}) and stores int8 weights with scales; the
 * store dequantises them, so the float and the int8 model are wired identically.
 */
public final class BertOnnx extends TransformerBlocks {
    private static final Pattern NODE = Pattern.compile(
            "(?:^|.*/)layer\\.(\\d+)/(attention/self/query|attention/self/key|attention/self/value|attention/output/dense"
                    + "|intermediate/dense|output/dense)/MatMul(?:_quant)?$");

    private final Map<String, String> weights;

    private BertOnnx(int d, int m, int layers, Map<String, String> weights) {
        super(d, d, d, m, layers, false);
        this.weights = weights;
    }

    /** Whether the store is an ONNX graph with BERT's MatMul nodes. */
    public static boolean matches(TensorStore tensors) {
        OnnxStore onnx = TensorStore.find(tensors, OnnxStore.class);
        if (onnx == null) {
            return false;
        }
        for (OnnxNode n : onnx.nodes()) {
            if (NODE.matcher(n.name()).matches()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Finds the maps in the graph; shapes come from {@code config} when given, else from block 0's
     * query and intermediate weights, and every block is checked against them. {@code tensors} is the
     * ONNX store or a wrapper of it.
     */
    public static BertOnnx of(TensorStore tensors, ModelConfig config) {
        OnnxStore store = TensorStore.find(tensors, OnnxStore.class);
        if (store == null) {
            throw new NeuroMfaException(tensors.name(), "not an ONNX model, so it has no graph to find BERT's MatMul nodes in");
        }
        Map<String, String> weights = new HashMap<>();
        int layers = 0;
        for (OnnxNode n : store.nodes()) {
            Matcher matcher = NODE.matcher(n.name());
            if (!matcher.matches() || !(n.opType().equals("MatMul") || n.opType().equals("MatMulInteger"))) {
                continue;
            }
            String weight = null;
            for (String input : n.inputs()) {
                if (store.tensorForInput(input) != null) {
                    weight = store.tensorForInput(input);
                }
            }
            if (weight == null) {
                throw new NeuroMfaException(store.name(), "node '" + n.name() + "' has no weight initializer among its inputs");
            }
            int block;
            try {
                block = Integer.parseInt(matcher.group(1));
            } catch (NumberFormatException e) {
                throw new NeuroMfaException(store.name(), "node '" + n.name() + "': layer number out of range");
            }
            String key = block + "/" + role(matcher.group(2));
            if (weights.put(key, weight) != null) {
                throw new NeuroMfaException(store.name(), "two MatMul nodes for " + matcher.group(2) + " of layer " + block);
            }
            layers = Math.max(layers, block + 1);
        }
        if (layers == 0) {
            throw new NeuroMfaException(store.name(), "no BERT MatMul nodes (.../layer.N/attention/self/query/MatMul) in the graph");
        }
        for (int b = 0; b < layers; b++) {
            for (Role r : new Role[] {Role.Q, Role.K, Role.V, Role.O, Role.UP, Role.DOWN}) {
                if (!weights.containsKey(b + "/" + r)) {
                    throw new NeuroMfaException(store.name(), "no MatMul node for the " + r + " map of layer " + b);
                }
            }
        }
        int d;
        int m;
        if (config != null) {
            d = config.positiveInt("hidden_size");
            m = config.positiveInt("intermediate_size");
            int declared = config.positiveInt("num_hidden_layers");
            if (declared != layers) {
                throw new NeuroMfaException(store.name(), "the graph has " + layers + " layers, but " + config.file()
                        + " declares " + declared);
            }
        } else {
            TensorInfo up = store.require(weights.get("0/" + Role.UP));
            d = (int) up.rows();
            m = (int) up.columns();
        }
        BertOnnx arch = new BertOnnx(d, m, layers, weights);
        arch.checkShapes(store, config == null ? null : config.file());
        return arch;
    }

    private static Role role(String path) {
        switch (path) {
            case "attention/self/query": return Role.Q;
            case "attention/self/key": return Role.K;
            case "attention/self/value": return Role.V;
            case "attention/output/dense": return Role.O;
            case "intermediate/dense": return Role.UP;
            default: return Role.DOWN;
        }
    }

    @Override
    public String family() {
        return "bert";
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> out = super.describe();
        out.put("layout", "onnx");
        return out;
    }

    /** The initializer of one map (for {@code inspect}). */
    public String tensorOf(int block, String role) {
        return weights.get(block + "/" + Role.valueOf(role));
    }

    @Override
    Linear linear(int block, Role role) {
        String w = weights.get(block + "/" + role);
        switch (role) {
            case Q: case K: case V: case O: return Linear.inOut(w, d, d);
            case UP: return Linear.inOut(w, d, m);
            case DOWN: return Linear.inOut(w, m, d);
            default: throw new IllegalArgumentException("BERT has no " + role + " map");
        }
    }
}

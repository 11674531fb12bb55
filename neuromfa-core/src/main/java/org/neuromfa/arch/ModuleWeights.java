package org.neuromfa.arch;

import java.util.HashMap;
import java.util.Map;
import org.neuromfa.tensor.TensorInfo;
import org.neuromfa.tensor.TensorStore;
import org.neuromfa.tensor.onnx.OnnxNode;
import org.neuromfa.tensor.onnx.OnnxStore;

/**
 * The weight of a PyTorch module, found by its module path ({@code layer1.0.conv1}): the tensor
 * {@code <prefix><path>.weight} of a state dict (safetensors, PyTorch files, and ONNX files whose
 * initializers kept PyTorch's names), or, in an ONNX graph exported by PyTorch, the weight input of
 * the node the exporter named after the module.
 *
 * <p>PyTorch's exporter names a node by its module scopes, for example
 * {@code /layer1/layer1.0/conv1/Conv} or {@code /layer2/layer2.0/downsample/downsample.0/Conv}: each
 * scope after the first is either the child's own name or the qualified name of a child of the
 * scope before ({@code layer1.0} under {@code layer1}), so the path is rebuilt scope by scope. Its
 * weights are often renamed ({@code onnx::Conv_193}) and, in an export of an evaluation-mode model,
 * a convolution's batch norm is folded into its weights; a {@code Gemm} node stores its weight
 * {@code [out, in]} when {@code transB = 1} and {@code [in, out]} otherwise, a {@code MatMul} node
 * {@code [in, out]}.
 */
final class ModuleWeights {
    private final TensorStore tensors;
    private final String prefix;
    private final Map<String, OnnxNode> onnxNodes = new HashMap<>();
    private final Map<String, String> onnxWeights = new HashMap<>();
    private final boolean onnx;

    private ModuleWeights(TensorStore tensors, String prefix) {
        this.tensors = tensors;
        this.prefix = prefix;
        OnnxStore store = TensorStore.find(tensors, OnnxStore.class);
        boolean graph = false;
        if (store != null) {
            for (OnnxNode n : store.nodes()) {
                String op = n.opType();
                if (!(op.equals("Conv") || op.equals("Gemm") || op.equals("MatMul")) || n.inputs().size() < 2) {
                    continue;
                }
                String weight = store.tensorForInput(n.inputs().get(1));
                String path = modulePath(n.name());
                if (weight != null && path != null && !onnxWeights.containsKey(path)) {
                    onnxWeights.put(path, weight);
                    onnxNodes.put(path, n);
                    graph = true;
                }
            }
        }
        this.onnx = graph;
    }

    /**
     * The modules of {@code tensors}, with the state-dict prefix found from a weight every model of
     * the family has ({@code probe}, for example {@code layer1.0.conv1}): {@code module.} of
     * {@code DataParallel}, {@code model.}, or none.
     */
    static ModuleWeights of(TensorStore tensors, String probe) {
        String prefix = TransformerBlocks.prefixOf(tensors, probe + ".weight");
        return new ModuleWeights(tensors, prefix == null ? "" : prefix);
    }

    /** The module path a PyTorch ONNX export encoded in a node name, or null when the name has no scopes. */
    static String modulePath(String nodeName) {
        String[] parts = nodeName.split("/");
        StringBuilder path = new StringBuilder();
        String last = null;
        int scopes = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            String s = parts[i];
            if (s.isEmpty()) {
                continue;
            }
            scopes++;
            if (last != null && s.startsWith(last + ".") && s.length() > last.length() + 1) {
                path.append(s, last.length(), s.length());
            } else {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(s);
            }
            last = s;
        }
        return scopes == 0 ? null : path.toString();
    }

    /** Whether some weights are found through an ONNX graph's node names. */
    boolean viaOnnxGraph() {
        return onnx;
    }

    /** The weight tensor of {@code module}, or null when it has none. */
    String weight(String module) {
        String direct = prefix + module + ".weight";
        if (tensors.info(direct) != null) {
            return direct;
        }
        return onnxWeights.get(module);
    }

    /** The weight's shape, or null when the module has no weight. */
    long[] shape(String module) {
        String w = weight(module);
        TensorInfo info = w == null ? null : tensors.info(w);
        return info == null ? null : info.shape();
    }

    boolean has(String module) {
        return weight(module) != null;
    }

    /** How a two-dimensional weight of {@code module} is stored ({@code [in, out]} only for ONNX MatMul and Gemm without transB). */
    Wiring.Layout layout(String module) {
        OnnxNode n = node(module);
        if (n != null && n.opType().equals("MatMul")) {
            return Wiring.Layout.IN_OUT;
        }
        if (n != null && n.opType().equals("Gemm") && n.intAttribute("transB", 0) != 1) {
            return Wiring.Layout.IN_OUT;
        }
        return Wiring.Layout.OUT_IN;
    }

    /** The ONNX node that consumes the module's weight, or null. */
    private OnnxNode node(String module) {
        String w = weight(module);
        return w != null && w.equals(onnxWeights.get(module)) ? onnxNodes.get(module) : null;
    }

    /** The {@code group} attribute of the module's ONNX Conv node, or 0 (infer from the shapes). */
    int convGroups(String module) {
        OnnxNode n = node(module);
        return n != null && n.opType().equals("Conv") ? (int) Math.max(0, Math.min(Integer.MAX_VALUE, n.intAttribute("group", 0))) : 0;
    }
}

package org.neuromfa.arch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.tensor.TensorStore;

/**
 * Residual convolutional networks in torchvision's naming (ResNet-18 to -152, ResNeXt and wide
 * ResNets, and timm's models that keep the naming), from safetensors or PyTorch files, or from ONNX
 * files exported by PyTorch (see {@link ModuleWeights}). Channels are the neurons; a convolution
 * {@code [out, in / groups, kh, kw]} joins input channel {@code i} to output channel {@code j} by
 * its kernel aggregated to one weight ({@link KernelAggregation}).
 *
 * <p>Groups, in node-id order: {@code input} (the image's channels, {@code conv1}'s inputs),
 * {@code conv1} (the stem's outputs), then for every block {@code layerL.B} the outputs of each of
 * its convolutions but the last ({@code layerL.B.conv1}, and {@code layerL.B.conv2} in a bottleneck
 * block) and the block's output {@code layerL.B} (its last convolution plus the shortcut), and
 * {@code fc} (the classifier's outputs) when the model has one. Connections: {@code input -> conv1}
 * by {@code conv1.weight}; in each block the chain of its convolutions from the previous block's
 * output; a projection shortcut {@code layerL.B.downsample.0} (a 1 x 1 convolution) from the previous
 * block's output to the block's output; {@code fc} from the last block's output.
 *
 * <p>As the transformer adapters treat layer norms, biases and the residual stream: batch norms
 * ({@code bn1}, {@code downsample.1}), biases, ReLUs and pooling carry no edges, and the identity
 * shortcut carries none either (the block's output neurons are the channels the shortcut adds
 * into). A projection shortcut is a learned map like any convolution, so it does carry edges.
 * Grouped convolutions (ResNeXt's {@code conv2}) connect channels of the same group only: the groups
 * follow from the shapes ({@code in / weight.shape[1]}) or, in ONNX, from the Conv node's
 * {@code group}.
 *
 * <p>Sampling: {@code choice(n, k)} per group in the order above (numpy's legacy
 * {@code RandomState(seed)}); the image's channels and the classes are taken whole when there are
 * fewer than {@code k} (as a permutation).
 */
public final class ResNet {
    private ResNet() {
    }

    /** Whether the tensors have torchvision's ResNet names ({@code conv1} and {@code layer1.0.conv1}). */
    public static boolean matches(TensorStore tensors) {
        ModuleWeights m = ModuleWeights.of(tensors, "layer1.0.conv1");
        return m.has("conv1") && m.has("layer1.0.conv1");
    }

    public static WiredArchitecture of(TensorStore tensors, KernelAggregation aggregation) {
        ModuleWeights m = ModuleWeights.of(tensors, "layer1.0.conv1");
        if (!m.has("conv1") || !m.has("layer1.0.conv1")) {
            throw new NeuroMfaException(tensors.name(), "no 'conv1.weight' and 'layer1.0.conv1.weight' (torchvision ResNet naming)");
        }
        Wiring.Builder w = new Wiring.Builder("resnet");
        long[] stem = kernel(tensors, m, "conv1");
        w.group("input", dim(tensors, stem[1]), "input").sample(Wiring.Sample.draw("input", dim(tensors, stem[1]), 1, true));
        w.group("conv1", dim(tensors, stem[0]), "conv1").sample(Wiring.Sample.draw("conv1", dim(tensors, stem[0]), 1, false));
        w.connect(conv(m, "input", "conv1", "conv1"));
        String previous = "conv1";
        List<Integer> stages = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        String kind = null;
        int depth = 1;
        for (int l = 1; m.has("layer" + l + ".0.conv1"); l++) {
            int blocks = 0;
            for (int b = 0; m.has("layer" + l + "." + b + ".conv1"); b++) {
                String block = "layer" + l + "." + b;
                int convs = 0;
                while (m.has(block + ".conv" + (convs + 1))) {
                    convs++;
                }
                if (convs < 2) {
                    throw new NeuroMfaException(tensors.name(), "block '" + block + "' has only conv1; a ResNet block has"
                            + " conv1 and conv2 (basic) or conv1 to conv3 (bottleneck)");
                }
                String blockKind = convs == 2 ? "basic" : convs == 3 ? "bottleneck" : convs + " convolutions";
                kind = kind == null || kind.equals(blockKind) ? blockKind : "mixed";
                String source = previous;
                for (int c = 1; c <= convs; c++) {
                    String module = block + ".conv" + c;
                    String target = c < convs ? module : block;
                    int out = dim(tensors, kernel(tensors, m, module)[0]);
                    w.group(target, out, target).sample(Wiring.Sample.draw(target, out, 1, false));
                    w.connect(conv(m, source, target, module));
                    source = target;
                }
                if (m.has(block + ".downsample.0")) {
                    kernel(tensors, m, block + ".downsample.0");
                    w.connect(conv(m, previous, block, block + ".downsample.0"));
                }
                depth += convs;
                previous = block;
                blocks++;
            }
            stages.add(blocks);
            widths.add(w.size(previous));
        }
        Map<String, Object> describe = new LinkedHashMap<>();
        describe.put("family", "resnet");
        describe.put("block", kind);
        describe.put("stages", stages.toString());
        describe.put("widths", widths.toString());
        if (m.has("fc")) {
            long[] fc = m.shape("fc");
            if (fc.length != 2) {
                throw new NeuroMfaException(tensors.name(), "tensor '" + m.weight("fc") + "' has shape " + Arrays.toString(fc)
                        + ", not the classifier's [classes, features] matrix");
            }
            Wiring.Layout layout = m.layout("fc");
            int classes = dim(tensors, layout == Wiring.Layout.OUT_IN ? fc[0] : fc[1]);
            w.group("fc", classes, "fc").sample(Wiring.Sample.draw("fc", classes, 1, true));
            w.connect(Wiring.Connection.weights(previous, "fc", m.weight("fc"), layout));
            describe.put("classes", classes);
            depth++;
        }
        describe.put("depth", depth);
        if (m.viaOnnxGraph()) {
            describe.put("layout", "onnx");
        }
        return WiredArchitecture.of(w.build("ResNet wiring"), tensors, aggregation, tensors.name(), describe);
    }

    private static Wiring.Connection conv(ModuleWeights m, String from, String to, String module) {
        Wiring.Connection c = Wiring.Connection.weights(from, to, m.weight(module), Wiring.Layout.OUT_IN);
        int groups = m.convGroups(module);
        return groups > 0 ? c.withGroups(groups) : c;
    }

    /** The shape of a module's convolution kernel, which must be {@code [out, in, ...]}. */
    static long[] kernel(TensorStore tensors, ModuleWeights m, String module) {
        long[] shape = m.shape(module);
        if (shape.length < 3) {
            throw new NeuroMfaException(tensors.name(), "tensor '" + m.weight(module) + "' has shape " + Arrays.toString(shape)
                    + ", not a convolution kernel [out, in, kh, kw]");
        }
        return shape;
    }

    static int dim(TensorStore tensors, long d) {
        if (d < 1 || d > Integer.MAX_VALUE) {
            throw new NeuroMfaException(tensors.name(), "a layer of " + d + " channels cannot be analysed");
        }
        return (int) d;
    }
}

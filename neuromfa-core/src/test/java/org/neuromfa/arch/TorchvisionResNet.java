package org.neuromfa.arch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuromfa.tensor.DType;
import org.neuromfa.tensor.SparseTensors;
import org.neuromfa.tensor.onnx.OnnxWriter;

/**
 * The state dict of a torchvision ResNet, in its names, order and shapes (torchvision's
 * {@code resnet.py}: a 7 x 7 stem of 64 channels, four stages of 64, 128, 256 and 512 planes, basic
 * blocks of two 3 x 3 convolutions or bottlenecks of 1 x 1, 3 x 3 and 1 x 1 with expansion 4, a
 * 1 x 1 projection shortcut ({@code downsample.0} and its batch norm {@code downsample.1}) where the
 * stride or the width changes, and {@code fc}); and the graph PyTorch's ONNX exporter writes for it
 * in evaluation mode, with batch norms folded into the convolutions ({@code onnx::Conv_N} weights and
 * biases, nodes named by module scope such as {@code /layer1/layer1.0/conv1/Conv}).
 */
final class TorchvisionResNet {
    final SparseTensors state = new SparseTensors();
    /** The ONNX twin: the same convolution weights under the exporter's names. */
    final SparseTensors onnx = new SparseTensors();
    final List<OnnxWriter.Message> nodes = new ArrayList<>();
    /** Module path to its weight's ONNX initializer name. */
    final Map<String, String> onnxNames = new LinkedHashMap<>();
    /** Weights and biases of convolutions, batch norms and fc: torchvision's published parameter count. */
    long parameters;
    private int nextId = 190;
    private String x = "input";

    private TorchvisionResNet() {
    }

    static TorchvisionResNet resnet18() {
        return build(false, new int[] {2, 2, 2, 2}, 1000, 64);
    }

    static TorchvisionResNet resnet50() {
        return build(true, new int[] {3, 4, 6, 3}, 1000, 64);
    }

    /** A ResNet with stem width {@code width} (64 in torchvision) and {@code classes} outputs. */
    static TorchvisionResNet build(boolean bottleneck, int[] layers, int classes, int width) {
        TorchvisionResNet r = new TorchvisionResNet();
        r.conv("conv1", width, 3, 7, 2);
        r.bn("bn1", width);
        r.node("/relu/Relu", "Relu");
        r.node("/maxpool/MaxPool", "MaxPool");
        int inplanes = width;
        int expansion = bottleneck ? 4 : 1;
        for (int i = 0; i < layers.length; i++) {
            int planes = width << i;
            int stride = i == 0 ? 1 : 2;
            for (int b = 0; b < layers[i]; b++) {
                String p = "layer" + (i + 1) + "." + b;
                String scope = "/layer" + (i + 1) + "/" + p + "/";
                String input = r.x;
                int out = planes * expansion;
                if (bottleneck) {
                    r.conv(p + ".conv1", planes, inplanes, 1, 1);
                    r.bn(p + ".bn1", planes);
                    r.node(scope + "relu/Relu", "Relu");
                    r.conv(p + ".conv2", planes, planes, 3, b == 0 ? stride : 1);
                    r.bn(p + ".bn2", planes);
                    r.node(scope + "relu_1/Relu", "Relu");
                    r.conv(p + ".conv3", out, planes, 1, 1);
                    r.bn(p + ".bn3", out);
                } else {
                    r.conv(p + ".conv1", planes, inplanes, 3, b == 0 ? stride : 1);
                    r.bn(p + ".bn1", planes);
                    r.node(scope + "relu/Relu", "Relu");
                    r.conv(p + ".conv2", planes, planes, 3, 1);
                    r.bn(p + ".bn2", planes);
                }
                String main = r.x;
                String shortcut = input;
                if (b == 0 && (stride != 1 || inplanes != out)) {
                    r.x = input;
                    r.conv(p + ".downsample.0", out, inplanes, 1, stride);
                    r.bn(p + ".downsample.1", out);
                    shortcut = r.x;
                }
                r.x = main;
                r.nodes.add(OnnxWriter.nodeMessage(scope + "Add", "Add", new String[] {main, shortcut},
                        new String[] {scope + "Add_output_0"}));
                r.x = scope + "Add_output_0";
                r.node(scope + "relu" + (bottleneck ? "_2" : "_1") + "/Relu", "Relu");
                inplanes = out;
            }
        }
        r.node("/avgpool/GlobalAveragePool", "GlobalAveragePool");
        r.node("/Flatten", "Flatten");
        r.state.f32("fc.weight", classes, inplanes).f32("fc.bias", classes);
        r.onnx.f32("fc.weight", classes, inplanes).f32("fc.bias", classes);
        r.onnxNames.put("fc", "fc.weight");
        r.parameters += (long) classes * inplanes + classes;
        r.nodes.add(OnnxWriter.nodeMessage("/fc/Gemm", "Gemm", new String[] {r.x, "fc.weight", "fc.bias"},
                new String[] {"output"}, OnnxWriter.floatAttribute("alpha", 1f), OnnxWriter.floatAttribute("beta", 1f),
                OnnxWriter.intAttribute("transB", 1)));
        return r;
    }

    private void conv(String module, int out, int in, int kernel, int stride) {
        state.f32(module + ".weight", out, in, kernel, kernel);
        parameters += (long) out * in * kernel * kernel;
        String w = "onnx::Conv_" + nextId++;
        String b = "onnx::Conv_" + nextId++;
        onnx.f32(w, out, in, kernel, kernel).f32(b, out);
        onnxNames.put(module, w);
        String scope = scope(module);
        String output = scope + "Conv_output_0";
        nodes.add(OnnxWriter.nodeMessage(scope + "Conv", "Conv", new String[] {x, w, b}, new String[] {output},
                OnnxWriter.intsAttribute("dilations", 1, 1), OnnxWriter.intAttribute("group", 1),
                OnnxWriter.intsAttribute("kernel_shape", kernel, kernel),
                OnnxWriter.intsAttribute("pads", kernel / 2, kernel / 2, kernel / 2, kernel / 2),
                OnnxWriter.intsAttribute("strides", stride, stride)));
        x = output;
    }

    private void bn(String module, int channels) {
        for (String part : new String[] {"weight", "bias", "running_mean", "running_var"}) {
            state.f32(module + "." + part, channels);
        }
        state.add(module + ".num_batches_tracked", DType.I64);
        parameters += 2L * channels;
    }

    private void node(String name, String op) {
        String output = name.replace('/', '_') + "_output_0";
        nodes.add(OnnxWriter.nodeMessage(name, op, new String[] {x}, new String[] {output}));
        x = output;
    }

    /** The exporter's scope of a module: {@code layer2.0.downsample.0} is {@code /layer2/layer2.0/downsample/downsample.0/}. */
    static String scope(String module) {
        String[] parts = module.split("\\.");
        StringBuilder s = new StringBuilder("/");
        String qualified = null;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean index = part.chars().allMatch(Character::isDigit);
            String name = index && qualified != null ? parts[i - 1] + "." + part : part;
            if (index && i > 0) {
                qualified = name;
            } else {
                qualified = part;
            }
            s.append(name).append('/');
        }
        return s.toString();
    }
}

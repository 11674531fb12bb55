package org.neuromfa.tensor.onnx;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of an ONNX graph ({@code NodeProto}: {@code input = 1}, {@code output = 2},
 * {@code name = 3}, {@code op_type = 4}, {@code attribute = 5}, {@code domain = 7}). Architectures use nodes to learn which
 * operation consumes which initializer, because exporters name weights after the node that uses
 * them (for example {@code onnx::MatMul_885}).
 */
public final class OnnxNode {
    private final String name;
    private final String opType;
    private final String domain;
    private final List<String> inputs;
    private final List<String> outputs;
    private final Map<String, Long> intAttributes;

    public OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs) {
        this(name, opType, domain, inputs, outputs, Map.of());
    }

    /** With the node's single-integer attributes ({@code group} of a Conv, {@code transB} of a Gemm). */
    public OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                    Map<String, Long> intAttributes) {
        this.name = name;
        this.opType = opType;
        this.domain = domain;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.intAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(intAttributes));
    }

    /** The integer attribute {@code name} (AttributeProto {@code i}), or {@code fallback} when the node has none. */
    public long intAttribute(String name, long fallback) {
        Long v = intAttributes.get(name);
        return v == null ? fallback : v;
    }

    public String name() {
        return name;
    }

    public String opType() {
        return opType;
    }

    public String domain() {
        return domain;
    }

    public List<String> inputs() {
        return inputs;
    }

    public List<String> outputs() {
        return outputs;
    }

    @Override
    public String toString() {
        return opType + " " + name + " " + inputs + " -> " + outputs;
    }
}

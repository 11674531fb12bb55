package org.neuromfa.arch;

import java.util.Set;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.model.ModelConfig;
import org.neuromfa.tensor.TensorStore;

/** Finds the architecture of a checkpoint: from {@code config.json} when present, else from tensor names. */
public final class Architectures {
    /** The families {@link #detect} knows, for messages and the README. */
    public static final String SUPPORTED = "gpt_neox, gpt2, llama, mistral, qwen2, bert, roberta, xlm-roberta"
            + " (safetensors or ONNX), linear_stack, torchvision ResNet (also ONNX), diffusers UNet; any other model"
            + " with --wiring FILE.json";

    private static final Set<String> LLAMA = Set.of("llama", "mistral", "qwen2");
    private static final Set<String> BERT = Set.of("bert", "roberta", "xlm-roberta");

    private Architectures() {
    }

    public static Architecture detect(Checkpoint checkpoint) {
        return detect(checkpoint.config(), checkpoint.tensors(), ArchitectureOptions.defaults());
    }

    public static Architecture detect(Checkpoint checkpoint, QkvLayout layout) {
        return detect(checkpoint.config(), checkpoint.tensors(), layout);
    }

    public static Architecture detect(Checkpoint checkpoint, ArchitectureOptions options) {
        return detect(checkpoint.config(), checkpoint.tensors(), options);
    }

    public static Architecture detect(ModelConfig config, TensorStore tensors, QkvLayout layout) {
        return detect(config, tensors, ArchitectureOptions.defaults().withQkvLayout(layout));
    }

    /**
     * The architecture of {@code tensors} as {@code options} ask: by their wiring file when they name
     * one, else the detected family, with shapes from {@code config} (may be null: then the family
     * and shapes are inferred from tensor names and every block is checked).
     */
    public static Architecture detect(ModelConfig config, TensorStore tensors, ArchitectureOptions options) {
        QkvLayout layout = options.qkvLayout();
        if (options.hasWiring()) {
            if (layout != QkvLayout.THIRDS) {
                throw new NeuroMfaException(options.wiringFile(), "--qkv-layout heads does not apply with --wiring:"
                        + " the wiring file decides the connections");
            }
            return WiredArchitecture.of(options.wiring(), tensors, options.kernelAggregation(), options.wiringFile(), null);
        }
        KernelAggregation aggregation = options.kernelAggregation();
        if (config != null) {
            String type = config.modelType();
            String cls = config.architectureClass();
            if (type.equals("gpt_neox") || cls.startsWith("GPTNeoX")) {
                return GptNeoX.fromConfig(config, tensors, layout);
            }
            onlyThirds(layout, config.file());
            if (type.equals("gpt2") || cls.startsWith("GPT2")) {
                return Gpt2.fromConfig(config, tensors);
            }
            if (LLAMA.contains(type) || cls.startsWith("Llama") || cls.startsWith("Mistral") || cls.startsWith("Qwen2")) {
                return Llama.fromConfig(config, tensors);
            }
            if (BERT.contains(type) || cls.startsWith("Bert") || cls.startsWith("Roberta") || cls.startsWith("XLMRoberta")) {
                return BertOnnx.matches(tensors) ? BertOnnx.of(tensors, config) : Bert.fromConfig(config, tensors);
            }
            if (type.equals("linear_stack")) {
                return LinearStack.fromTensors(tensors);
            }
            // Vision and diffusion checkpoints come with configs of their own libraries (diffusers'
            // "_class_name", timm's "architecture"), so these families are told by their tensor names.
            if (UNet2D.isUNet(config) || UNet2D.matches(tensors)) {
                return UNet2D.of(tensors, aggregation);
            }
            if (ResNet.matches(tensors)) {
                return ResNet.of(tensors, aggregation);
            }
            String what = !type.isEmpty() ? "model_type '" + type + "'" : !cls.isEmpty() ? "architecture '" + cls + "'"
                    : "no model_type";
            throw new NeuroMfaException(config.file(), "unsupported architecture: " + what + " (supported: " + SUPPORTED + ")");
        }
        if (GptNeoX.matches(tensors)) {
            if (layout != QkvLayout.THIRDS) {
                throw new NeuroMfaException(tensors.name(), Message.setting("qkv_layout") + " heads needs num_attention_heads from a config.json beside the weights");
            }
            return GptNeoX.fromTensors(tensors);
        }
        onlyThirds(layout, tensors.name());
        if (Gpt2.matches(tensors)) {
            return Gpt2.fromTensors(tensors);
        }
        if (Llama.matches(tensors)) {
            return Llama.fromTensors(tensors);
        }
        if (Bert.matches(tensors)) {
            return Bert.fromTensors(tensors);
        }
        if (BertOnnx.matches(tensors)) {
            return BertOnnx.of(tensors, null);
        }
        if (UNet2D.matches(tensors)) {
            return UNet2D.of(tensors, aggregation);
        }
        if (ResNet.matches(tensors)) {
            return ResNet.of(tensors, aggregation);
        }
        if (LinearStack.matches(tensors)) {
            return LinearStack.fromTensors(tensors);
        }
        throw new NeuroMfaException(tensors.name(), "cannot tell the architecture: no config.json beside the weights"
                + " and the tensor names match no supported family (" + SUPPORTED + ")");
    }

    private static void onlyThirds(QkvLayout layout, String file) {
        if (layout != QkvLayout.THIRDS) {
            throw new NeuroMfaException(file, Message.setting("qkv_layout") + " heads applies to GPT-NeoX models only");
        }
    }
}

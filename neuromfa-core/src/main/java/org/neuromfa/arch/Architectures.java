package org.neuromfa.arch;

import org.neuromfa.NeuroMfaException;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.model.ModelConfig;
import org.neuromfa.tensor.TensorStore;

/** Finds the architecture of a checkpoint: from {@code config.json} when present, else from tensor names. */
public final class Architectures {
    private Architectures() {
    }

    public static Architecture detect(Checkpoint checkpoint) {
        ModelConfig config = checkpoint.config();
        TensorStore tensors = checkpoint.tensors();
        if (config != null) {
            String type = config.modelType();
            String cls = config.architectureClass();
            if (type.equals("gpt_neox") || cls.startsWith("GPTNeoX")) {
                return GptNeoX.fromConfig(config, tensors);
            }
            String what = !type.isEmpty() ? "model_type '" + type + "'" : !cls.isEmpty() ? "architecture '" + cls + "'"
                    : "no model_type";
            throw new NeuroMfaException(config.file(), "unsupported architecture: " + what + " (supported: gpt_neox)");
        }
        if (GptNeoX.matches(tensors)) {
            return GptNeoX.fromTensors(tensors);
        }
        throw new NeuroMfaException(tensors.name(), "cannot tell the architecture: no config.json beside the weights"
                + " and the tensor names match no supported family (gpt_neox)");
    }
}

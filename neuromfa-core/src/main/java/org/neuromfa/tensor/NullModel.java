package org.neuromfa.tensor;

import java.util.Locale;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;

/**
 * A null model of the weights (METHOD.md section 11): what a sample's network would look like if its
 * weights had no arrangement across neurons. Each applies to every sampled submatrix (the block of
 * weights between two sampled groups) as it is read, so it reads exactly the bytes the real analysis
 * reads and nothing more.
 *
 * <ul>
 *   <li>{@link #SHUFFLE}: the block's entries permuted uniformly at random (seeded). The block keeps
 *       its values (their distribution, scale, zeros and extremes) and loses which neuron pairs they
 *       connect: every node's distances become a random draw from the block's pooled values.
 *   <li>{@link #GAUSSIAN}: the block's entries replaced by independent normal draws with the block's
 *       own mean and standard deviation. It keeps only the scale (and centre) of the values and loses
 *       both their arrangement and the shape of their distribution (heavy tails, outliers, zeros).
 * </ul>
 *
 * <p>The fixed connections of an architecture (GPT-NeoX's attention mix of weight 1) are not weights
 * and stay as they are.
 */
public enum NullModel {
    /** The weights as they are: the analysis itself. */
    NONE("none"),
    SHUFFLE("shuffle"),
    GAUSSIAN("gaussian");

    private final String label;

    NullModel(String label) {
        this.label = label;
    }

    /** The name in options and results. */
    public String label() {
        return label;
    }

    /** What the null model keeps of the weights, in a few words (for results and reports). */
    public String keeps() {
        switch (this) {
            case SHUFFLE:
                return "each sampled block's values (distribution and scale), permuted across its neuron pairs";
            case GAUSSIAN:
                return "each sampled block's mean and standard deviation, values drawn from a normal distribution";
            default:
                return "everything";
        }
    }

    /** The null model named {@code text} (case and surrounding spaces ignored). */
    public static NullModel parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (NullModel m : values()) {
            if (m.label.equals(t)) {
                return m;
            }
        }
        throw new NeuroMfaException(Message.setting("null_model") + " must be shuffle, gaussian or none, not '" + text + "'");
    }

    /**
     * The weights of the sample of {@code seed} under this null model: {@code tensors} itself for
     * {@link #NONE}, else a view whose every read is permuted or redrawn, seeded by the sample's seed.
     */
    public TensorStore apply(TensorStore tensors, long seed) {
        return this == NONE ? tensors : new NullModelWeights(tensors, this, seed);
    }
}

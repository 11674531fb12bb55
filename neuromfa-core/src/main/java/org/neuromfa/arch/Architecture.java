package org.neuromfa.arch;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.neuromfa.network.Network;
import org.neuromfa.sample.SamplePlan;
import org.neuromfa.tensor.TensorStore;

/**
 * How one model family's weights become a neuron interaction network: which neuron groups exist, how
 * the reference draws a sample of them for a seed, and which weight (or fixed connection) links
 * each sampled neuron to the next group. One small class per family.
 */
public interface Architecture {

    /** The family's {@code model_type}, for example {@code gpt_neox}. */
    String family();

    /** Shapes that define the network, reported in results (for example hidden size and layers). */
    Map<String, Object> describe();

    /**
     * The neuron groups and the tensors that connect them, one line each, for {@code inspect}
     * (repetitive blocks may be summarised).
     */
    default List<String> wiring() {
        return List.of();
    }

    /**
     * The family's wiring as a {@link Wiring} description (what {@code inspect --wiring} prints), such
     * that {@link WiredArchitecture} built from it draws the same plans and builds the same networks;
     * null when the family has none (GPT-NeoX with {@code --qkv-layout heads}).
     */
    default Wiring wiringDescription() {
        return null;
    }

    /** Draws the sample of one seed: {@code k} neurons per layer, as the reference code does. */
    SamplePlan samplePlan(long seed, int k);

    /** Builds the sampled network, reading only the weight rows the plan needs. */
    Network network(SamplePlan plan, TensorStore tensors) throws IOException;
}

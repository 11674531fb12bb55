package org.neuromfa.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import org.neuromfa.network.Network;
import org.neuromfa.sample.SamplePlan;
import org.neuromfa.tensor.TensorStore;

/**
 * A family's wiring description, written as a wiring file and read back, wires the model exactly as
 * the family's own adapter: the same plans (groups, order and indices) and the same networks (node
 * ids, edges in the same order, the same weights), seed by seed.
 */
final class WiringEquivalence {
    private WiringEquivalence() {
    }

    /** The wired twin of {@code arch}, made from its description's JSON. */
    static WiredArchitecture twin(Architecture arch, TensorStore tensors) {
        Wiring description = arch.wiringDescription();
        assertThat(description).as(arch.family() + " has a wiring description").isNotNull();
        String json = WiringJson.write(description);
        Wiring back = WiringJson.parse("wiring.json", json.getBytes(StandardCharsets.UTF_8));
        assertThat(WiringJson.write(back)).as("the wiring file reads back to itself").isEqualTo(json);
        return WiredArchitecture.of(back, tensors, KernelAggregation.DEFAULT, "wiring.json", null);
    }

    static void assertSame(Architecture arch, TensorStore tensors, int k) throws IOException {
        WiredArchitecture wired = twin(arch, tensors);
        for (long seed = 0; seed < 3; seed++) {
            SamplePlan a = arch.samplePlan(seed, k);
            SamplePlan b = wired.samplePlan(seed, k);
            assertThat(new ArrayList<>(b.groups().keySet())).as("plan groups").isEqualTo(new ArrayList<>(a.groups().keySet()));
            for (Map.Entry<String, int[]> e : a.groups().entrySet()) {
                assertThat(b.get(e.getKey())).as("seed " + seed + " " + e.getKey()).containsExactly(e.getValue());
            }
            Network x = arch.network(a, tensors);
            Network y = wired.network(b, tensors);
            assertThat(y.nodeIds()).as("node ids").containsExactly(x.nodeIds());
            assertThat(y.offsets()).as("offsets").containsExactly(x.offsets());
            assertThat(y.targets()).as("targets").containsExactly(x.targets());
            assertThat(y.weights()).as("weights").containsExactly(x.weights());
        }
    }
}

package org.neuromfa.network;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Packing of edges into compressed rows, for node ids in a narrow range (bitmap and direct index) and
 * spread over the whole int range (sort and binary search). Expected rows are worked out by hand.
 */
class NetworkBuilderTest {

    private static Network build(int base, int stride) {
        NetworkBuilder b = new NetworkBuilder();
        int n0 = base;
        int n1 = base + stride;
        int n2 = base + 2 * stride;
        int n3 = base + 3 * stride;
        b.add(n2, n0, 0.5f);
        b.add(n0, n3, -1f);
        b.add(n0, n1, 0f); // dropped: zero weight
        b.add(n2, n3, 2f);
        b.add(n0, n2, 3f);
        return b.build();
    }

    private static void assertPacked(Network net, int base, int stride) {
        // Nodes ascending: n0, n2, n3 (n1 only appeared on the dropped edge).
        assertThat(net.nodeIds()).containsExactly(base, base + 2 * stride, base + 3 * stride);
        // n0 -> n3, n2 in insertion order; n2 -> n0, n3; n3 has no out-edge.
        assertThat(net.offsets()).containsExactly(0, 2, 4, 4);
        assertThat(net.targets()).containsExactly(2, 1, 0, 2);
        assertThat(net.weights()).containsExactly(-1f, 3f, 0.5f, 2f);
        assertThat(net.sourceNodeCount()).isEqualTo(2);
    }

    @Test
    void idsInANarrowRange() {
        assertPacked(build(1000, 7), 1000, 7);
    }

    @Test
    void idsSpreadOverTheIntRange() {
        assertPacked(build(-2_000_000_000, 1_300_000_000), -2_000_000_000, 1_300_000_000);
    }

    @Test
    void manyEdgesAgreeBetweenTheTwoPaths() {
        NetworkBuilder narrow = new NetworkBuilder();
        NetworkBuilder wide = new NetworkBuilder();
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int e = 0; e < 20_000; e++) {
            int s = r.nextInt(5000);
            int t = r.nextInt(5000);
            float w = (float) r.nextGaussian();
            narrow.add(s, t, w);
            wide.add(s * 400_000, t * 400_000, w);
        }
        Network a = narrow.build();
        Network b = wide.build();
        assertThat(a.offsets()).isEqualTo(b.offsets());
        assertThat(a.targets()).isEqualTo(b.targets());
        assertThat(a.weights()).isEqualTo(b.weights());
        for (int i = 0; i < a.nodeCount(); i++) {
            assertThat((long) b.nodeIds()[i]).isEqualTo(a.nodeIds()[i] * 400_000L);
        }
    }

    @Test
    void empty() {
        Network net = new NetworkBuilder().build();
        assertThat(net.nodeCount()).isZero();
        assertThat(net.offsets()).containsExactly(0);
    }
}

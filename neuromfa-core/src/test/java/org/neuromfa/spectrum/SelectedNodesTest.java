package org.neuromfa.spectrum;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.neuromfa.distance.NodeDistances;

/** The node filter (METHOD.md section 5.1), worked out by hand. */
class SelectedNodesTest {

    private static NodeDistances distances() {
        double[] a = {150.5, 2.5, 1.0, 3.5, 149.5, 7.2, 1.5, 4.4, 100, 2.5, 9, 12, 0.5};
        double[] b = {5, 6, 7};
        double[] c = {3.49, 10.5, 11.5, 1.01, 2.6, 8, 8, 8, 140.2, 33.3, 77.7, 1.2};
        double[] all = new double[a.length + b.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        System.arraycopy(c, 0, all, a.length + b.length, c.length);
        return new NodeDistances(new int[] {10, 20, 30},
                new int[] {0, a.length, a.length + b.length, all.length}, all);
    }

    @Test
    void keepsNodesWithMoreThanMinCountDistancesInTheWindowRoundedHalfEven() {
        SelectedNodes s = SelectedNodes.select(distances(), 150, 10);
        // Node 10 keeps 2.5 3.5 149.5 7.2 1.5 4.4 100 2.5 9 12 (150.5, 1.0 and 0.5 fall outside): 10,
        // not more than 10, so it is dropped. Node 20 has 3. Node 30 keeps all 12.
        assertThat(s.nodeIds()).containsExactly(30);
        assertThat(s.offsets()).containsExactly(0, 12);
        // 3.49->3 10.5->10 11.5->12 1.01->1 2.6->3 8 8 8 140.2->140 33.3->33 77.7->78 1.2->1, sorted.
        assertThat(s.rounded()).containsExactly(1, 1, 3, 3, 8, 8, 8, 10, 12, 33, 78, 140);
        assertThat(s.maxRounded()).isEqualTo(140);
    }

    @Test
    void lowerMinCount() {
        SelectedNodes s = SelectedNodes.select(distances(), 150, 2);
        assertThat(s.nodeIds()).containsExactly(10, 20, 30);
        assertThat(s.offsets()).containsExactly(0, 10, 13, 25);
        // 2.5->2 (half to even), 3.5->4, 149.5->150 (half to even), 7.2->7, 1.5->2, 4.4->4, 100, 2.5->2, 9, 12.
        assertThat(java.util.Arrays.copyOfRange(s.rounded(), 0, 10)).containsExactly(2, 2, 2, 4, 4, 7, 9, 12, 100, 150);
        assertThat(java.util.Arrays.copyOfRange(s.rounded(), 10, 13)).containsExactly(5, 6, 7);
        assertThat(s.maxRounded()).isEqualTo(150);
    }

    /** A huge threshold makes the values too spread for one counting sort; rows are then sorted one by one. */
    @Test
    void hugeThresholdGivesTheSameRows() {
        double[] l = new double[40];
        for (int i = 0; i < l.length; i++) {
            l[i] = i % 2 == 0 ? 1e9 - i * 1e7 : 3 + i;
        }
        SelectedNodes s = SelectedNodes.select(new NodeDistances(new int[] {5}, new int[] {0, 40}, l), 1e9, 10);
        int[] r = s.rounded();
        assertThat(r).hasSize(40);
        for (int i = 1; i < r.length; i++) {
            assertThat(r[i]).isGreaterThanOrEqualTo(r[i - 1]);
        }
        assertThat(r[0]).isEqualTo(4);
        assertThat(r[39]).isEqualTo(1_000_000_000);
        assertThat(s.maxRounded()).isEqualTo(1_000_000_000);
    }

    @Test
    void nothingSelected() {
        SelectedNodes s = SelectedNodes.select(distances(), 150, 100);
        assertThat(s.size()).isZero();
        assertThat(s.maxRounded()).isZero();
        assertThat(s.rounded()).isEmpty();
    }
}

package org.neuromfa.spectrum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.neuromfa.distance.NodeDistances;

/**
 * ln Z_q(r) against the definition computed directly (METHOD.md sections 5.2-5.4), for grids
 * and node degrees that change from call to call, so that the table of powers kept between calls is
 * exercised in every way it can be reused, grown or replaced.
 */
class PartitionFunctionTest {

    private static SelectedNodes nodes(long seed, int maxDegree) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 60;
        int[] offsets = new int[n + 1];
        for (int i = 0; i < n; i++) {
            offsets[i + 1] = offsets[i] + 11 + r.nextInt(maxDegree - 10);
        }
        double[] l = new double[offsets[n]];
        for (int e = 0; e < l.length; e++) {
            l[e] = 1.5 + r.nextDouble() * 60;
        }
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 3 * i;
        }
        return SelectedNodes.select(new NodeDistances(ids, offsets, l), 150, 10);
    }

    private static void assertMatchesDefinition(SelectedNodes s, QGrid grid) {
        PartitionFunction z = PartitionFunction.compute(s, grid);
        int[] radii = z.radii();
        int m = radii.length;
        for (int k = 0; k < grid.size(); k++) {
            double q = grid.get(k);
            for (int j = 0; j < m; j++) {
                double sum = 0;
                for (int i = 0; i < s.size(); i++) {
                    int full = s.offsets()[i + 1] - s.offsets()[i] + 1;
                    int mass = 1;
                    for (int e = s.offsets()[i]; e < s.offsets()[i + 1]; e++) {
                        if (s.rounded()[e] <= radii[j]) {
                            mass++;
                        }
                    }
                    sum += Math.pow((double) mass / full, q);
                }
                assertThat(z.logZ()[k * m + j]).as("q=%s r=%d", q, radii[j]).isCloseTo(Math.log(sum), within(1e-11));
            }
        }
    }

    @Test
    void matchesTheDefinitionAcrossGridsAndSizes() {
        QGrid reference = QGrid.reference();
        QGrid other = QGrid.of("-5", "4", "0.25");
        assertMatchesDefinition(nodes(1, 20), reference);
        assertMatchesDefinition(nodes(2, 80), reference); // larger masses: the table grows
        assertMatchesDefinition(nodes(3, 15), reference); // smaller: reused
        assertMatchesDefinition(nodes(4, 40), other); // another grid (not symmetric): replaced
        assertMatchesDefinition(nodes(5, 300), reference); // back, and much larger
    }

    @Test
    void sameResultWhateverWasComputedBefore() {
        SelectedNodes s = nodes(9, 50);
        QGrid grid = QGrid.reference();
        double[] first = PartitionFunction.compute(s, grid).logZ();
        PartitionFunction.compute(nodes(10, 400), QGrid.of("-3", "3", "0.5"));
        PartitionFunction.compute(nodes(11, 400), grid);
        assertThat(PartitionFunction.compute(s, grid).logZ()).isEqualTo(first);
    }
}

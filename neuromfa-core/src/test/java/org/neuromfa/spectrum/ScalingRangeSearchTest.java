package org.neuromfa.spectrum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --radius-range auto} on partition functions with a known scaling range: exact power laws
 * {@code Z_q(r) ~ (r/D)^tau(q)} between two radii, distorted tails outside them.
 */
class ScalingRangeSearchTest {
    private static final double[] TAU = {-2.0, 0.0, 1.5};

    /**
     * Radii 2..150; {@code ln Z_q(r) = tau(q) ln(r/D)} on {@code [lo, hi]}; below lo it stays at its
     * value at lo plus a bump that grows towards the smallest radii, above hi it saturates with a
     * wiggle (as masses do once every node's neighbourhood is whole). The q = 0 row is constant,
     * as ln Z_0 (the node count) is.
     */
    static PartitionFunction powerLawBetween(int lo, int hi, double distortion) {
        int[] radii = new int[149];
        for (int j = 0; j < radii.length; j++) {
            radii[j] = j + 2;
        }
        int m = radii.length;
        double d = radii[m - 1];
        double[] logZ = new double[TAU.length * m];
        for (int k = 0; k < TAU.length; k++) {
            for (int j = 0; j < m; j++) {
                int r = radii[j];
                double y;
                if (r < lo) {
                    y = TAU[k] * Math.log(lo / d) + distortion * TAU[k] * (lo - r) / 3.0;
                } else if (r > hi) {
                    y = TAU[k] * Math.log(hi / d) + distortion * TAU[k] * Math.sin(r) / 2;
                } else {
                    y = TAU[k] * Math.log(r / d);
                }
                logZ[k * m + j] = y;
            }
        }
        return PartitionFunction.stored(radii, logZ, TAU.length);
    }

    @Test
    void findsTheScalingRangeBetweenDistortedTails() {
        PartitionFunction z = powerLawBetween(12, 120, 1.0);
        ScalingRangeSearch.Choice c = ScalingRangeSearch.choose(List.of(z, z), 0.999);
        assertThat(c.outcome).isEqualTo(ScalingRangeSearch.Outcome.TARGET_REACHED);
        assertThat(c.lo).isEqualTo(12);
        assertThat(c.hi).isEqualTo(120);
        assertThat(c.lnSpan).isCloseTo(Math.log(10), within(1e-12));
        // ln(150 / 2) / 2: half of the whole range
        assertThat(c.minLnSpan).isCloseTo(Math.log(75) / 2, within(1e-12));
        MassExponents fit = MassExponents.fit(z, c.range);
        for (int k = 0; k < TAU.length; k++) {
            assertThat(fit.tau()[k]).isCloseTo(TAU[k], within(1e-9));
            assertThat(fit.rSquared()[k]).isGreaterThanOrEqualTo(0.999);
        }
        // Over all radii the tails bend the fit: tau is off and R^2 falls below the target.
        MassExponents all = MassExponents.fit(z);
        assertThat(Math.abs(all.tau()[0] - TAU[0])).isGreaterThan(0.1);
        assertThat(all.rSquared()[0]).isLessThan(0.999);
    }

    @Test
    void oneDistortedSampleNarrowsTheWindowForAllSamples() {
        ScalingRangeSearch.Choice c = ScalingRangeSearch.choose(
                List.of(powerLawBetween(12, 150, 1.0), powerLawBetween(16, 150, 1.0)), 0.999);
        assertThat(c.outcome).isEqualTo(ScalingRangeSearch.Outcome.TARGET_REACHED);
        assertThat(c.lo).isEqualTo(16);
        assertThat(c.hi).isEqualTo(150);
    }

    @Test
    void aCleanPowerLawKeepsEveryRadius() {
        ScalingRangeSearch.Choice c = ScalingRangeSearch.choose(List.of(powerLawBetween(2, 150, 0)), 0.999);
        assertThat(c.outcome).isEqualTo(ScalingRangeSearch.Outcome.TARGET_REACHED);
        assertThat(c.lo).isEqualTo(2);
        assertThat(c.hi).isEqualTo(150);
    }

    @Test
    void anUnreachableTargetGivesTheWindowWithTheBestWorstFit() {
        // The scaling range spans less than the minimum: no window of the minimum span is clean.
        PartitionFunction z = powerLawBetween(40, 120, 5.0);
        ScalingRangeSearch.Choice c = ScalingRangeSearch.choose(List.of(z), 0.9999999);
        assertThat(c.outcome).isEqualTo(ScalingRangeSearch.Outcome.BEST_FIT);
        assertThat(c.lnSpan).isGreaterThanOrEqualTo(c.minLnSpan);
        double chosen = ScalingRangeSearch.exactLowest(List.of(z), c.range);
        // no other window of the minimum span does better (checked on a coarse grid of windows)
        for (int lo = 2; lo < 150; lo += 3) {
            for (int hi = lo + 4; hi <= 150; hi += 3) {
                if (Math.log((double) hi / lo) >= c.minLnSpan) {
                    assertThat(ScalingRangeSearch.exactLowest(List.of(z), RadiusRange.of(lo, hi)))
                            .isLessThanOrEqualTo(chosen + 1e-9);
                }
            }
        }
    }

    @Test
    void tooFewRadiiForAnyWindowFitAll() {
        PartitionFunction z = PartitionFunction.stored(new int[] {2, 3, 5, 9}, new double[] {1, 2, 3, 4}, 1);
        ScalingRangeSearch.Choice c = ScalingRangeSearch.choose(List.of(z), 0.9);
        assertThat(c.outcome).isEqualTo(ScalingRangeSearch.Outcome.ALL_RADII);
        assertThat(c.range.isAll()).isTrue();
        assertThat(c.lo).isEqualTo(2);
        assertThat(c.hi).isEqualTo(9);
    }

    @Test
    void logSpacedEndsKeepBothEndsAndAscend() {
        int[] radii = new int[1000];
        for (int i = 0; i < radii.length; i++) {
            radii[i] = i + 1;
        }
        int[] ends = ScalingRangeSearch.logSpaced(radii, 50);
        assertThat(ends[0]).isEqualTo(1);
        assertThat(ends[ends.length - 1]).isEqualTo(1000);
        assertThat(ends.length).isLessThanOrEqualTo(50);
        for (int i = 1; i < ends.length; i++) {
            assertThat(ends[i]).isGreaterThan(ends[i - 1]);
        }
    }
}

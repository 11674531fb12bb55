package org.neuromfa.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The growth rate of E over log10(step) and the test of two growth rates, against numbers worked
 * out by hand, with Student's t from its closed forms for 1 and 3 degrees of freedom
 * ({@code F1(t) = 1/2 + atan(t)/pi}, so {@code t(0.975, 1) = tan(0.475 pi)};
 * {@code F3(t) = 1/2 + (u/(1+u^2) + atan u)/pi} with {@code u = t/sqrt 3}).
 */
class EmergenceGrowthTest {

    @Test
    void slopeIntervalAndFitOverDecadesOfSteps() {
        // Steps 0 (baseline, left out), 10, 100, 1000: x = 1, 2, 3; E = 0.1, 0.3, 0.4.
        EmergenceGrowth g = EmergenceGrowth.of(new long[] {0, 10, 100, 1000}, new double[] {0, 0.1, 0.3, 0.4});
        assertThat(g.n).isEqualTo(3);
        assertThat(g.steps).containsExactly(10, 100, 1000);
        // Sxx = 2, Sxy = (-1)(0.1 - 0.8/3) + (1)(0.4 - 0.8/3) = 0.3: slope 0.15 per decade.
        assertThat(g.slope).isCloseTo(0.15, within(1e-12));
        assertThat(g.intercept).isCloseTo(0.8 / 3 - 0.15 * 2, within(1e-12));
        // Residuals -1/60, 1/30, -1/60: SSR = 1/600, stderr = sqrt(SSR / 1 / 2).
        double se = Math.sqrt(1.0 / 600 / 2);
        assertThat(g.slopeStderr).isCloseTo(se, within(1e-12));
        double t = Math.tan(0.475 * Math.PI);
        assertThat(g.low).isCloseTo(0.15 - t * se, within(1e-9));
        assertThat(g.high).isCloseTo(0.15 + t * se, within(1e-9));
        // SST = 0.14/3: R^2 = 1 - (1/600) / (0.14/3).
        assertThat(g.rSquared).isCloseTo(1 - (1.0 / 600) / (0.14 / 3), within(1e-12));
    }

    @Test
    void twoGrowthRatesAreComparedByTheirStandardErrors() {
        EmergenceGrowth a = EmergenceGrowth.of(new long[] {10, 100, 1000}, new double[] {0.1, 0.3, 0.4});
        // x = 1..4, E = 0, 0.05, 0.1, 0.2: Sxx = 5, Sxy = 0.325, slope 0.065; residuals 0.01, -0.005, -0.02, 0.015.
        EmergenceGrowth b = EmergenceGrowth.of(new long[] {10, 100, 1000, 10000}, new double[] {0, 0.05, 0.1, 0.2});
        assertThat(b.slope).isCloseTo(0.065, within(1e-12));
        assertThat(b.slopeStderr).isCloseTo(Math.sqrt(0.00075 / 2 / 5), within(1e-12));
        EmergenceGrowth.Difference d = EmergenceGrowth.Difference.of(a, b);
        assertThat(d.difference).isCloseTo(0.085, within(1e-12));
        double se = Math.sqrt(1.0 / 1200 + 0.000075);
        assertThat(d.stderr).isCloseTo(se, within(1e-12));
        assertThat(d.t).isCloseTo(0.085 / se, within(1e-9));
        assertThat(d.degreesOfFreedom).isEqualTo(3);
        double u = d.t / Math.sqrt(3);
        double upper = 0.5 - (u / (1 + u * u) + Math.atan(u)) / Math.PI;
        assertThat(d.p).isCloseTo(2 * upper, within(1e-9));
        assertThat(d.p).isBetween(0.05, 0.1);
        // Antisymmetric.
        EmergenceGrowth.Difference back = EmergenceGrowth.Difference.of(b, a);
        assertThat(back.t).isCloseTo(-d.t, within(1e-12));
        assertThat(back.p).isCloseTo(d.p, within(1e-12));
    }

    @Test
    void tooFewCheckpointsLeaveWhatCannotBeEstimatedUndefined() {
        EmergenceGrowth two = EmergenceGrowth.of(new long[] {0, 100, 10000}, new double[] {0, 0.2, 0.6});
        assertThat(two.slope).isCloseTo(0.2, within(1e-12));
        assertThat(two.slopeStderr).isNaN();
        assertThat(two.low).isNaN();
        assertThat(two.high).isNaN();
        assertThat(EmergenceGrowth.Difference.of(two, two).p).isNaN();
        EmergenceGrowth one = EmergenceGrowth.of(new long[] {0, 100}, new double[] {0, 0.2});
        assertThat(one.n).isEqualTo(1);
        assertThat(one.slope).isNaN();
        // A non-finite E (every seed filtered out) is left out, not propagated.
        EmergenceGrowth gap = EmergenceGrowth.of(new long[] {10, 100, 1000}, new double[] {0.1, Double.NaN, 0.3});
        assertThat(gap.n).isEqualTo(2);
        assertThat(gap.slope).isCloseTo(0.1, within(1e-12));
    }
}

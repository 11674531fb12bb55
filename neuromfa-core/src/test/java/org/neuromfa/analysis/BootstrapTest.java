package org.neuromfa.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.sample.SamplePlan;
import org.neuromfa.spectrum.MassExponents;
import org.neuromfa.spectrum.SingularitySpectrum;

/** The bootstrap over seeds: percentiles by hand, draws pinned, intervals that cover what they should. */
class BootstrapTest {

    static SampleResult sample(long seed, boolean kept, double alpha0, double width) {
        return new SampleResult(new SamplePlan(seed, Map.of()), 0, 0, 0, 0,
                MassExponents.stored(new double[0], new double[0], new double[0], 0, 0, 0),
                SingularitySpectrum.stored(new double[0], new double[0], alpha0, width), kept, null);
    }

    @Test
    void percentilesInterpolateBetweenOrderStatistics() {
        // type 7: position (n - 1) p; for 1..5 at 0.025: 1 + 4 * 0.025 = 1.1, at 0.975: 4.9
        Bootstrap.Interval i = Bootstrap.percentile(new double[] {5, 3, 1, 4, 2, Double.NaN});
        assertThat(i.low).isCloseTo(1.1, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(i.high).isCloseTo(4.9, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(Bootstrap.percentile(new double[] {Double.NaN}).defined()).isFalse();
        assertThat(Bootstrap.percentile(new double[] {2.5})).isEqualTo(new Bootstrap.Interval(2.5, 2.5));
    }

    @Test
    void drawsDependOnlyOnTheSeedAndTheNumberOfSeeds() {
        Bootstrap b = Bootstrap.of(100, 42);
        int[][] d = b.draws(7);
        assertThat(Bootstrap.of(100, 42).draws(7)).isDeepEqualTo(d);
        assertThat(Bootstrap.of(100, 43).draws(7)).isNotEqualTo(d);
        for (int[] row : d) {
            assertThat(row).hasSize(7);
            for (int v : row) {
                assertThat(v).isBetween(0, 6);
            }
        }
        // Pinned: a change of generator or draw order would move every interval ever reported.
        assertThat(d[0]).containsExactly(new SplitMixFirstRow().of(42, 7));
    }

    /** The first resample worked out from the generator's definition, independently of Bootstrap. */
    static final class SplitMixFirstRow {
        int[] of(long seed, int n) {
            org.neuromfa.base.SplitMix64 r = new org.neuromfa.base.SplitMix64(seed);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = r.nextInt(n);
            }
            return out;
        }
    }

    @Test
    void equalSamplesGiveAPointInterval() {
        List<SampleResult> s = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            s.add(sample(i, true, 1.25, 0.5));
        }
        Bootstrap.Interval[] iv = Bootstrap.of(200, 0).meanIntervals(s);
        assertThat(iv[0]).isEqualTo(new Bootstrap.Interval(1.25, 1.25));
        assertThat(iv[1]).isEqualTo(new Bootstrap.Interval(0.5, 0.5));
    }

    /** Two values 0 and 1: the resampled mean is 0, 1/2, 1 with chances 1/4, 1/2, 1/4, so the 95% interval is [0, 1]. */
    @Test
    void twoSeedsGiveTheWholeRange() {
        Bootstrap.Interval[] iv = Bootstrap.of(10_000, 1).meanIntervals(List.of(sample(0, true, 0, 2), sample(1, true, 1, 4)));
        assertThat(iv[0]).isEqualTo(new Bootstrap.Interval(0, 1));
        assertThat(iv[1]).isEqualTo(new Bootstrap.Interval(2, 4));
    }

    @Test
    void theIntervalLiesWithinTheSamplesAndAroundTheMean() {
        List<SampleResult> s = new ArrayList<>();
        double[] a = {1.9, 2.1, 2.0, 2.4, 1.7, 2.2, 2.05, 1.95, 2.3, 1.85};
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            s.add(sample(i, true, a[i], 1));
            sum += a[i];
        }
        s.add(sample(99, false, 100, 100)); // not kept: never counted
        Bootstrap.Interval iv = Bootstrap.of(2000, 5).meanIntervals(s)[0];
        double mean = sum / a.length;
        assertThat(iv.low).isLessThan(mean).isGreaterThan(1.7);
        assertThat(iv.high).isGreaterThan(mean).isLessThan(2.4);
        // roughly the mean plus or minus 1.96 standard errors (0.064 here)
        assertThat(iv.high - iv.low).isBetween(0.15, 0.35);
    }

    /**
     * Pinned to the bit: the same on JDK 17 and 25 when this was written (integer draws, then sums in
     * order, a sort and one interpolation). A change here moves every interval users have reported.
     */
    @Test
    void intervalsArePinned() {
        double[] a = {1.9, 2.1, 2.0, 2.4, 1.7, 2.2, 2.05, 1.95, 2.3, 1.85};
        List<SampleResult> s = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            s.add(sample(i, true, a[i], a[i] / 3));
        }
        Bootstrap.Interval[] iv = Bootstrap.of(2000, 5).meanIntervals(s);
        assertThat(iv[0]).isEqualTo(new Bootstrap.Interval(1.929875, 2.1699999999999995));
        assertThat(iv[1]).isEqualTo(new Bootstrap.Interval(0.6432916666666666, 0.7233333333333333));
        assertThat(Bootstrap.of(10, 5).draws(10)[9]).containsExactly(5, 1, 6, 7, 7, 9, 7, 3, 5, 9);
    }

    @Test
    void tooFewResamplesIsAnError() {
        assertThatThrownBy(() -> Bootstrap.of(5, 0)).isInstanceOf(NeuroMfaException.class).hasMessageContaining("10");
        assertThat(Bootstrap.NONE.enabled()).isFalse();
    }
}

package org.neuromfa.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Correlation and the scaling fit against scipy 1.17.1 (numbers recorded from the computations quoted). */
class StatisticsTest {

    /**
     * scipy.stats.linregress(np.log([70e6, 160e6, 410e6, 1.4e9]), [0.11, 0.19, 0.24, 0.35]):
     * slope 0.07766732718040144, intercept -1.289024551246811, rvalue**2 0.9903011220550669,
     * pvalue 0.004861254871931452, stderr 0.005435011574986174.
     */
    @Test
    void scalingFitMatchesScipyLinregress() {
        ScalingFit f = ScalingFit.of(new long[] {70_000_000L, 160_000_000L, 410_000_000L, 1_400_000_000L},
                new double[] {0.11, 0.19, 0.24, 0.35});
        assertThat(f.n).isEqualTo(4);
        assertThat(f.slope).isCloseTo(0.07766732718040144, within(1e-12));
        assertThat(f.intercept).isCloseTo(-1.289024551246811, within(1e-12));
        assertThat(f.rSquared).isCloseTo(0.9903011220550669, within(1e-12));
        assertThat(f.slopeP).isCloseTo(0.004861254871931452, within(1e-12));
        assertThat(f.slopeStderr).isCloseTo(0.005435011574986174, within(1e-12));
    }

    @Test
    void twoModelsGiveALineButNoInference() {
        ScalingFit f = ScalingFit.of(new long[] {100, 1000}, new double[] {0.1, 0.3});
        assertThat(f.slope).isCloseTo(0.2 / Math.log(10), within(1e-15));
        assertThat(f.slopeP).isNaN();
        assertThat(f.slopeStderr).isNaN();
    }

    /**
     * Ties and a monotone but non-linear relation. scipy.stats.pearsonr([1,2,3,4,5,6],[1,4,9,16,25,25]):
     * r = 0.9796764978354854, p = 0.0006153698525104889;
     * spearmanr: rho = 0.9856107606091623 (average ranks 5.5, 5.5 for the ties), p = 0.00030908566784966984.
     */
    @Test
    void correlationMatchesScipy() {
        Correlation c = Correlation.of(new double[] {1, 2, 3, 4, 5, 6}, new double[] {1, 4, 9, 16, 25, 25});
        assertThat(c.n).isEqualTo(6);
        assertThat(c.pearsonR).isCloseTo(0.9796764978354854, within(1e-12));
        assertThat(c.pearsonP).isCloseTo(0.0006153698525104889, within(1e-12));
        assertThat(c.spearmanRho).isCloseTo(0.9856107606091623, within(1e-12));
        assertThat(c.spearmanP).isCloseTo(0.00030908566784966984, within(1e-12));
    }

    @Test
    void degenerateSeriesAreNaN() {
        assertThat(Correlation.of(new double[] {1, 2, 3}, new double[] {2, 2, 2}).pearsonR).isNaN();
        Correlation two = Correlation.of(new double[] {1, 2}, new double[] {3, 5});
        assertThat(two.pearsonR).isEqualTo(1.0);
        assertThat(two.pearsonP).isNaN();
        assertThat(Correlation.of(new double[0], new double[0]).n).isZero();
    }

    @Test
    void emergenceFormula() {
        // METHOD.md section 6.2 by hand: (0.5 / 0.4) * ln(1.2 / 1.0) = python3: 1.25*math.log(1.2).
        assertThat(EmergenceDegree.of(1.2, 0.4, 1.0, 0.5)).isCloseTo(0.22790194599244323, within(1e-15));
        assertThat(EmergenceDegree.of(1.2, 0.4, 1.2, 0.4)).isZero();
    }
}

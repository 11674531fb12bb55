package org.neuromfa.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neuromfa.sample.SamplePlan;
import org.neuromfa.spectrum.MassExponents;
import org.neuromfa.spectrum.SingularitySpectrum;

/** Means and spreads over the kept samples, and the mean spectrum, worked out by hand (python3 for the roots). */
class SampleStatisticsTest {

    private static SampleResult sample(long seed, boolean kept, double alpha0, double width, double[] alpha, double[] f) {
        return new SampleResult(new SamplePlan(seed, Map.of()), 0, 0, 0, 0,
                MassExponents.stored(new double[0], new double[0], new double[0], 0, 0, 0),
                SingularitySpectrum.stored(alpha, f, alpha0, width), kept, null);
    }

    @Test
    void meansAndSpreadsAreOverTheKeptSamplesOnly() {
        double[] none = new double[0];
        SampleStatistics s = SampleStatistics.of(List.of(
                sample(0, true, 1.0, 0.5, none, none),
                sample(1, false, 100.0, 9.0, none, none),
                sample(2, true, 2.0, 0.25, none, none),
                sample(3, true, 4.0, 0.75, none, none)));
        assertThat(s.kept()).isEqualTo(3);
        // python3: 7/3 = 2.3333333333333335; sqrt(((1-7/3)**2+(2-7/3)**2+(4-7/3)**2)/2) = 1.5275252316519465
        assertThat(s.alpha0Mean()).isEqualTo(2.3333333333333335);
        assertThat(s.alpha0Std()).isEqualTo(1.5275252316519465);
        assertThat(s.widthMean()).isEqualTo(0.5);
        assertThat(s.widthStd()).isEqualTo(0.25);
        assertThat(s.meanSpectrum()).isNull();
    }

    @Test
    void undefinedStatisticsAreNaN() {
        double[] none = new double[0];
        SampleStatistics nothingKept = SampleStatistics.of(List.of(sample(0, false, 1.0, 0.5, none, none)));
        assertThat(nothingKept.kept()).isZero();
        assertThat(nothingKept.alpha0Mean()).isNaN();
        assertThat(nothingKept.widthStd()).isNaN();
        SampleStatistics one = SampleStatistics.of(List.of(sample(0, true, 1.5, 0.5, none, none)));
        assertThat(one.alpha0Mean()).isEqualTo(1.5);
        assertThat(one.alpha0Std()).isNaN();
        assertThat(SampleStatistics.mean(new double[] {3, 4}, 0)).isNaN();
        assertThat(SampleStatistics.standardDeviation(new double[] {3}, 1, 3)).isNaN();
    }

    /**
     * The mean spectrum: kept samples whose spectrum has as many points as the first kept sample with
     * points; a point where a mean is not finite is dropped.
     */
    @Test
    void theMeanSpectrumAveragesTheKeptSpectraOfTheFirstLength() {
        SampleStatistics s = SampleStatistics.of(List.of(
                sample(0, true, 1, 1, new double[0], new double[0]),
                sample(1, true, 1, 1, new double[] {1, 2, 3}, new double[] {0, -1, -2}),
                sample(2, false, 1, 1, new double[] {100, 100, 100}, new double[] {100, 100, 100}),
                sample(3, true, 1, 1, new double[] {3, 4}, new double[] {7, 7}),
                sample(4, true, 1, 1, new double[] {2, 3, Double.NaN}, new double[] {-1, -2, -3})));
        double[][] mean = s.meanSpectrum();
        assertThat(mean[0]).containsExactly(1.5, 2.5);
        assertThat(mean[1]).containsExactly(-0.5, -1.5);
    }
}

package org.neuromfa.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neuromfa.analysis.Bootstrap;
import org.neuromfa.analysis.CheckpointInfo;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.sample.SamplePlan;
import org.neuromfa.spectrum.MassExponents;
import org.neuromfa.spectrum.SingularitySpectrum;

/** E's bootstrap interval: the baseline is resampled with the same seeds, so its uncertainty counts. */
class EmergenceIntervalTest {
    private static final CheckpointInfo INFO = new CheckpointInfo(Map.of(), 0, null);

    private static SampleResult sample(long seed, double alpha0, double width) {
        return new SampleResult(new SamplePlan(seed, Map.of()), 0, 0, 0, 0,
                MassExponents.stored(new double[0], new double[0], new double[0], 0, 0, 0),
                SingularitySpectrum.stored(new double[0], new double[0], alpha0, width), true, null);
    }

    private static TrajectoryPoint[] pair(double[] baseAlpha0, double[] alpha0, Bootstrap b) {
        List<SampleResult> base = new ArrayList<>();
        List<SampleResult> later = new ArrayList<>();
        for (int i = 0; i < alpha0.length; i++) {
            base.add(sample(i, baseAlpha0[i], 1));
            later.add(sample(i, alpha0[i], 1));
        }
        TrajectoryPoint p0 = new TrajectoryPoint("a", "step0", 0L, null, INFO, base, null, b, null);
        return new TrajectoryPoint[] {p0, new TrajectoryPoint("b", "step1", 1L, null, INFO, later, p0, b, null)};
    }

    @Test
    void aNoisyBaselineWidensEsIntervalEvenWhenTheCheckpointIsExact() {
        double[] noisy = {1.2, 1.6, 1.4, 1.9, 1.1, 1.5, 1.3, 1.7};
        double[] exact = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
        TrajectoryPoint[] p = pair(noisy, exact, Bootstrap.of(1000, 2));
        assertThat(p[1].alpha0Interval).isEqualTo(new Bootstrap.Interval(1.0, 1.0));
        Bootstrap.Interval e = p[1].emergenceInterval;
        assertThat(e.high - e.low).isGreaterThan(0.1);
        // E = ln(mean baseline alpha0 / 1) lies inside
        assertThat(e.low).isLessThan(p[1].emergence);
        assertThat(e.high).isGreaterThan(p[1].emergence);
        assertThat(p[0].emergenceInterval).isEqualTo(new Bootstrap.Interval(0.0, 0.0));
    }

    /** Seeds that move together at both checkpoints (the same neurons) cancel in E: the pairing counts. */
    @Test
    void pairedSeedsThatMoveTogetherGiveANarrowInterval() {
        double[] base = {1.2, 1.6, 1.4, 1.9, 1.1, 1.5, 1.3, 1.7};
        double[] later = new double[base.length];
        double[] shuffled = new double[base.length];
        for (int i = 0; i < base.length; i++) {
            later[i] = base[i] / 1.5; // every seed's E is ln 1.5
            shuffled[i] = base[(i + 3) % base.length] / 1.5;
        }
        Bootstrap b = Bootstrap.of(1000, 2);
        Bootstrap.Interval paired = pair(base, later, b)[1].emergenceInterval;
        Bootstrap.Interval unpaired = pair(base, shuffled, b)[1].emergenceInterval;
        assertThat(paired.high - paired.low).isLessThan(0.05);
        assertThat(unpaired.high - unpaired.low).isGreaterThan(4 * (paired.high - paired.low));
    }
}

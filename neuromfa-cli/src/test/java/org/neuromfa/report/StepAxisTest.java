package org.neuromfa.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The training-step axis: step 0 apart, and tick labels that name round steps only. */
class StepAxisTest {
    @Test
    void ticksBetweenDecadesAreLabelledOnlyAtRoundSteps() {
        StepAxis axis = StepAxis.of(new long[] {0, 1000, 2000});
        assertThat(axis.x(0)).isEqualTo(2.0);
        assertThat(axis.label(2.0)).isEqualTo("0");
        assertThat(axis.label(3.0)).isEqualTo("1,000");
        assertThat(axis.label(3.0 + Math.log10(2) + 1e-4)).isEqualTo("2,000");
        assertThat(axis.label(3.3)).isEqualTo("2,000");
        assertThat(axis.label(3.7)).isEqualTo("5,000");
        assertThat(axis.label(3.5)).isEqualTo("3,160");
        // 10^2.8 = 631 and 10^3.1 = 1,259 are no steps anybody would name: no visible label.
        assertThat(axis.label(2.8)).matches("\u200b[ \u200b]{7}");
        assertThat(axis.label(3.1)).matches("\u200b[ \u200b]{7}");
        assertThat(axis.label(0.5 + 2)).matches("\u200b[ \u200b]{7}");
        // Small steps too: 2, 5, 20.
        StepAxis small = StepAxis.of(new long[] {1, 100});
        assertThat(small.label(Math.log10(2))).isEqualTo("2");
        assertThat(small.label(0.7)).isEqualTo("5");
        assertThat(small.label(1.3)).isEqualTo("20");
        assertThat(small.label(0.5)).isEqualTo("3.16");
    }

    @Test
    void everyTickHasItsOwnLabel() {
        // XChart drops ticks whose labels repeat, so labels must differ even when invisible. Its
        // spacings are 1, 2, 2.5 or 5 times a power of ten, with fewer than 127 ticks on an axis.
        StepAxis axis = StepAxis.of(new long[] {0, 1, 143000});
        for (double spacing : new double[] {0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1}) {
            Set<String> labels = new HashSet<>();
            int ticks = (int) Math.min(126, Math.floor(6.2 / spacing));
            for (int i = 0; i <= ticks; i++) {
                String label = axis.label(-1 + i * spacing);
                // XChart takes no label over 20 characters (its search for ticks that fit would not end).
                assertThat(label.length()).isLessThanOrEqualTo(20);
                labels.add(label);
            }
            ticks++;
            assertThat(labels).as("spacing " + spacing).hasSize(ticks);
        }
    }

    /** Charts over many step ranges are drawn (a label XChart cannot fit would make it search for ticks forever). */
    @Test
    @org.junit.jupiter.api.Timeout(120)
    void chartsOverManyStepRangesAreDrawn() throws Exception {
        long[][] ranges = {{0, 1000, 2000}, {0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000, 3000, 13000, 143000},
            {1, 2}, {0, 143000}, {5000, 5100}, {0}};
        for (long[] steps : ranges) {
            double[] e = new double[steps.length];
            double[] v = new double[steps.length];
            double[] sd = new double[steps.length];
            for (int i = 0; i < e.length; i++) {
                e[i] = 0.02 * i;
                v[i] = 0.2 + 0.01 * i;
                sd[i] = 0.005;
            }
            org.neuromfa.study.BenchmarkCorrelation.Series s = new org.neuromfa.study.BenchmarkCorrelation.Series("t", 0,
                    steps, e, sd, v, org.neuromfa.study.Correlation.of(e, v), new long[0], new long[0], steps, v);
            Chart c = Plots.benchmarkOverSteps(s, "acc");
            assertThat(c.png()).as(java.util.Arrays.toString(steps)).isNotEmpty();
            assertThat(c.svg("t")).contains("<svg");
        }
    }
}

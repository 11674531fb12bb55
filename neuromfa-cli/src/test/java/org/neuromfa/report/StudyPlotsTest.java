package org.neuromfa.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYSeries;
import org.neuromfa.io.CorrelationJson;
import org.neuromfa.io.ScalingJson;
import org.neuromfa.study.BenchmarkCorrelation;
import org.neuromfa.study.Correlation;
import org.neuromfa.study.ScalingComparison;
import org.neuromfa.study.ScalingFit;

/** The spread over seeds on the benchmark and scaling plots: horizontal bars on the scatter (E is its x), vertical on scaling. */
class StudyPlotsTest {
    private static final String BARS = "E \u00b11 s.d. over seeds";

    private static BenchmarkCorrelation.Series series(double[] sd) {
        long[] steps = {0, 1000, 13000, 143000};
        double[] e = {0, 0.09, 0.19, 0.33};
        double[] v = {0.2, 0.3, 0.35, 0.5};
        return new BenchmarkCorrelation.Series("sciq", 0, steps, e, sd, v, Correlation.of(e, v), new long[0],
                new long[0], steps, v);
    }

    private static List<String> legend(Chart c) {
        return c.chart.getSeriesCollection().stream().map(XYSeries::getName).collect(Collectors.toList());
    }

    private static List<XYSeries> bars(Chart c) {
        return c.chart.getSeriesCollection().stream().filter(s -> s.getName().equals(BARS)
                || s.getName().startsWith("E s.d. ")).collect(Collectors.toList());
    }

    private static void close(double[] actual, double... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("[" + i + "]").isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-12));
        }
    }

    @Test
    void theScatterHasAHorizontalBarOfEsSpreadAtEveryPoint() {
        BenchmarkCorrelation.Series s = series(new double[] {0, 0.01, 0.02, Double.NaN});
        Chart c = Plots.benchmarkScatter(s, "acc");
        List<XYSeries> bars = bars(c);
        // Step 0 has a bar of zero length; the last point's spread is unknown, so it has none.
        assertThat(bars).hasSize(3);
        assertThat(bars.get(0).getName()).isEqualTo(BARS);
        assertThat(bars.get(0).isShowInLegend()).isTrue();
        assertThat(bars.get(1).isShowInLegend()).isFalse();
        XYSeries second = bars.get(1);
        // Across from E + s.d. to E - s.d., at the benchmark's value, with a cap at each end.
        close(second.getXData(), 0.1, 0.1, 0.1, 0.08, 0.08, 0.08);
        assertThat(second.getYData()[2]).isEqualTo(0.3);
        assertThat(second.getYData()[3]).isEqualTo(0.3);
        assertThat(second.getYData()[1]).isGreaterThan(0.3);
        assertThat(second.getYData()[0]).isLessThan(0.3);
        // E over training carries the same spread as vertical bars.
        Chart over = Plots.benchmarkOverSteps(s, "acc");
        assertThat(bars(over)).hasSize(3);
        close(bars(over).get(2).getYData(), 0.21, 0.21, 0.21, 0.17, 0.17, 0.17);
    }

    @Test
    void aCorrelationFileWrittenBeforeTheSpreadReadsAsUnknownAndDrawsNoBars() {
        ObjectNode file = CorrelationJson.of(BenchmarkCorrelation.stored("acc", List.of(series(new double[] {0, 0.01,
                0.02, 0.03})), null, List.of(), List.of(), List.of()), "t.json", List.of("b"));
        ArrayNode tasks = (ArrayNode) file.get("tasks");
        assertThat(tasks.get(0).get("emergence_std")).hasSize(4);
        ((ObjectNode) tasks.get(0)).remove("emergence_std");
        BenchmarkCorrelation.Series back = CorrelationJson.parse(file).correlation.tasks.get(0);
        assertThat(java.util.Arrays.stream(back.emergenceStd).boxed()).hasSize(4).allMatch(d -> d.isNaN());
        assertThat(bars(Plots.benchmarkScatter(back, "acc"))).isEmpty();
    }

    private static ScalingComparison scaling(double sd) {
        List<ScalingComparison.Model> models = List.of(
                new ScalingComparison.Model("small", "step1000", "m", 70_426_624, 0.09, 1.2, 0.65, sd, 0.01, 0.02),
                new ScalingComparison.Model("medium", "step1000", "m", 162_322_944, 0.19, 1.1, 0.7, 0.3, 0.01, 0.02),
                new ScalingComparison.Model("large", "step1000", "m", 405_334_016, 0.26, 1.05, 0.74, 0.02, 0.01, 0.02));
        return new ScalingComparison(1000, models, ScalingFit.of(new long[] {70_426_624, 162_322_944, 405_334_016},
                new double[] {0.09, 0.19, 0.26}));
    }

    @Test
    void theScalingPlotHasAVerticalBarPerModelAndRoomForIt() {
        Chart c = Plots.scaling(scaling(0.01));
        List<XYSeries> bars = bars(c);
        assertThat(bars).hasSize(3);
        XYSeries medium = bars.get(1);
        assertThat(medium.getXData()[2]).isEqualTo(162_322_944.0);
        close(medium.getYData(), 0.49, 0.49, 0.49, -0.11, -0.11, -0.11);
        // Caps of the same width on screen on the log axis: the same ratio either side of every model.
        double ratio = medium.getXData()[1] / medium.getXData()[2];
        assertThat(bars.get(2).getXData()[1] / bars.get(2).getXData()[2]).isCloseTo(ratio,
                org.assertj.core.api.Assertions.within(1e-12));
        // The axis holds the longest bar (and the name written above it).
        assertThat(c.chart.getStyler().getYAxisMax()).isGreaterThan(0.49);
        assertThat(c.chart.getStyler().getYAxisMin()).isLessThan(0.19 - 0.3);
        // The JSON round trip keeps the spreads; without one (a single seed) a model has no bar.
        ScalingComparison back = ScalingJson.parse(ScalingJson.of(scaling(Double.NaN)));
        assertThat(back.models.get(0).emergenceStd).isNaN();
        assertThat(back.models.get(1).emergenceStd).isEqualTo(0.3);
        assertThat(back.models.get(1).alpha0Std).isEqualTo(0.01);
        assertThat(back.models.get(1).widthStd).isEqualTo(0.02);
        assertThat(bars(Plots.scaling(back))).hasSize(2);
        assertThat(new ObjectMapper().valueToTree(ScalingJson.of(back)).get("models").get(0).get("emergence_std")
                .isNull()).isTrue();
    }

    @Test
    void whereCheckpointsCrowdOnlySomeAreNamedAndTheLegendSaysSo() {
        // Four well apart: every one named, no note.
        Chart spread = Plots.benchmarkScatter(series(new double[] {0, 0.01, 0.02, 0.03}), "acc");
        assertThat(legend(spread)).noneMatch(n -> n.startsWith("where points crowd"));
        double[] x = {0, 0.3, 0.301, 0.302, 0.6};
        double[] y = {0.2, 0.7, 0.7005, 0.701, 0.9};
        String[] names = {"step 0", "step 1,000", "step 2,000", "step 3,000", "step 143,000"};
        String[] shown = Plots.uncrowded(x, x, x, y, names);
        // The ends are named first; of three on top of one another, only the first.
        assertThat(shown).containsExactly("step 0", "step 1,000", null, null, "step 143,000");
        long[] steps = {0, 1000, 2000, 3000, 143000};
        BenchmarkCorrelation.Series crowded = new BenchmarkCorrelation.Series("t", 0, steps, x, new double[5], y,
                Correlation.of(x, y), new long[0], new long[0], steps, y);
        assertThat(legend(Plots.benchmarkScatter(crowded, "acc")))
                .contains("where points crowd, only some are named (all are in the JSON)");
    }
}

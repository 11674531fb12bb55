package org.neuromfa.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYSeries;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.Bootstrap;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.spectrum.RadiusRange;
import org.neuromfa.study.ResultStore;
import org.neuromfa.study.Trajectory;
import org.neuromfa.study.TrajectoryPoint;
import org.neuromfa.study.TrajectoryResult;
import org.neuromfa.tensor.NullModel;

/** What the evidence plots draw: the points, the fitted lines and range, the error bars, E under the null. */
class EvidencePlotsTest {
    private static TrajectoryResult t;

    static Path golden(String name) {
        return org.neuromfa.golden.Golden.dir(name);
    }

    @BeforeAll
    static void trajectory() throws Exception {
        AnalysisOptions options = AnalysisOptions.defaults().withSamples(3).withNodesPerLayer(16).withEvidence(true)
                .withBootstrap(Bootstrap.of(200, 1)).withNullModel(NullModel.SHUFFLE).withRadiusRange(RadiusRange.auto());
        t = Trajectory.run(List.of(golden("neox-d128-l4-normal-f32").toString(),
                golden("neox-d96-l3-rowscaled-bf16").toString()), options, ResultStore.inMemory(), 2, null);
    }

    private static List<String> names(Chart c) {
        return c.chart.getSeriesCollection().stream().map(XYSeries::getName).collect(java.util.stream.Collectors.toList());
    }

    @Test
    void theEvidencePlotHasEveryRadiusTheFittedLinesAndTheRange() {
        TrajectoryPoint p = t.points.get(1);
        Chart c = EvidencePlots.evidence(p, 1, t.options.qGrid().values());
        SampleResult s = EvidencePlots.evidenceSample(p);
        List<String> names = names(c);
        assertThat(names).contains("q = -3", "q = -1", "q = 0", "q = 1", "q = 3");
        XYSeries points = c.chart.getSeries("q = 1");
        assertThat(points.getXData()).hasSize(s.radii());
        // the line over the fitted radii only: from ln(lo/D) to ln(hi/D), with the sample's tau as its label
        String fit = names.stream().filter(n -> n.startsWith("fit q = 1:")).findFirst().orElseThrow();
        assertThat(fit).contains(String.format(java.util.Locale.ROOT, "tau = %.4f", s.tau()[40]));
        XYSeries line = c.chart.getSeries(fit);
        int[] radii = s.evidence().radii();
        double d = radii[radii.length - 1];
        double lo = Double.NaN;
        for (int r : radii) {
            if (r >= s.fitLow()) {
                lo = Math.log(r / d);
                break;
            }
        }
        assertThat(line.getXData()[0]).isEqualTo(lo);
        assertThat(names.stream().filter(n -> n.startsWith("fitted: radii") && n.endsWith("(auto)"))).hasSize(1);
    }

    @Test
    void errorBarsSpanTheIntervalsAndTheNullLineFollowsE() {
        List<Chart> charts = Plots.trajectoryCharts(t);
        Chart e = charts.stream().filter(c -> c.name.equals("emergence")).findFirst().orElseThrow();
        assertThat(names(e)).contains("95% bootstrap interval", "E under the shuffle null");
        XYSeries bar = e.chart.getSeries("interval 1\u200b");
        double[] y = bar.getYData();
        assertThat(y[0]).isEqualTo(t.points.get(1).emergenceInterval.high);
        assertThat(y[3]).isEqualTo(t.points.get(1).emergenceInterval.low);
        XYSeries nullLine = e.chart.getSeries("E under the shuffle null");
        assertThat(nullLine.getYData()[1]).isEqualTo(t.underNull.get(1).emergence);
        assertThat(charts.stream().filter(c -> c.name.startsWith("evidence-"))).hasSize(2);
    }

    @Test
    void theReportTablesTheFitsIntervalsAndTheNull() {
        String html = EvidenceTables.html(t);
        assertThat(html).contains("<h3>Fit quality</h3>", "<h3>Bootstrap intervals over seeds</h3>",
                "<h3>Under the shuffle null model</h3>", "(auto, ");
    }
}

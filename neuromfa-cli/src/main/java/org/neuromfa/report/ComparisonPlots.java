package org.neuromfa.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.neuromfa.study.EmergenceGrowth;
import org.neuromfa.study.TrajectoryComparison;

/**
 * Several trajectories on one set of axes: alpha0, width and E over training, one colour per
 * trajectory (labelled by model), the mean over seeds as a line with a band of one standard
 * deviation, and on the E plot each trajectory's fitted growth {@code E = a + b log10(step)} as a
 * dashed line. Steps are on a logarithmic axis (step 0 drawn at 1) when every checkpoint has one,
 * else checkpoints are placed by their order.
 */
public final class ComparisonPlots {
    /** matplotlib's "tab10" colours: distinct, and readable on white. */
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN};

    private ComparisonPlots() {
    }

    public static List<Chart> charts(TrajectoryComparison c) {
        List<Chart> charts = new ArrayList<>();
        charts.add(quantity(c, 0, "compare-alpha0", "alpha0 (position of the spectrum's peak, dimensionless)",
                "Irregularity alpha0 over training"));
        charts.add(quantity(c, 1, "compare-width", "width (max alpha - min alpha, dimensionless)",
                "Heterogeneity (spectrum width) over training"));
        charts.add(quantity(c, 2, "compare-emergence", "degree of emergence E (dimensionless)",
                "Degree of emergence E over training (dashed: fitted growth E = a + b log10 step)"));
        return charts;
    }

    static Color colour(int i) {
        return COLOURS[i % COLOURS.length];
    }

    private static boolean allSteps(TrajectoryComparison c) {
        for (TrajectoryComparison.Series s : c.series) {
            for (long step : s.steps) {
                if (step < 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Chart quantity(TrajectoryComparison c, int which, String name, String yLabel, String title) {
        boolean steps = allSteps(c);
        XYChart chart = Plots.chart(title, steps ? StepAxis.title() : "checkpoint (in the order given)", yLabel);
        StepAxis axis = null;
        if (steps) {
            long[][] all = c.series.stream().map(s -> s.steps).toArray(long[][]::new);
            axis = StepAxis.of(all);
            axis.apply(chart);
        }
        int drawn = 0;
        for (int t = 0; t < c.series.size(); t++) {
            TrajectoryComparison.Series s = c.series.get(t);
            double[] mean = which == 0 ? s.alpha0 : which == 1 ? s.width : s.emergence;
            double[] sd = which == 0 ? s.alpha0Std : which == 1 ? s.widthStd : s.emergenceStd;
            int n = mean.length;
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = steps ? axis.x(s.steps[i]) : i + 1;
            }
            Color colour = colour(t);
            List<double[]> band = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (Double.isFinite(mean[i]) && Double.isFinite(sd[i])) {
                    band.add(new double[] {x[i], mean[i] + sd[i]});
                }
            }
            for (int i = n - 1; i >= 0; i--) {
                if (Double.isFinite(mean[i]) && Double.isFinite(sd[i])) {
                    band.add(new double[] {x[i], mean[i] - sd[i]});
                }
            }
            if (band.size() >= 4) {
                XYSeries b = chart.addSeries(s.label + ": \u00b11 s.d. over seeds",
                        band.stream().mapToDouble(p -> p[0]).toArray(), band.stream().mapToDouble(p -> p[1]).toArray());
                b.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                b.setMarker(SeriesMarkers.NONE);
                Color light = new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 45);
                b.setFillColor(light);
                b.setLineColor(light);
                b.setShowInLegend(false);
            }
            double[][] finite = Plots.finite(x, mean);
            if (finite[0].length == 0) {
                continue;
            }
            drawn++;
            XYSeries line = chart.addSeries(s.label, finite[0], finite[1]);
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setMarker(MARKERS[t % MARKERS.length]);
            line.setMarkerColor(colour);
            line.setLineColor(colour);
            line.setLineStyle(Plots.solid(2.5f));
            if (which == 2 && steps) {
                fit(chart, s, colour);
            }
        }
        if (drawn == 0) {
            // Nothing defined (every sample filtered out): an empty plot with its title still says so.
            chart.addSeries("no data", new double[] {1}, new double[] {0}).setMarker(SeriesMarkers.NONE);
        }
        chart.getStyler().setLegendVisible(true);
        return new Chart(name, title, chart);
    }

    /** The growth line over the steps it was fitted on. */
    private static void fit(XYChart chart, TrajectoryComparison.Series s, Color colour) {
        EmergenceGrowth g = s.growth;
        if (!Double.isFinite(g.slope) || g.n < 2) {
            return;
        }
        long lo = Long.MAX_VALUE;
        long hi = 0;
        for (long step : g.steps) {
            lo = Math.min(lo, step);
            hi = Math.max(hi, step);
        }
        int points = 24;
        double[] x = new double[points];
        double[] y = new double[points];
        for (int i = 0; i < points; i++) {
            double l = Math.log10(lo) + (Math.log10(hi) - Math.log10(lo)) * i / (points - 1);
            x[i] = StepAxis.atDecades(l);
            y[i] = g.intercept + g.slope * l;
        }
        XYSeries f = chart.addSeries(String.format(Locale.ROOT, "%s: fit, %.4f per decade", s.label, g.slope), x, y);
        // The title explains the dashed lines and the tables give the slopes: the legend names the trajectories only.
        f.setShowInLegend(false);
        f.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        f.setMarker(SeriesMarkers.NONE);
        f.setLineColor(colour);
        f.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
    }
}

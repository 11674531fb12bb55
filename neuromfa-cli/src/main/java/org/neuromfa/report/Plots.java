package org.neuromfa.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.spectrum.LeastSquares;
import org.neuromfa.study.BenchmarkCorrelation;
import org.neuromfa.study.Correlation;
import org.neuromfa.study.ScalingComparison;
import org.neuromfa.study.ScalingFit;
import org.neuromfa.study.TrajectoryPoint;
import org.neuromfa.study.TrajectoryResult;

/**
 * The plots of trajectories, benchmark correlations and scaling, each readable on its own: a title
 * saying what is shown, axis labels with units, a legend. Training steps are on a logarithmic axis
 * with step 0 set apart ({@link StepAxis}); spectra are coloured by step on a logarithmic colour
 * scale with a colour bar. One or two checkpoints, or checkpoints without training steps (demo's
 * initialised and trained model, a single analysis), are drawn as labelled points with their
 * spread over seeds, not as a line "over training".
 */
public final class Plots {
    /** The colour of the degree of emergence in every plot (the report test looks for it). */
    public static final Color EMERGENCE = new Color(0x1f, 0x77, 0xb4);
    static final Color BENCHMARK = new Color(0xd6, 0x27, 0x28);
    static final Color ALPHA0 = new Color(0x2c, 0xa0, 0x2c);
    static final Color WIDTH = new Color(0x94, 0x67, 0xbd);
    /** Error bars of the spread over seeds on scatter plots: dark grey, visible over the markers. */
    static final Color BARS = new Color(0x44, 0x44, 0x44);
    private static final int W = 900;
    private static final int H = 560;
    /** Viridis at nine evenly spaced points (matplotlib's colour map): perceptually uniform, readable in grey. */
    private static final int[] VIRIDIS = {0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779,
        0x6ece58, 0xfde725};

    private Plots() {
    }

    /** Writes every trajectory plot to {@code dir}. */
    public static void trajectory(TrajectoryResult t, Path dir) throws IOException {
        for (Chart c : trajectoryCharts(t)) {
            c.save(dir);
        }
    }

    public static List<Chart> trajectoryCharts(TrajectoryResult t) {
        List<Chart> charts = new ArrayList<>();
        charts.add(spectra(t));
        String over = overTraining(t) ? " over training" : " per checkpoint";
        charts.add(overSteps(t, "alpha0", "alpha0 (position of the spectrum's peak, dimensionless)",
                "Irregularity alpha0" + over, ALPHA0));
        charts.add(overSteps(t, "width", "width (max alpha - min alpha, dimensionless)",
                "Heterogeneity (spectrum width)" + over, WIDTH));
        if (t.points.size() > 1) {
            // E of a single checkpoint against itself is 0 by definition: no plot for it.
            charts.add(overSteps(t, "emergence", "degree of emergence E (dimensionless)",
                    "Degree of emergence E" + over + " (baseline " + t.points.get(0).revision + ")", EMERGENCE));
        }
        Chart nfd = nfd(t);
        if (nfd != null) {
            charts.add(nfd);
        }
        // Error bars, E under the null and the evidence plots (beside the spectra), when their options were used.
        charts.addAll(1, EvidencePlots.decorate(charts, t));
        return charts;
    }

    static XYChart chart(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(x).yAxisTitle(y)
                .theme(Styler.ChartTheme.Matlab).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        c.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        c.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        c.getStyler().setMarkerSize(6);
        c.getStyler().setPlotGridLinesColor(new Color(0xdd, 0xdd, 0xdd));
        c.getStyler().setPlotGridLinesStroke(new BasicStroke(0.5f));
        c.getStyler().setYAxisDecimalPattern("0.0####");
        c.getStyler().setXAxisDecimalPattern("0.0####");
        return c;
    }

    /** A solid line: the theme would otherwise cycle to dashed and dotted lines after a few series. */
    static BasicStroke solid(float width) {
        return new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    /** Many short entries (one per checkpoint) read best in a column beside the plot. */
    static void legendRight(XYChart c) {
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
    }

    /** A logarithmic axis of counts (training steps, parameters), labelled 1, 10, 100, 1,000, ... */
    static void logCountAxis(XYChart c) {
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setXAxisDecimalPattern("#,##0");
    }

    static String unit(String metric) {
        return metric.startsWith("acc") ? "fraction correct" : "units of the benchmark file";
    }

    /** Whether every checkpoint has a training step (else checkpoints are placed by their order). */
    static boolean hasSteps(TrajectoryResult t) {
        return t.points.stream().allMatch(p -> p.step != null);
    }

    /** Whether the checkpoints are drawn as a line over training steps (else as labelled points). */
    static boolean overTraining(TrajectoryResult t) {
        return hasSteps(t) && t.points.size() >= 3;
    }

    static long[] steps(TrajectoryResult t) {
        return t.points.stream().mapToLong(p -> p.step).toArray();
    }

    /** Where each checkpoint is drawn on the x axis of {@link #overSteps}: its step on the {@link StepAxis}, else 1 .. n. */
    static double[] xs(TrajectoryResult t) {
        if (overTraining(t)) {
            return StepAxis.of(steps(t)).xs(steps(t));
        }
        double[] x = new double[t.points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    /** The labels of checkpoints drawn as points, at x = 1 .. n. */
    static String[] pointLabels(TrajectoryResult t) {
        boolean steps = hasSteps(t);
        String[] labels = new String[t.points.size()];
        for (int i = 0; i < labels.length; i++) {
            TrajectoryPoint p = t.points.get(i);
            labels[i] = steps ? "step " + p.step : shorten(p.revision, 32);
        }
        return labels;
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    /**
     * An x axis of points at 1 .. n without tick labels: each point is named on the plot itself
     * ({@link #points}), which long names (a model and its twin) need, where XChart would drop
     * tick labels that do not fit.
     */
    static void pointAxis(XYChart c) {
        c.getStyler().setXAxisMin(0.4);
        c.getStyler().setXAxisTicksVisible(false);
    }

    /** Colour of a checkpoint: viridis over log(step + 1), or over the order without steps. */
    static Color[] stepColours(TrajectoryResult t) {
        int n = t.points.size();
        double[] v = new double[n];
        boolean steps = hasSteps(t);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            v[i] = steps ? Math.log10(t.points.get(i).step + 1.0) : i;
            min = Math.min(min, v[i]);
            max = Math.max(max, v[i]);
        }
        Color[] c = new Color[n];
        for (int i = 0; i < n; i++) {
            c[i] = viridis(VIRIDIS_END * (max > min ? (v[i] - min) / (max - min) : 0));
        }
        return c;
    }

    /**
     * Viridis is used up to here: its last fifth (light green to yellow) is hard to see on white,
     * so the latest checkpoint is drawn in a mid green instead.
     */
    static final double VIRIDIS_END = 0.78;

    static Color viridis(double f) {
        double x = Math.max(0, Math.min(1, f)) * (VIRIDIS.length - 1);
        int i = Math.min((int) x, VIRIDIS.length - 2);
        double u = x - i;
        int a = VIRIDIS[i];
        int b = VIRIDIS[i + 1];
        return new Color(mix(a >> 16, b >> 16, u), mix(a >> 8, b >> 8, u), mix(a, b, u));
    }

    private static int mix(int a, int b, double u) {
        return (int) Math.round((a & 0xff) * (1 - u) + (b & 0xff) * u);
    }

    /** Mean spectrum f(alpha) of each checkpoint over its kept samples, coloured by training step. */
    static Chart spectra(TrajectoryResult t) {
        boolean steps = hasSteps(t);
        XYChart c = chart("Singularity spectra f(alpha), mean over seeds, coloured by "
                        + (steps ? "training step (log colour scale)" : "checkpoint order"),
                "alpha (dimensionless)   \u00b7   " + SPECTRUM_AXIS_NOTE, "f(alpha) (dimensionless, at most 0)");
        legendRight(c);
        Color[] colours = stepColours(t);
        int n = t.points.size();
        List<Integer> legend = legendPicks(n, 8);
        for (int i = 0; i < n; i++) {
            TrajectoryPoint p = t.points.get(i);
            double[][] mean = p.statistics.meanSpectrum();
            if (mean == null) {
                continue;
            }
            String name = (steps ? "step " + p.step : p.revision) + seriesSuffix(i);
            XYSeries s = c.addSeries(name, mean[0], mean[1]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(colours[i]);
            s.setLineStyle(solid(2f));
            s.setShowInLegend(legend.contains(i));
        }
        if (n > 8) {
            c.getStyler().setLegendVisible(true);
        }
        if (steps && n > 2) {
            ColourBar bar = new ColourBar(steps(t), VIRIDIS_END);
            return new Chart("spectra", "Singularity spectra over training", c, ColourBar.WIDTH, bar::paint);
        }
        return new Chart("spectra", "Singularity spectra" + (steps ? " over training" : ""), c);
    }

    /** The short form of {@link #SPECTRUM_NOTE}, under the spectra's x axis. */
    static final String SPECTRUM_AXIS_NOTE = "f(alpha) <= 0, peak 0: measures are normalised per node";

    /** What the height of the spectrum means here, written on the plot, so that nobody reads f <= 0 as a bug. */
    static final String SPECTRUM_NOTE = "f(alpha) <= 0 with its peak at 0: each node's measure is normalised by its"
            + " own mass, so tau(0) = 0 (METHOD.md 5.3, 5.8); alpha0 and the width are read from the shape";


    private static String seriesSuffix(int i) {
        // XChart needs unique series names; an invisible suffix keeps equal labels apart.
        return "\u200b".repeat(i);
    }

    /** Up to {@code max} evenly spaced indices, first and last included. */
    static List<Integer> legendPicks(int n, int max) {
        List<Integer> picks = new ArrayList<>();
        if (n <= max) {
            for (int i = 0; i < n; i++) {
                picks.add(i);
            }
            return picks;
        }
        for (int k = 0; k < max; k++) {
            int i = (int) Math.round(k * (n - 1) / (double) (max - 1));
            if (!picks.contains(i)) {
                picks.add(i);
            }
        }
        return picks;
    }

    /** A quantity over training: the mean over seeds as a line, one standard deviation as a band. */
    static Chart overSteps(TrajectoryResult t, String quantity, String yLabel, String title, Color colour) {
        boolean line = overTraining(t);
        XYChart c = chart(title, line ? StepAxis.title() : hasSteps(t) ? "training step" : "checkpoint", yLabel);
        int n = t.points.size();
        double[] x = new double[n];
        if (line) {
            StepAxis axis = StepAxis.of(steps(t));
            axis.apply(c);
            x = axis.xs(steps(t));
        } else {
            for (int i = 0; i < n; i++) {
                x[i] = i + 1;
            }
            pointAxis(c);
        }
        double[] mean = new double[n];
        double[] sd = new double[n];
        int seeds = 0;
        for (int i = 0; i < n; i++) {
            TrajectoryPoint p = t.points.get(i);
            switch (quantity) {
                case "alpha0":
                    mean[i] = p.alpha0Mean;
                    sd[i] = p.alpha0Std;
                    break;
                case "width":
                    mean[i] = p.widthMean;
                    sd[i] = p.widthStd;
                    break;
                default:
                    mean[i] = p.emergence;
                    sd[i] = p.emergenceStd;
                    break;
            }
            seeds = Math.max(seeds, p.keptSamples);
        }
        if (!line) {
            points(c, quantity, x, mean, sd, seeds, colour, pointLabels(t));
            return new Chart(quantity, title, c);
        }
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
            double[] bx = band.stream().mapToDouble(b -> b[0]).toArray();
            double[] by = band.stream().mapToDouble(b -> b[1]).toArray();
            XYSeries s = c.addSeries("\u00b11 standard deviation over " + seeds + " seeds", bx, by);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            s.setMarker(SeriesMarkers.NONE);
            Color light = new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 60);
            s.setFillColor(light);
            s.setLineColor(light);
        }
        double[][] finite = finite(x, mean);
        if (finite[0].length == 0) {
            // Nothing defined (every sample filtered out): an empty plot with its title still says so.
            finite = new double[][] {{1}, {0}};
        }
        XYSeries s = c.addSeries(quantity.equals("emergence") ? "E (from the means over seeds)" : "mean over seeds",
                finite[0], finite[1]);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(colour);
        s.setLineColor(colour);
        s.setLineWidth(2.5f);
        return new Chart(quantity, title, c);
    }

    /**
     * One or two checkpoints, or checkpoints without steps: each a point with its standard deviation
     * over seeds as an error bar, and its value written beside it.
     */
    private static void points(XYChart c, String quantity, double[] x, double[] mean, double[] sd, int seeds,
                               Color colour, String[] labels) {
        c.getStyler().setXAxisMax(x.length + 0.6);
        List<double[]> keep = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(mean[i])) {
                keep.add(new double[] {x[i], mean[i], Double.isFinite(sd[i]) ? sd[i] : 0});
                names.add(labels[i]);
            }
        }
        if (keep.isEmpty()) {
            // Nothing defined (every sample filtered out): an empty plot with its title still says so.
            c.addSeries("no data", new double[] {1}, new double[] {0}).setMarker(SeriesMarkers.NONE);
            return;
        }
        double[] px = keep.stream().mapToDouble(k -> k[0]).toArray();
        double[] py = keep.stream().mapToDouble(k -> k[1]).toArray();
        double[] pe = keep.stream().mapToDouble(k -> k[2]).toArray();
        String name = (quantity.equals("emergence") ? "E from the means" : "mean") + " over " + seeds
                + " seeds, bars \u00b11 s.d.";
        XYSeries s = c.addSeries(name, px, py, pe);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(colour);
        s.setLineColor(colour);
        c.getStyler().setErrorBarsColorSeriesColor(true);
        c.getStyler().setMarkerSize(10);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < py.length; i++) {
            lo = Math.min(lo, py[i] - pe[i]);
            hi = Math.max(hi, py[i] + pe[i]);
        }
        double pad = Math.max(hi - lo, Math.abs(hi) * 0.1 + 1e-3) * 0.25;
        c.getStyler().setYAxisMin(lo - pad);
        c.getStyler().setYAxisMax(hi + pad);
        c.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        c.getStyler().setAnnotationTextFontColor(new Color(0x22, 0x22, 0x22));
        for (int i = 0; i < px.length; i++) {
            // The name above the bar, the value beside the point.
            c.addAnnotation(new org.knowm.xchart.AnnotationText(names.get(i), px[i], py[i] + pe[i] + pad * 0.35, false));
            c.addAnnotation(new org.knowm.xchart.AnnotationText(String.format(Locale.ROOT, "%.4f", py[i]),
                    px[i] + 0.16, py[i], false));
        }
    }

    static double[][] finite(double[] x, double[] y) {
        List<double[]> keep = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                keep.add(new double[] {x[i], y[i]});
            }
        }
        double[][] out = new double[2][keep.size()];
        for (int i = 0; i < keep.size(); i++) {
            out[0][i] = keep.get(i)[0];
            out[1][i] = keep.get(i)[1];
        }
        return out;
    }

    /** The distribution of node fractal dimensions at up to six checkpoints, as frequency polygons. */
    static Chart nfd(TrajectoryResult t) {
        List<Integer> picks = legendPicks(t.points.size(), 6);
        List<double[]> values = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i : picks) {
            List<Double> v = new ArrayList<>();
            for (SampleResult s : t.points.get(i).samples) {
                double[] nfd = s.nfd();
                if (nfd == null) {
                    continue;
                }
                for (double d : nfd) {
                    // A dimension of exactly 0 means "undefined" (ten or fewer distances, or one radius):
                    // drawing those would bury the distribution under a spike at 0.
                    if (Double.isFinite(d) && d != 0) {
                        v.add(d);
                    }
                }
            }
            double[] arr = v.stream().mapToDouble(Double::doubleValue).toArray();
            for (double d : arr) {
                min = Math.min(min, d);
                max = Math.max(max, d);
            }
            values.add(arr);
        }
        if (!(max >= min)) {
            return null;
        }
        boolean steps = hasSteps(t);
        XYChart c = chart("Node fractal dimensions (all seeds; nodes with a defined NFD), by "
                        + (steps ? "training step" : "checkpoint order"),
                "node fractal dimension (dimensionless)", "fraction of nodes per bin");
        legendRight(c);
        c.getStyler().setXAxisDecimalPattern("0.0#");
        Color[] colours = stepColours(t);
        int bins = 30;
        double width = max > min ? (max - min) / bins : 1;
        for (int k = 0; k < picks.size(); k++) {
            double[] v = values.get(k);
            if (v.length == 0) {
                continue;
            }
            double[] count = new double[bins];
            for (double d : v) {
                int b = Math.min(bins - 1, (int) ((d - min) / width));
                count[b]++;
            }
            double[] x = new double[bins];
            for (int b = 0; b < bins; b++) {
                x[b] = min + (b + 0.5) * width;
                count[b] /= v.length;
            }
            TrajectoryPoint p = t.points.get(picks.get(k));
            XYSeries s = c.addSeries((steps ? "step " + p.step : p.revision) + " (" + v.length + " nodes)"
                    + seriesSuffix(k), x, count);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(colours[picks.get(k)]);
            s.setLineStyle(solid(2f));
        }
        return new Chart("nfd", "Node fractal dimensions", c);
    }

    /** E and one benchmark over training, on two y axes. */
    public static Chart benchmarkOverSteps(BenchmarkCorrelation.Series series, String metric) {
        String task = series.task;
        XYChart c = chart("Degree of emergence E and " + task + " " + metric + " over training",
                StepAxis.title(), "degree of emergence E (dimensionless)");
        if (series.steps.length == 0) {
            return null;
        }
        StepAxis axis = StepAxis.of(series.steps, series.benchmarkSteps);
        axis.apply(c);
        double[] steps = axis.xs(series.steps);
        XYSeries e = c.addSeries("E (left axis)", steps, series.emergence.clone());
        e.setLineColor(EMERGENCE);
        e.setMarkerColor(EMERGENCE);
        e.setMarker(SeriesMarkers.CIRCLE);
        e.setLineWidth(2.5f);
        double[] low = new double[steps.length];
        double[] high = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            low[i] = series.emergence[i] - series.emergenceStd[i];
            high[i] = series.emergence[i] + series.emergenceStd[i];
        }
        ErrorBars.vertical(c, "E \u00b11 s.d. over seeds", "E s.d. ", steps, low, high, ErrorBars.Cap.linear(steps), EMERGENCE);
        // The benchmark at all its steps, E at the checkpoints: a few checkpoints against a full curve.
        double[] bSteps = axis.xs(series.benchmarkSteps);
        double[] bValues = series.benchmarkValues.clone();
        if (bSteps.length == 0) {
            bSteps = steps;
            bValues = series.values.clone();
        }
        XYSeries b = c.addSeries(task + " " + metric + " (right axis)", bSteps, bValues);
        b.setYAxisGroup(1);
        b.setLineColor(BENCHMARK);
        b.setMarkerColor(BENCHMARK);
        b.setMarker(SeriesMarkers.DIAMOND);
        b.setLineWidth(2.5f);
        c.setYAxisGroupTitle(1, task + " " + metric + " (" + unit(metric) + ")");
        c.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        return new Chart("benchmark-" + slug(task), "E and " + task + " over training", c);
    }


    /** The benchmark against E, one point per checkpoint, with the least-squares line. */
    public static Chart benchmarkScatter(BenchmarkCorrelation.Series series, String metric) {
        String task = series.task;
        double[] e = series.emergence.clone();
        double[] v = series.values.clone();
        if (e.length == 0) {
            return null;
        }
        Correlation r = series.correlation;
        String title = String.format(Locale.ROOT, "%s %s against E: n = %d, Pearson r = %s, Spearman rho = %s",
                task, metric, r.n, fmt(r.pearsonR), fmt(r.spearmanRho));
        XYChart c = chart(title, "degree of emergence E (dimensionless)", task + " " + metric + " (" + unit(metric) + ")");
        c.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        String[] names = new String[e.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = "step " + String.format(Locale.ROOT, "%,d", series.steps[i]);
        }
        double[] sd = series.emergenceStd;
        double[] left = new double[e.length];
        double[] right = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            left[i] = e[i] - sd[i];
            right[i] = e[i] + sd[i];
        }
        String[] shown = uncrowded(e, left, right, v, names);
        boolean allNamed = java.util.Arrays.stream(shown).allMatch(java.util.Objects::nonNull);
        if (!allNamed) {
            // The longer first entry and the others do not fit side by side: one per line.
            c.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        }
        XYSeries s = c.addSeries("checkpoints (p: Pearson " + fmt(r.pearsonP) + ", Spearman " + fmt(r.spearmanP) + ")",
                e, v);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(EMERGENCE);
        // E is the x axis here, so its spread over seeds is a horizontal bar.
        ErrorBars.horizontal(c, "E \u00b11 s.d. over seeds", "E s.d. ", v, left, right, ErrorBars.Cap.linear(v), BARS);
        labelPoints(c, e, v, shown);
        if (!allNamed) {
            note(c, "where points crowd, only some are named (all are in the JSON)", e[0], v[0]);
        }
        caution(c, r.n, e[0], v[0]);
        double[] fit = LeastSquares.line(e, v);
        if (fit != null) {
            double lo = min(e);
            double hi = max(e);
            XYSeries f = c.addSeries(String.format(Locale.ROOT, "least squares: %.4g + %.4g E", fit[0], fit[1]),
                    new double[] {lo, hi}, new double[] {fit[0] + fit[1] * lo, fit[0] + fit[1] * hi});
            f.setMarker(SeriesMarkers.NONE);
            f.setLineColor(BENCHMARK);
            f.setLineWidth(2f);
        }
        return new Chart("scatter-" + slug(task), task + " against E", c);
    }

    /** E at one step against model size, with the fit E = a + b ln(N). */
    public static Chart scaling(ScalingComparison scaling) {
        List<double[]> pts = new ArrayList<>();
        for (ScalingComparison.Model m : scaling.models) {
            if (Double.isFinite(m.emergence)) {
                pts.add(new double[] {m.parameterCount, m.emergence, m.emergence - m.emergenceStd,
                    m.emergence + m.emergenceStd});
            }
        }
        if (pts.isEmpty()) {
            return null;
        }
        ScalingFit fit = scaling.fit;
        XYChart c = chart(String.format(Locale.ROOT, "Degree of emergence at step %d against model size (fit: R^2 = %s, p = %s)",
                        scaling.step, fmt(fit.rSquared), fmt(fit.slopeP)),
                "parameters N (count, log scale)", "degree of emergence E (dimensionless)");
        logCountAxis(c);
        double[] x = pts.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = pts.stream().mapToDouble(p -> p[1]).toArray();
        // Model sizes often lie within one decade; widen the axis to whole decades so it has labels.
        double axisMin = Math.pow(10, Math.floor(Math.log10(min(x))));
        double axisMax = Math.pow(10, Math.ceil(Math.log10(max(x) * 1.0001)));
        c.getStyler().setXAxisMin(axisMin);
        c.getStyler().setXAxisMax(axisMax);
        XYSeries s = c.addSeries("models", x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(EMERGENCE);
        double[] low = pts.stream().mapToDouble(p -> p[2]).toArray();
        double[] high = pts.stream().mapToDouble(p -> p[3]).toArray();
        ErrorBars.vertical(c, "E \u00b11 s.d. over seeds", "E s.d. ", x, low, high, ErrorBars.Cap.log(axisMin, axisMax), BARS);
        String[] names = scaling.models.stream().filter(m -> Double.isFinite(m.emergence))
                .map(m -> shorten(m.trajectory, 28)).toArray(String[]::new);
        labelPoints(c, x, y, finiteOr(low, y), finiteOr(high, y), names);
        caution(c, fit.n, x[0], y[0]);
        if (Double.isFinite(fit.slope) && Double.isFinite(fit.intercept)) {
            double a = fit.intercept;
            double b = fit.slope;
            double lo = min(x);
            double hi = max(x);
            int k = 20;
            double[] fx = new double[k + 1];
            double[] fy = new double[k + 1];
            for (int i = 0; i <= k; i++) {
                fx[i] = Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * i / k);
                fy[i] = a + b * Math.log(fx[i]);
            }
            XYSeries f = c.addSeries(String.format(Locale.ROOT, "least squares: E = %.4g + %.4g ln N", a, b), fx, fy);
            f.setMarker(SeriesMarkers.NONE);
            f.setLineColor(BENCHMARK);
            f.setLineWidth(2f);
        }
        return new Chart("scaling", "E against model size", c);
    }

    /** Below this many points a p-value says little: the plots and tables say so. */
    public static final int FEW_POINTS = 10;

    /** The caution for a correlation or fit over {@code n} points, or null when there are enough. */
    public static String fewPointsCaution(int n) {
        if (n >= FEW_POINTS) {
            return null;
        }
        return "only n = " + n + " points: the p-values rest on very few steps or models (and assume independent"
                + " points); read them as descriptive";
    }

    /**
     * The small-n caution as a legend entry of its own (outside the plot, so it hides no point); the
     * series is one invisible point.
     */
    private static void caution(XYChart c, int n, double x, double y) {
        if (n < FEW_POINTS) {
            // Three entries do not fit side by side: one per line.
            c.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
            note(c, "caution: n = " + n + " is too few points for the p-values to mean much", x, y);
        }
    }

    /** A legend entry of text only: a series of one invisible point at ({@code x}, {@code y}). */
    private static void note(XYChart c, String text, double x, double y) {
        XYSeries note = c.addSeries(text, new double[] {x}, new double[] {y});
        note.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        note.setMarker(SeriesMarkers.NONE);
        note.setMarkerColor(new Color(0, 0, 0, 0));
        note.setLineColor(new Color(0, 0, 0, 0));
    }

    /**
     * Writes each point's name just above it (which step, which model), so that a scatter can be read
     * without the table. {@code x} may be on a log axis (the annotation is placed in data units).
     */
    static void labelPoints(XYChart c, double[] x, double[] y, String[] names) {
        labelPoints(c, x, y, y, y, names);
    }

    /**
     * As above, for points with vertical error bars from {@code low} to {@code high}: each name above
     * its bar, and the axis holding every bar.
     */
    static void labelPoints(XYChart c, double[] x, double[] y, double[] low, double[] high, String[] names) {
        double lo = min(low);
        double hi = max(high);
        double up = (hi > lo ? hi - lo : Math.abs(hi) + 1e-3) * 0.05;
        c.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        c.getStyler().setAnnotationTextFontColor(new Color(0x33, 0x33, 0x33));
        for (int i = 0; i < x.length && i < names.length; i++) {
            if (names[i] != null) {
                c.addAnnotation(new org.knowm.xchart.AnnotationText(names[i], x[i], high[i] + up, false));
            }
        }
        if (hi > lo) {
            // Room for the labels of the highest points.
            c.getStyler().setYAxisMax(hi + 3 * up);
            c.getStyler().setYAxisMin(lo - up);
        }
    }

    /**
     * The names that can be written above their points without running into one another on a plot
     * of linear axes spanning {@code x} (with {@code xLow}, {@code xHigh}: the bars) and {@code y};
     * the others null. The last point and the first are named first (the end of training and its
     * start), then the rest in order. Positions are estimated from the plot's size, as the axes are
     * laid out only when the chart is drawn.
     */
    static String[] uncrowded(double[] x, double[] xLow, double[] xHigh, double[] y, String[] names) {
        double x0 = Math.min(min(x), min(finiteOr(xLow, x)));
        double x1 = Math.max(max(x), max(finiteOr(xHigh, x)));
        double y0 = min(y);
        double y1 = max(y);
        // The plot area of a W x H chart, less axes, title and legend (about 120 and 190 pixels).
        double pxPerX = x1 > x0 ? (W - 120) / (x1 - x0) : 0;
        double pxPerY = y1 > y0 ? (H - 190) / ((y1 - y0) * 1.2) : 0;
        double charWidth = 6.3;
        double lineHeight = 14;
        int n = names.length;
        String[] out = new String[n];
        List<double[]> placed = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            // The last first, then the others in order.
            int i = k == 0 ? n - 1 : k - 1;
            double cx = (x[i] - x0) * pxPerX;
            double cy = (y[i] - y0) * pxPerY;
            double half = names[i].length() * charWidth / 2;
            double[] box = {cx - half, cx + half, cy, cy + lineHeight};
            boolean free = true;
            for (double[] b : placed) {
                if (box[0] < b[1] && b[0] < box[1] && box[2] < b[3] && b[2] < box[3]) {
                    free = false;
                    break;
                }
            }
            if (free) {
                placed.add(box);
                out[i] = names[i];
            }
        }
        return out;
    }

    /** {@code v[i]} where finite, else {@code or[i]}. */
    private static double[] finiteOr(double[] v, double[] or) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Double.isFinite(v[i]) ? v[i] : or[i];
        }
        return out;
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double d : v) {
            m = Math.min(m, d);
        }
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            m = Math.max(m, d);
        }
        return m;
    }

    /** Three significant digits; n/a when undefined. */
    static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : "n/a";
    }

    static String slug(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]+", "_");
    }
}

package org.neuromfa.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.neuromfa.analysis.Bootstrap;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.spectrum.LeastSquares;
import org.neuromfa.spectrum.ScalingEvidence;
import org.neuromfa.study.TrajectoryPoint;
import org.neuromfa.study.TrajectoryResult;

/**
 * The plots of the evidence under the numbers (issue 16): the log-log points whose slopes are tau(q),
 * with the fitted lines and the scaling range, per checkpoint; the bootstrap intervals as error bars
 * on the plots over training; E under the null model beside E. Kept apart from {@link Plots} so that
 * the plots there stay as they are when no evidence option is used.
 */
public final class EvidencePlots {
    /** The most checkpoints given an evidence plot (evenly spaced, first and last included). */
    static final int MAX_EVIDENCE_PLOTS = 6;
    /** One colour per q shown: both tails, the centre, the measure (-3, -1, 0, 1, 3). */
    private static final Color[] Q_COLOURS = {new Color(0x44, 0x01, 0x54), new Color(0x3b, 0x52, 0x8b),
        new Color(0x21, 0x90, 0x8c), new Color(0x5d, 0xc8, 0x63), new Color(0xe3, 0x8a, 0x00)};
    static final Color NULL_MODEL = new Color(0x7f, 0x7f, 0x7f);

    private EvidencePlots() {
    }

    /** The charts the evidence options add to a trajectory's (none without them), and its error bars and null line. */
    static List<Chart> decorate(List<Chart> charts, TrajectoryResult t) {
        for (Chart c : charts) {
            switch (c.name) {
                case "alpha0":
                case "width":
                case "emergence":
                    boolean bars = intervals(c.chart, t, c.name);
                    if (c.name.equals("emergence") && t.underNull != null) {
                        underNull(c.chart, t);
                        if (bars) {
                            // Four legend entries do not fit on one line under the plot: one per line.
                            c.chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Vertical);
                        }
                    }
                    break;
                default:
                    break;
            }
        }
        List<Chart> added = new ArrayList<>();
        for (int i : Plots.legendPicks(t.points.size(), MAX_EVIDENCE_PLOTS)) {
            Chart e = evidence(t.points.get(i), i, t.options.qGrid().values());
            if (e != null) {
                added.add(e);
            }
        }
        return added;
    }

    /** The bootstrap interval of each checkpoint as a vertical bar with caps (nothing without a bootstrap). */
    static boolean intervals(XYChart c, TrajectoryResult t, String quantity) {
        double[] x = Plots.xs(t);
        double[] low = new double[x.length];
        double[] high = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            TrajectoryPoint p = t.points.get(i);
            Bootstrap.Interval iv = quantity.equals("alpha0") ? p.alpha0Interval
                    : quantity.equals("width") ? p.widthInterval : p.emergenceInterval;
            boolean defined = iv != null && iv.defined();
            low[i] = defined ? iv.low : Double.NaN;
            high[i] = defined ? iv.high : Double.NaN;
        }
        // The x axis is linear (in decades of steps on a StepAxis, else checkpoint numbers).
        return ErrorBars.vertical(c, Math.round(100 * Bootstrap.CONFIDENCE) + "% bootstrap interval", "interval ", x, low,
                high, ErrorBars.Cap.linear(x), Color.BLACK);
    }

    /** E of each point. */
    private static double[] emergence(List<TrajectoryPoint> points) {
        return points.stream().mapToDouble(p -> p.emergence).toArray();
    }

    /** E under the null model as a grey dashed line beside E. */
    static void underNull(XYChart c, TrajectoryResult t) {
        double[][] finite = Plots.finite(Plots.xs(t), emergence(t.underNull));
        if (finite[0].length == 0) {
            return;
        }
        XYSeries s = c.addSeries("E under the " + t.options.nullModel().label() + " null", finite[0], finite[1]);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.SQUARE);
        s.setMarkerColor(NULL_MODEL);
        s.setLineColor(NULL_MODEL);
        s.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f));
    }

    /** A sweep's plots: E over the checkpoints for every value of the swept setting. */
    public static List<Chart> sweepCharts(org.neuromfa.study.Sweep.Result r) {
        TrajectoryResult first = r.trajectories.get(0);
        boolean steps = Plots.overTraining(first);
        String setting = r.sweep.setting.label();
        XYChart c = Plots.chart("Degree of emergence E by " + setting + " (baseline " + first.points.get(0).revision + ")",
                steps ? StepAxis.title() : "checkpoint (in the order given)", "degree of emergence E (dimensionless)");
        if (steps) {
            StepAxis.of(Plots.steps(first)).apply(c);
        }
        double[] x = Plots.xs(first);
        for (int k = 0; k < r.trajectories.size(); k++) {
            TrajectoryResult t = r.trajectories.get(k);
            double[][] finite = Plots.finite(x, emergence(t.points));
            if (finite[0].length == 0) {
                continue;
            }
            Color colour = Plots.viridis(r.trajectories.size() == 1 ? 0 : k / (double) (r.trajectories.size() - 1) * 0.85);
            XYSeries s = c.addSeries(setting + " = " + r.sweep.format(r.sweep.values.get(k)), finite[0], finite[1]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(colour);
            s.setLineColor(colour);
            s.setLineStyle(Plots.solid(2.5f));
            intervalsOf(c, t, x, colour);
        }
        return List.of(new Chart("sweep-emergence", "E by " + setting, c));
    }

    /** E's bootstrap intervals of one trajectory of a sweep as bars in its colour (nothing without a bootstrap). */
    private static void intervalsOf(XYChart c, TrajectoryResult t, double[] x, Color colour) {
        for (int i = 0; i < x.length; i++) {
            Bootstrap.Interval iv = t.points.get(i).emergenceInterval;
            if (iv == null || !iv.defined()) {
                continue;
            }
            XYSeries s = c.addSeries("interval " + t.options.nodesPerLayer() + "/" + t.options.threshold() + "/" + i
                    + "\u200b", new double[] {x[i], x[i]}, new double[] {iv.low, iv.high});
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(colour);
            s.setLineStyle(new BasicStroke(1.2f));
            s.setShowInLegend(false);
        }
    }

    /** The first kept sample with evidence (or the first with evidence), or null. */
    static SampleResult evidenceSample(TrajectoryPoint p) {
        SampleResult any = null;
        for (SampleResult s : p.samples) {
            if (s.evidence() != null) {
                if (s.kept()) {
                    return s;
                }
                if (any == null) {
                    any = s;
                }
            }
        }
        return any;
    }

    /**
     * {@code ln Z_q(r)} against {@code ln(r/D)} of one seed of the checkpoint, for the q kept as
     * evidence: every radius as a point, the least-squares line over the radii fitted (its slope is
     * tau(q)), and the ends of the fitted range as vertical lines. Null without evidence.
     */
    static Chart evidence(TrajectoryPoint p, int index, double[] qGrid) {
        SampleResult s = evidenceSample(p);
        if (s == null) {
            return null;
        }
        ScalingEvidence e = s.evidence();
        double[] x = e.logRadii();
        int[] radii = e.radii();
        double[] q = e.q();
        int lo = s.fitLow();
        int hi = s.fitHigh();
        String range = p.window != null ? "radii " + lo + ".." + hi + " (auto)"
                : radii[0] == lo && radii[radii.length - 1] == hi ? "all radii " + lo + ".." + hi : "radii " + lo + ".." + hi;
        XYChart c = Plots.chart("ln Z_q(r) against ln(r/D): " + p.revision + ", seed " + s.seed(),
                "ln(r / D) (r: radius, D = " + radii[radii.length - 1] + ", the largest)", "ln Z_q(r) (dimensionless)");
        Plots.legendRight(c);
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        double[] r2 = s.rSquared();
        double[] tau = s.tau();
        double[] grid = null;
        for (int k = 0; k < q.length; k++) {
            double[] y = e.logZ(k);
            double[][] pts = Plots.finite(x, y);
            if (pts[0].length == 0) {
                continue;
            }
            for (double v : pts[1]) {
                yMin = Math.min(yMin, v);
                yMax = Math.max(yMax, v);
            }
            Color colour = Q_COLOURS[k % Q_COLOURS.length];
            XYSeries points = c.addSeries(String.format(Locale.ROOT, "q = %s", fmtQ(q[k])), pts[0], pts[1]);
            points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            points.setMarker(SeriesMarkers.CIRCLE);
            points.setMarkerColor(colour);
            // The fitted line: least squares over the radii in the fit, drawn over them.
            List<double[]> in = new ArrayList<>();
            for (int j = 0; j < radii.length; j++) {
                if (radii[j] >= lo && radii[j] <= hi && Double.isFinite(y[j])) {
                    in.add(new double[] {x[j], y[j]});
                }
            }
            double[] fx = in.stream().mapToDouble(v -> v[0]).toArray();
            double[] fy = in.stream().mapToDouble(v -> v[1]).toArray();
            double[] line = LeastSquares.line(fx, fy);
            if (line != null) {
                double a = fx[0];
                double b = fx[fx.length - 1];
                int g = index(qGrid, q[k]);
                String label = String.format(Locale.ROOT, "fit q = %s: tau = %.4f, R^2 = %.4f", fmtQ(q[k]),
                        at(tau, g), at(r2, g));
                XYSeries f = c.addSeries(label, new double[] {a, b}, new double[] {line[0] + line[1] * a,
                    line[0] + line[1] * b});
                f.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                f.setMarker(SeriesMarkers.NONE);
                f.setLineColor(colour);
                f.setLineStyle(Plots.solid(2f));
            }
            grid = y;
        }
        if (grid == null) {
            return null;
        }
        double pad = (yMax - yMin) * 0.03 + 1e-9;
        for (int end : new int[] {lo, hi}) {
            double at = Math.log((double) end / radii[radii.length - 1]);
            XYSeries v = c.addSeries(end == lo ? "fitted: " + range : "fitted range end\u200b",
                    new double[] {at, at}, new double[] {yMin - pad, yMax + pad});
            v.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            v.setMarker(SeriesMarkers.NONE);
            v.setLineColor(Color.DARK_GRAY);
            v.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
            v.setShowInLegend(end == lo);
        }
        return new Chart("evidence-" + index + "-" + Plots.slug(p.revision), "Evidence of scaling, " + p.revision, c);
    }

    /** The index of the grid value nearest {@code q} (the evidence's q are grid values). */
    static int index(double[] grid, double q) {
        int best = 0;
        for (int k = 1; k < grid.length; k++) {
            if (Math.abs(grid[k] - q) < Math.abs(grid[best] - q)) {
                best = k;
            }
        }
        return best;
    }

    private static double at(double[] v, int k) {
        return k < v.length ? v[k] : Double.NaN;
    }

    private static String fmtQ(double q) {
        return q == Math.rint(q) ? Long.toString((long) q) : Double.toString(q);
    }
}

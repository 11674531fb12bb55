package org.neuromfa.report;

import java.util.Locale;
import org.neuromfa.analysis.Bootstrap;
import org.neuromfa.analysis.FitSummary;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.analysis.ScalingWindow;
import org.neuromfa.study.TrajectoryPoint;
import org.neuromfa.study.TrajectoryResult;

/**
 * The report's tables of the evidence under a trajectory's numbers (issue 16): how well the fits of
 * tau(q) went at every checkpoint (always), and, when their options were used, the bootstrap
 * intervals and the numbers under the null model. Each table says how to read it.
 */
final class EvidenceTables {
    private EvidenceTables() {
    }

    static String html(TrajectoryResult t) {
        StringBuilder b = new StringBuilder();
        fits(b, t);
        if (t.points.get(0).alpha0Interval != null) {
            intervals(b, t);
        }
        if (t.underNull != null) {
            underNull(b, t);
        }
        return b.toString();
    }

    /** Per checkpoint: the fits of tau(q) over every q and seed, their median and lowest R^2, and the range fitted. */
    private static void fits(StringBuilder b, TrajectoryResult t) {
        double threshold = t.options.spectrum().minRSquared();
        double[] q = t.options.qGrid().values();
        b.append("<h3>Fit quality</h3>\n<table>\n<tr><th>revision</th><th>fits</th><th>median R<sup>2</sup></th>"
                + "<th>lowest R<sup>2</sup> (q, seed)</th><th>below ").append(ReportHtml.num(threshold))
                .append("</th><th>radii fitted</th></tr>\n");
        for (TrajectoryPoint p : t.points) {
            FitSummary f = FitSummary.of(p.samples, q, threshold);
            b.append("<tr><td>").append(ReportHtml.esc(p.revision)).append("</td><td>").append(f.fits).append("</td><td>")
                    .append(ReportHtml.num(f.median)).append("</td><td>").append(ReportHtml.num(f.lowest));
            if (f.fits > 0) {
                b.append(String.format(Locale.ROOT, " (q = %s, seed %d)", Double.toString(f.lowestQ), f.lowestSeed));
            }
            b.append("</td><td>").append(f.fits > 0 ? f.below + " of " + f.fits : "&ndash;").append("</td><td>")
                    .append(range(p)).append("</td></tr>\n");
        }
        b.append("</table>\n<p class=\"note\">Each seed fits tau(q) at every q as the least-squares slope of ln Z<sub>q</sub>(r)"
                + " against ln(r/D); R<sup>2</sup> near 1 means ln Z is a straight line over the radii fitted, that is, a"
                + " power law. Many fits below the threshold mean the spectrum rests on poor power laws: look at the"
                + " evidence plots, or choose the range from the data with <code>--radius-range auto</code>.</p>\n");
    }

    private static String range(TrajectoryPoint p) {
        ScalingWindow w = p.window;
        if (w != null) {
            return w.lo + "&ndash;" + w.hi + " (auto, " + ReportHtml.esc(w.outcome.label()) + ")";
        }
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (SampleResult s : p.samples) {
            if (s.fitPoints() > 0) {
                lo = Math.min(lo, s.fitLow());
                hi = Math.max(hi, s.fitHigh());
            }
        }
        return lo <= hi ? lo + "&ndash;" + hi : "&ndash;";
    }

    private static void intervals(StringBuilder b, TrajectoryResult t) {
        Bootstrap boot = t.options.bootstrap();
        b.append("<h3>Bootstrap intervals over seeds</h3>\n<table>\n<tr><th>revision</th><th>alpha0</th><th>width</th>"
                + "<th>E</th></tr>\n");
        for (TrajectoryPoint p : t.points) {
            b.append("<tr><td>").append(ReportHtml.esc(p.revision)).append("</td><td>").append(interval(p.alpha0Interval))
                    .append("</td><td>").append(interval(p.widthInterval)).append("</td><td>")
                    .append(interval(p.emergenceInterval)).append("</td></tr>\n");
        }
        b.append("</table>\n<p class=\"note\">").append(Math.round(100 * Bootstrap.CONFIDENCE))
                .append("% percentile intervals from ").append(boot.resamples()).append(" resamples of the seeds (seed ")
                .append(boot.seed()).append("). Each resample draws the same seeds at every checkpoint, so the interval"
                        + " of E holds the baseline's uncertainty too. They describe the sampling of neurons, not the"
                        + " choice of the other settings.</p>\n");
    }

    private static void underNull(StringBuilder b, TrajectoryResult t) {
        String model = t.options.nullModel().label();
        boolean intervals = t.underNull.get(0).emergenceInterval != null;
        b.append("<h3>Under the ").append(ReportHtml.esc(model)).append(" null model</h3>\n<table>\n<tr><th>revision</th>"
                + "<th>E</th><th>E under the null</th>").append(intervals ? "<th>interval under the null</th>" : "")
                .append("<th>alpha0 under the null</th><th>width under the null</th></tr>\n");
        for (int i = 0; i < t.points.size(); i++) {
            TrajectoryPoint p = t.points.get(i);
            TrajectoryPoint n = t.underNull.get(i);
            b.append("<tr><td>").append(ReportHtml.esc(p.revision)).append("</td><td>").append(ReportHtml.num(p.emergence))
                    .append("</td><td>").append(ReportHtml.num(n.emergence)).append("</td>");
            if (intervals) {
                b.append("<td>").append(interval(n.emergenceInterval)).append("</td>");
            }
            b.append("<td>").append(ReportHtml.num(n.alpha0Mean)).append("</td><td>").append(ReportHtml.num(n.widthMean))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n<p class=\"note\">The null model keeps ").append(ReportHtml.esc(t.options.nullModel().keeps()))
                .append(", and loses the arrangement across neurons. E under the null is what the values alone give;"
                        + " what E has beyond it comes from the network's structure.</p>\n");
    }

    /** A sweep's E per checkpoint and value (with intervals and E under the null when there are). */
    static String sweep(org.neuromfa.study.Sweep.Result r) {
        StringBuilder b = new StringBuilder();
        TrajectoryResult first = r.trajectories.get(0);
        String setting = r.sweep.setting.label();
        b.append("<h3>E by ").append(ReportHtml.esc(setting)).append("</h3>\n<table>\n<tr><th>revision</th>");
        for (double v : r.sweep.values) {
            b.append("<th>E, ").append(ReportHtml.esc(setting)).append(" = ").append(r.sweep.format(v)).append("</th>");
        }
        if (first.underNull != null) {
            for (double v : r.sweep.values) {
                b.append("<th>E under the null, ").append(r.sweep.format(v)).append("</th>");
            }
        }
        b.append("</tr>\n");
        for (int i = 0; i < first.points.size(); i++) {
            b.append("<tr><td>").append(ReportHtml.esc(first.points.get(i).revision)).append("</td>");
            for (TrajectoryResult t : r.trajectories) {
                TrajectoryPoint p = t.points.get(i);
                b.append("<td>").append(ReportHtml.num(p.emergence));
                if (p.emergenceInterval != null) {
                    b.append(' ').append(interval(p.emergenceInterval));
                }
                b.append("</td>");
            }
            if (first.underNull != null) {
                for (TrajectoryResult t : r.trajectories) {
                    b.append("<td>").append(ReportHtml.num(t.underNull.get(i).emergence)).append("</td>");
                }
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n<p class=\"note\">The same checkpoints and seeds under each value of ").append(ReportHtml.esc(setting))
                .append("; each value's trajectory follows. A conclusion that holds for every value does not hang on"
                        + " this setting.</p>\n");
        return b.toString();
    }

    private static String interval(Bootstrap.Interval i) {
        return i == null || !i.defined() ? "&ndash;" : "[" + ReportHtml.num(i.low) + ", " + ReportHtml.num(i.high) + "]";
    }
}

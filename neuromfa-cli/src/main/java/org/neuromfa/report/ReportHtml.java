package org.neuromfa.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neuromfa.analysis.FitDiagnostics;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.study.EmergenceGrowth;
import org.neuromfa.study.TrajectoryComparison;
import org.neuromfa.base.Json;
import org.neuromfa.io.ResultJson;
import org.neuromfa.study.BenchmarkCorrelation;
import org.neuromfa.study.Correlation;
import org.neuromfa.study.ScalingComparison;
import org.neuromfa.study.ScalingFit;
import org.neuromfa.study.TrajectoryPoint;
import org.neuromfa.study.TrajectoryResult;

/**
 * One self-contained HTML page of results: run parameters, tables and plots. Plots are SVG images in
 * data URIs and the style sheet is inline, so the file needs no network and no other file to be
 * viewed, and has no script at all.
 */
public final class ReportHtml {
    private final StringBuilder body = new StringBuilder();
    private final List<String> sources = new ArrayList<>();
    private int figures;
    /** Who made the report, when and how (version, UTC time, command line), or null. */
    private String[] provenance;

    public void source(String name) {
        sources.add(name);
    }

    /**
     * What made this report: the tool's {@code version}, the {@code commandLine} as typed, and the
     * time {@code made} (UTC), shown at the top so that a reader can tell which build and which
     * invocation the numbers come from.
     */
    public void provenance(String version, String commandLine, java.time.Instant made) {
        provenance = new String[] {version, commandLine,
                java.time.format.DateTimeFormatter.ISO_INSTANT.format(made.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))};
    }

    public void trajectory(String title, TrajectoryResult t) {
        section(title);
        parameters(ResultJson.parameters(t.options));
        body.append("<h3>Checkpoints</h3>\n<table>\n<tr><th>revision</th><th>step</th><th>parameters</th><th>kept samples</th>"
                + "<th>alpha0 mean &plusmn; s.d.</th><th>width mean &plusmn; s.d.</th><th>E &plusmn; s.d. over seeds</th>"
                + "<th>tau(q) fits with R<sup>2</sup> &lt; " + num(t.options.spectrum().minRSquared())
                + "</th><th>lowest R<sup>2</sup></th></tr>\n");
        for (TrajectoryPoint p : t.points) {
            FitDiagnostics.Summary fits = FitDiagnostics.of(p.revision, t.options, p.samples);
            body.append("<tr><td>").append(esc(p.revision)).append("</td><td>").append(p.step == null ? "&ndash;" : p.step)
                    .append("</td><td>").append(p.parameterCount > 0 ? String.format(Locale.ROOT, "%,d", p.parameterCount) : "&ndash;")
                    .append("</td><td>").append(p.keptSamples).append(" of ").append(p.samples.size())
                    .append("</td><td>").append(pm(p.alpha0Mean, p.alpha0Std))
                    .append("</td><td>").append(pm(p.widthMean, p.widthStd))
                    .append("</td><td>").append(pm(p.emergence, p.emergenceStd))
                    .append("</td><td").append(fits.poor() ? " class=\"warn\"" : "").append(">").append(fits.poorFits)
                    .append(" of ").append(fits.fits).append("</td><td>").append(num(fits.lowest)).append("</td></tr>\n");
        }
        body.append("</table>\n");
        checkpointSources(t);
        identicalWeights(t);
        fitWarning(t);
        if (t.points.size() <= 2) {
            perSeed(t);
        }
        body.append("<p class=\"note\">E(t) = (width(t) / width(0)) &middot; ln(alpha0(0) / alpha0(t)), from the means"
                + " over seeds, against the first checkpoint (").append(esc(t.points.get(0).revision))
                .append("). The spread of E is over each seed's E against the same seed at the baseline.</p>\n");
        body.append("<p class=\"note\">").append(esc(Plots.SPECTRUM_NOTE)).append(".</p>\n");
        body.append(EvidenceTables.html(t));
        for (Chart c : Plots.trajectoryCharts(t)) {
            figure(c);
        }
        body.append("</section>\n");
    }

    /** Where each checkpoint was read from: its model (a local path or a Hub id) and the commit, when known. */
    private void checkpointSources(TrajectoryResult t) {
        body.append("<details><summary>Where each checkpoint came from</summary>\n<table class=\"params\">\n"
                + "<tr><th>revision</th><th>model</th><th>commit</th><th>weights fingerprint</th></tr>\n");
        for (TrajectoryPoint p : t.points) {
            body.append("<tr><td>").append(esc(p.revision)).append("</td><td><code>").append(esc(p.model))
                    .append("</code></td><td>").append(p.commit == null ? "&ndash;" : "<code>" + esc(p.commit) + "</code>")
                    .append("</td><td>").append(p.fingerprint == null ? "&ndash;"
                            : "<code>" + esc(p.fingerprint.substring(0, Math.min(16, p.fingerprint.length()))) + "</code>")
                    .append("</td></tr>\n");
        }
        body.append("</table></details>\n");
    }

    /** Checkpoints whose weights are the same (the same checkpoint under several names), one line per group. */
    private void identicalWeights(TrajectoryResult t) {
        for (TrajectoryResult.IdenticalWeights group : t.identicalWeights()) {
            body.append("<p class=\"warn\">Warning: ").append(esc(FitDiagnostics.names(group.revisions)))
                    .append(" have identical weights (fingerprint <code>")
                    .append(esc(group.fingerprint.substring(0, Math.min(12, group.fingerprint.length()))))
                    .append("</code>): the same checkpoint under ").append(group.revisions.size())
                    .append(" names? Their E values are not independent.</p>\n");
        }
    }

    /** The poor-fit warning the command line gave, so that the report carries it too. */
    private void fitWarning(TrajectoryResult t) {
        List<FitDiagnostics.Summary> fits = new ArrayList<>();
        for (TrajectoryPoint p : t.points) {
            fits.add(FitDiagnostics.of(p.revision, t.options, p.samples));
        }
        org.neuromfa.Message warning = FitDiagnostics.lowRSquaredWarning(fits);
        if (warning != null) {
            // Settings named by their command-line flags, as the command line's own warning names them.
            String text = warning.render(name -> "--" + name.replace('_', '-'));
            body.append("<p class=\"warn\">").append(esc(text.startsWith("warning: ")
                    ? "Warning: " + text.substring("warning: ".length()) : text))
                    .append(". alpha0, width and E rest on these fits.</p>\n");
        }
    }

    /** One or two checkpoints: every seed's numbers, which the plots can only summarise. */
    private void perSeed(TrajectoryResult t) {
        body.append("<h3>Per seed</h3>\n<table>\n<tr><th>checkpoint</th><th>seed</th><th>alpha0</th><th>width</th>"
                + "<th>kept</th><th>lowest R<sup>2</sup></th></tr>\n");
        for (TrajectoryPoint p : t.points) {
            for (SampleResult s : p.samples) {
                double lowest = Double.NaN;
                for (double r2 : s.rSquared()) {
                    if (!Double.isNaN(r2) && (Double.isNaN(lowest) || r2 < lowest)) {
                        lowest = r2;
                    }
                }
                body.append("<tr><td>").append(esc(p.revision)).append("</td><td>").append(s.seed())
                        .append("</td><td>").append(num(s.alpha0())).append("</td><td>").append(num(s.width()))
                        .append("</td><td>").append(s.kept() ? "yes" : "no").append("</td><td>").append(num(lowest))
                        .append("</td></tr>\n");
            }
        }
        body.append("</table>\n");
    }

    /**
     * A sensitivity sweep: E per checkpoint and value side by side, the plot of E per value, then the
     * trajectory of each value as {@link #trajectory} shows it.
     */
    public void sweep(String title, org.neuromfa.study.Sweep.Result r) {
        section(title);
        body.append(EvidenceTables.sweep(r));
        for (Chart c : EvidencePlots.sweepCharts(r)) {
            figure(c);
        }
        body.append("</section>\n");
        for (int k = 0; k < r.trajectories.size(); k++) {
            trajectory(title + ", " + r.sweep.setting.label() + " = " + r.sweep.format(r.sweep.values.get(k)),
                    r.trajectories.get(k));
        }
    }

    /**
     * A correlation: {@code trajectory} and {@code benchmarks} name the files it was computed from.
     */
    public void correlation(String title, String trajectory, List<String> benchmarks, BenchmarkCorrelation r) {
        section(title);
        body.append("<p>Metric <b>").append(esc(r.metric)).append("</b> from ")
                .append(benchmarks.size()).append(" benchmark file(s); degree of emergence from ")
                .append(esc(trajectory)).append(".</p>\n");
        body.append("<table>\n<tr><th>task</th><th>few-shot</th><th>n</th><th>Pearson r</th><th>p</th><th>Spearman rho</th>"
                + "<th>p</th><th>trajectory steps without results</th><th>result steps without checkpoint</th></tr>\n");
        List<BenchmarkCorrelation.Series> rows = new ArrayList<>(r.tasks);
        if (r.average != null) {
            rows.add(r.average);
        }
        for (BenchmarkCorrelation.Series s : rows) {
            Correlation c = s.correlation;
            body.append("<tr><td>").append(esc(s.task)).append("</td><td>")
                    .append(s.numFewshot >= 0 ? Integer.toString(s.numFewshot) : "&ndash;")
                    .append("</td><td>").append(c.n)
                    .append("</td><td>").append(num(c.pearsonR)).append("</td><td>").append(pnum(c.pearsonP))
                    .append("</td><td>").append(num(c.spearmanRho)).append("</td><td>").append(pnum(c.spearmanP))
                    .append("</td><td>").append(steps(s.unmatchedTrajectorySteps))
                    .append("</td><td>").append(steps(s.unmatchedBenchmarkSteps)).append("</td></tr>\n");
        }
        body.append("</table>\n");
        fewPoints(rows.stream().mapToInt(s -> s.correlation.n).min().orElse(0));
        if (!r.checkpointsWithoutStep.isEmpty()) {
            body.append("<p class=\"note\">Checkpoints without a training step (not correlated): ")
                    .append(esc(String.join(", ", r.checkpointsWithoutStep))).append("</p>\n");
        }
        if (!r.tasksWithoutMetric.isEmpty()) {
            // Names with spaces between them, so that a long list wraps on the page.
            body.append("<p class=\"note\">Tasks without this metric: ").append(esc(String.join(", ", r.tasksWithoutMetric)))
                    .append("</p>\n");
        }
        for (BenchmarkCorrelation.Series s : rows) {
            Chart over = Plots.benchmarkOverSteps(s, r.metric);
            if (over != null) {
                figure(over);
            }
            Chart scatter = Plots.benchmarkScatter(s, r.metric);
            if (scatter != null) {
                figure(scatter);
            }
        }
        body.append("</section>\n");
    }

    public void scaling(String title, ScalingComparison r) {
        section(title);
        body.append("<p>Degree of emergence at training step ").append(r.step)
                .append(", against the parameter count summed over each checkpoint's tensors.</p>\n");
        body.append("<table>\n<tr><th>trajectory</th><th>model</th><th>parameters</th><th>E</th>"
                + "<th>E s.d. over seeds</th><th>alpha0 (mean &plusmn; s.d.)</th><th>width (mean &plusmn; s.d.)</th></tr>\n");
        for (ScalingComparison.Model m : r.models) {
            body.append("<tr><td>").append(esc(m.trajectory)).append("</td><td>").append(esc(m.model))
                    .append("</td><td>").append(String.format(Locale.ROOT, "%,d", m.parameterCount))
                    .append("</td><td>").append(num(m.emergence)).append("</td><td>").append(num(m.emergenceStd))
                    .append("</td><td>").append(pm(m.alpha0Mean, m.alpha0Std))
                    .append("</td><td>").append(pm(m.widthMean, m.widthStd)).append("</td></tr>\n");
        }
        ScalingFit f = r.fit;
        body.append("</table>\n<p>Least squares E = a + b ln N: b = ").append(num(f.slope)).append(" &plusmn; ")
                .append(num(f.slopeStderr)).append(", a = ").append(num(f.intercept)).append(", R<sup>2</sup> = ")
                .append(num(f.rSquared)).append(", p = ").append(pnum(f.slopeP)).append(", n = ")
                .append(f.n).append(".</p>\n");
        fewPoints(f.n);
        Chart c = Plots.scaling(r);
        if (c != null) {
            figure(c);
        }
        body.append("</section>\n");
    }

    /** Several trajectories side by side: the growth of E per trajectory, the pairwise tests, and the shared plots. */
    public void comparison(String title, TrajectoryComparison c) {
        section(title);
        body.append("<p>Growth rate of E: the least-squares slope of E against log<sub>10</sub>(training step) over the")
                .append(" checkpoints with a step of at least 1 (E per tenfold training), with its ")
                .append(Math.round(EmergenceGrowth.CONFIDENCE * 100)).append("% confidence interval (Student's t).</p>\n");
        body.append("<table>\n<tr><th>trajectory</th><th>file</th><th>baseline</th><th>checkpoints fitted</th><th>slope</th>"
                + "<th>interval</th><th>R<sup>2</sup></th></tr>\n");
        for (TrajectoryComparison.Series s : c.series) {
            EmergenceGrowth g = s.growth;
            body.append("<tr><td>").append(esc(s.label)).append("</td><td>").append(esc(s.file)).append("</td><td>")
                    .append(esc(s.baseline)).append("</td><td>").append(g.n).append("</td><td>").append(num(g.slope))
                    .append("</td><td>").append(Double.isFinite(g.low) ? "[" + num(g.low) + ", " + num(g.high) + "]" : "&ndash;")
                    .append("</td><td>").append(num(g.rSquared)).append("</td></tr>\n");
        }
        body.append("</table>\n");
        if (!c.differences.isEmpty()) {
            body.append("<p>Differences of the growth rates: t = (b<sub>1</sub> &minus; b<sub>2</sub>) / &radic;(se<sub>1</sub><sup>2</sup>"
                    + " + se<sub>2</sub><sup>2</sup>) with n<sub>1</sub> + n<sub>2</sub> &minus; 4 degrees of freedom, two-sided p.</p>\n");
            body.append("<table>\n<tr><th>first</th><th>second</th><th>difference</th><th>s.e.</th><th>t</th><th>df</th><th>p</th></tr>\n");
            for (TrajectoryComparison.Pair p : c.differences) {
                EmergenceGrowth.Difference d = p.difference;
                body.append("<tr><td>").append(esc(p.a)).append("</td><td>").append(esc(p.b)).append("</td><td>")
                        .append(num(d.difference)).append("</td><td>").append(num(d.stderr)).append("</td><td>").append(num(d.t))
                        .append("</td><td>").append(d.degreesOfFreedom).append("</td><td>").append(pnum(d.p)).append("</td></tr>\n");
            }
            body.append("</table>\n");
        }
        for (TrajectoryComparison.Series s : c.series) {
            if (!s.withoutStep().isEmpty()) {
                body.append("<p class=\"note\">").append(esc(s.label)).append(": checkpoints without a training step (not fitted): ")
                        .append(esc(String.join(", ", s.withoutStep()))).append("</p>\n");
            }
        }
        for (Chart chart : ComparisonPlots.charts(c)) {
            figure(chart);
        }
        body.append("</section>\n");
    }

    /** The caution for p-values over few points, or nothing. */
    private void fewPoints(int n) {
        String caution = Plots.fewPointsCaution(n);
        if (caution != null) {
            body.append("<p class=\"warn\">Caution: ").append(esc(caution)).append(".</p>\n");
        }
    }

    private void section(String title) {
        body.append("<section>\n<h2>").append(esc(title)).append("</h2>\n");
    }

    private void parameters(JsonNode p) {
        body.append("<h3>Parameters</h3>\n<table class=\"params\">\n");
        Iterator<Map.Entry<String, JsonNode>> it = p.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            body.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(setting(e.getValue())))
                    .append("</td></tr>\n");
        }
        body.append("</table>\n");
    }

    /**
     * A setting as text: a number or word as it is, a group (the distance and spectrum settings)
     * as "name: value" pairs, which {@code asText} would leave empty.
     */
    static String setting(JsonNode v) {
        if (v.isObject()) {
            StringBuilder b = new StringBuilder();
            Iterator<Map.Entry<String, JsonNode>> it = v.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(": ").append(setting(e.getValue()));
            }
            return b.toString();
        }
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(x -> items.add(setting(x)));
            return "[" + String.join(", ", items) + "]";
        }
        return v.isNull() ? "none" : v.asText();
    }

    private void figure(Chart c) {
        figures++;
        String svg = c.svg("f" + figures + "-");
        body.append("<figure id=\"figure-").append(figures).append("\"><img class=\"plot\" width=\"").append(c.width())
                .append("\" height=\"").append(c.height()).append("\" alt=\"").append(esc(c.title)).append("\" src=\"data:image/svg+xml;base64,")
                .append(Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8)))
                .append("\"><figcaption>Figure ").append(figures).append(". ").append(esc(c.title)).append("</figcaption></figure>\n");
    }

    public int figures() {
        return figures;
    }

    public String html() {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<link rel=\"icon\" href=\"data:,\">\n<title>NeuroMFA report</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,\"DejaVu Sans\",sans-serif;margin:2em auto;max-width:1000px;color:#222;padding:0 1em}\n")
                .append("h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}\n")
                .append("table{border-collapse:collapse;margin:.5em 0;font-size:.9em}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}\n")
                .append("th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}table.params td{text-align:left}\n")
                .append("figure{margin:1.5em 0}img.plot{max-width:100%;height:auto;border:1px solid #ccd3da}\n")
                .append("figcaption{font-size:.9em;color:#555}.note{font-size:.9em;color:#555}\n")
                .append(".warn{color:#8a4b00}p.warn{background:#fff6e5;border-left:3px solid #e0a040;padding:.3em .6em}\n")
                .append("table.provenance td{text-align:left}details{margin:.5em 0}.n{white-space:nowrap}\n")
                .append("</style>\n</head>\n<body>\n<h1>NeuroMFA report</h1>\n<p>Neuron-based multifractal analysis: alpha0 (irregularity)"
                        + " and width (heterogeneity) of the multifractal spectrum of sampled neuron interaction networks,"
                        + " and the degree of emergence E over training. Made from: ");
        for (int i = 0; i < sources.size(); i++) {
            b.append(i == 0 ? "" : ", ").append("<code>").append(esc(sources.get(i))).append("</code>");
        }
        b.append(".</p>\n");
        if (provenance != null) {
            b.append("<table class=\"provenance\">\n<tr><th>made by</th><td>").append(esc(provenance[0]))
                    .append("</td></tr>\n<tr><th>command</th><td><code>").append(esc(provenance[1]))
                    .append("</code></td></tr>\n<tr><th>made at (UTC)</th><td>").append(esc(provenance[2]))
                    .append("</td></tr>\n</table>\n");
        }
        b.append(body).append("</body>\n</html>\n");
        return b.toString();
    }

    static String pm(double mean, double sd) {
        if (!Double.isFinite(mean)) {
            return "&ndash;";
        }
        return String.format(Locale.ROOT, "%.5f", mean) + (Double.isFinite(sd) ? String.format(Locale.ROOT, " &plusmn; %.5f", sd) : "");
    }

    /** Four decimals; a dash when undefined. */
    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "&ndash;";
    }

    /** Three significant digits (p-values); a dash when undefined. */
    static String pnum(double v) {
        // Kept on one line: a browser would break 2.31e-11 at its minus sign.
        return Double.isFinite(v) ? "<span class=\"n\">" + String.format(Locale.ROOT, "%.3g", v) + "</span>" : "&ndash;";
    }

    /** Up to eight steps, then how many there are. */
    static String steps(long[] a) {
        if (a.length == 0) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < a.length; i++) {
            if (i == 8) {
                b.append(", &hellip; (").append(a.length).append(" in all)");
                break;
            }
            b.append(i == 0 ? "" : ", ").append(a[i]);
        }
        return b.toString();
    }

    /** Names as a JSON list, {@code ["a","b"]}, as the correlation file writes them. */
    public static String jsonList(List<String> names) {
        try {
            return Json.MAPPER.writeValueAsString(names);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

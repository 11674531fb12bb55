package org.neuromfa.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.evals.BenchmarkCsv;
import org.neuromfa.evals.BenchmarkScore;
import org.neuromfa.evals.LmEvalHarnessJson;
import org.neuromfa.io.CorrelationJson;
import org.neuromfa.io.ResultJson;
import org.neuromfa.io.TrajectoryJson;
import org.neuromfa.report.Chart;
import org.neuromfa.report.Plots;
import org.neuromfa.report.ReportHtml;
import org.neuromfa.study.BenchmarkCorrelation;
import org.neuromfa.study.Correlation;
import org.neuromfa.study.TrajectoryResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code neuromfa correlate TRAJECTORY.json --benchmarks PATH...}: E against benchmark accuracy over training. */
@Command(name = "correlate", resourceBundle = "org.neuromfa.cli.Options",
        header = "Correlate a trajectory's E with benchmark results over training steps.",
        mixinStandardHelpOptions = true,
        description = "Correlate a trajectory's degree of emergence E with benchmark results over the training steps "
                + "present in both: Pearson r and Spearman rho with p-values, per task and for the task average.")
final class CorrelateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TRAJECTORY.json", description = "A trajectory written by 'trajectory --json'.")
    Path trajectory;

    @Option(names = "--benchmarks", arity = "1..*", required = true, paramLabel = "PATH",
            description = "lm-evaluation-harness result files (.json), CSV files with a 'revision' column and one"
                    + " column per series, or directories holding them (searched recursively).")
    List<Path> benchmarks;

    @Option(names = "--metric", paramLabel = "NAME", defaultValue = "acc",
            description = "Metric of the lm-evaluation-harness results. Default: ${DEFAULT-VALUE}.")
    String metric;

    @Mixin
    OutputOptions.Json json;

    @Mixin
    OutputOptions.Plots plots;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TrajectoryResult t = TrajectoryJson.read(trajectory);
        List<Path> files = files(benchmarks);
        List<BenchmarkScore> scores = new ArrayList<>();
        for (Path f : files) {
            scores.addAll(f.toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? BenchmarkCsv.read(f) : LmEvalHarnessJson.read(f));
        }
        BenchmarkCorrelation c = BenchmarkCorrelation.of(t, scores, metric);
        ObjectNode result = CorrelationJson.of(c, trajectory.toString(),
                files.stream().map(Path::toString).collect(Collectors.toList()));
        json.write(ResultJson.bytes(result), out);
        if (plots.given()) {
            plots.save(charts(c), err);
        }
        PrintWriter w = OutputOptions.summary(out, err, json);
        table(c, w);
        w.flush();
        return 0;
    }

    static List<Chart> charts(BenchmarkCorrelation correlation) {
        List<Chart> charts = new ArrayList<>();
        List<BenchmarkCorrelation.Series> series = new ArrayList<>();
        if (correlation.average != null) {
            series.add(correlation.average);
        }
        series.addAll(correlation.tasks);
        for (BenchmarkCorrelation.Series s : series) {
            Chart over = Plots.benchmarkOverSteps(s, correlation.metric);
            if (over != null) {
                charts.add(over);
            }
            Chart scatter = Plots.benchmarkScatter(s, correlation.metric);
            if (scatter != null) {
                charts.add(scatter);
            }
        }
        return charts;
    }

    static List<Path> files(List<Path> paths) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile).filter(f -> {
                        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                        return n.endsWith(".json") || n.endsWith(".csv");
                    }).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new NeuroMfaException(p.toString(), "no such file or directory");
            }
        }
        if (files.isEmpty()) {
            throw new NeuroMfaException(paths.get(0).toString(), "no benchmark files (.json or .csv) found");
        }
        return files;
    }

    static void table(BenchmarkCorrelation r, PrintWriter w) {
        w.printf(Locale.ROOT, "E against %s over training steps%n", r.metric);
        w.printf(Locale.ROOT, "%-24s %4s %9s %10s %9s %10s %s%n", "task", "n", "pearson_r", "p", "spearman", "p",
                "unmatched steps (trajectory / benchmark)");
        List<BenchmarkCorrelation.Series> rows = new ArrayList<>(r.tasks);
        if (r.average != null) {
            rows.add(r.average);
        }
        for (BenchmarkCorrelation.Series s : rows) {
            Correlation c = s.correlation;
            w.printf(Locale.ROOT, "%-24s %4d %9s %10s %9s %10s %d / %d%n", s.task, c.n, num(c.pearsonR),
                    pnum(c.pearsonP), num(c.spearmanRho), pnum(c.spearmanP), s.unmatchedTrajectorySteps.length,
                    s.unmatchedBenchmarkSteps.length);
        }
        if (r.average != null && r.average.unmatchedTrajectorySteps.length > 0) {
            w.println("trajectory steps without benchmark results: " + jsonList(r.average.unmatchedTrajectorySteps));
        }
        if (!r.checkpointsWithoutStep.isEmpty()) {
            w.println("checkpoints without a training step (not correlated): " + ReportHtml.jsonList(r.checkpointsWithoutStep));
        }
        if (!r.tasksWithoutMetric.isEmpty()) {
            w.println("tasks without '" + r.metric + "': " + ReportHtml.jsonList(r.tasksWithoutMetric));
        }
        String caution = org.neuromfa.report.Plots.fewPointsCaution(
                rows.stream().mapToInt(s -> s.correlation.n).min().orElse(0));
        if (caution != null) {
            w.println("caution: " + caution);
        }
    }

    /** Steps as a JSON list, {@code [0,1000]}. */
    private static String jsonList(long[] steps) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < steps.length; i++) {
            b.append(i == 0 ? "" : ",").append(steps[i]);
        }
        return b.append(']').toString();
    }

    /** Three significant digits (p-values); n/a when undefined. */
    static String pnum(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : "n/a";
    }

    /** Four decimals; n/a when undefined. */
    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "n/a";
    }
}

package org.neuromfa.cli;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.neuromfa.io.CorrelationJson;
import org.neuromfa.io.ResultJson;
import org.neuromfa.io.TrajectoryJson;
import org.neuromfa.report.Chart;
import org.neuromfa.report.Plots;
import org.neuromfa.study.BenchmarkCorrelation;
import org.neuromfa.study.TrajectoryResult;
import org.neuromfa.study.evals.BenchmarkCsv;
import org.neuromfa.study.evals.BenchmarkScore;
import org.neuromfa.study.evals.LmEvalHarnessJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code neuromfa correlate TRAJECTORY.json --benchmarks PATH...}: E against benchmark accuracy over training. */
@Command(name = "correlate",
        header = "Correlate a trajectory's E with benchmark results over training steps.",
        mixinStandardHelpOptions = true,
        description = {
            "Correlate a trajectory's degree of emergence E with benchmark results over the training steps",
            "present in both: Pearson r and Spearman rho with p-values, per task and for the task average."})
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

    @Option(names = "--json", paramLabel = "FILE", description = "Write the correlations as JSON to FILE ('-' for standard output).")
    String json;

    @Option(names = "--plots", paramLabel = "DIR", description = "Write E beside each benchmark and the scatter plots (PNG and SVG) to DIR.")
    Path plots;

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
        if (json != null) {
            Outputs.write(json, ResultJson.bytes(result), out);
        }
        if (plots != null) {
            for (Chart chart : charts(result)) {
                chart.save(plots);
            }
        }
        PrintWriter w = "-".equals(json) ? err : out;
        table(result, w);
        w.flush();
        return 0;
    }

    static List<Chart> charts(JsonNode correlation) {
        List<Chart> charts = new ArrayList<>();
        String metric = correlation.path("metric").asText();
        List<JsonNode> series = new ArrayList<>();
        if (correlation.path("average").isObject()) {
            series.add(correlation.get("average"));
        }
        correlation.path("tasks").forEach(series::add);
        for (JsonNode s : series) {
            Chart over = Plots.benchmarkOverSteps(s, metric);
            if (over != null) {
                charts.add(over);
            }
            Chart scatter = Plots.benchmarkScatter(s, metric);
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

    static void table(JsonNode r, PrintWriter w) {
        w.printf(Locale.ROOT, "E against %s over training steps%n", r.path("metric").asText());
        w.printf(Locale.ROOT, "%-24s %4s %9s %10s %9s %10s %s%n", "task", "n", "pearson_r", "p", "spearman", "p",
                "unmatched steps (trajectory / benchmark)");
        List<JsonNode> rows = new ArrayList<>();
        r.path("tasks").forEach(rows::add);
        if (r.path("average").isObject()) {
            rows.add(r.get("average"));
        }
        for (JsonNode s : rows) {
            w.printf(Locale.ROOT, "%-24s %4d %9s %10s %9s %10s %d / %d%n", s.path("task").asText(), s.path("n").asInt(),
                    num(s.get("pearson_r")), pnum(s.get("pearson_p")), num(s.get("spearman_rho")), pnum(s.get("spearman_p")),
                    s.path("unmatched_trajectory_steps").size(), s.path("unmatched_benchmark_steps").size());
        }
        JsonNode avg = r.path("average");
        if (avg.isObject() && avg.path("unmatched_trajectory_steps").size() > 0) {
            w.println("trajectory steps without benchmark results: " + avg.get("unmatched_trajectory_steps"));
        }
        if (r.path("checkpoints_without_step").size() > 0) {
            w.println("checkpoints without a training step (not correlated): " + r.get("checkpoints_without_step"));
        }
        if (r.path("tasks_without_metric").size() > 0) {
            w.println("tasks without '" + r.path("metric").asText() + "': " + r.get("tasks_without_metric"));
        }
    }

    static String pnum(JsonNode v) {
        return v == null || !v.isNumber() ? "n/a" : String.format(Locale.ROOT, "%.3g", v.asDouble());
    }

    static String num(JsonNode v) {
        return v == null || !v.isNumber() ? "n/a" : String.format(Locale.ROOT, "%.4f", v.asDouble());
    }
}

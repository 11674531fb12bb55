package org.neuromfa.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.io.ComparisonJson;
import org.neuromfa.io.ResultJson;
import org.neuromfa.io.TrajectoryJson;
import org.neuromfa.report.Chart;
import org.neuromfa.report.ComparisonPlots;
import org.neuromfa.study.EmergenceGrowth;
import org.neuromfa.study.TrajectoryComparison;
import org.neuromfa.study.TrajectoryResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code neuromfa compare TRAJECTORY.json...}: several trajectories side by side, with the growth of E and its differences. */
@Command(name = "compare",
        header = "Several trajectories side by side: alpha0, width and E together, E's growth rate and its differences.",
        mixinStandardHelpOptions = true,
        description = "Compare trajectories (model families, sizes, training data): alpha0, width and E on shared "
                + "axes, each trajectory's growth rate of E per tenfold training steps with its 95%% interval, and "
                + "a t test of the difference of every pair of growth rates.")
final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "2..*", paramLabel = "TRAJECTORY.json", description = "Trajectories written by 'trajectory --json'.")
    List<Path> trajectories;

    @Option(names = "--labels", split = ",", paramLabel = "LABEL",
            description = "Labels of the trajectories, in order (default: each trajectory's model).")
    List<String> labels;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the comparison as JSON to FILE ('-' for standard output).")
    String json;

    @Option(names = "--plots", paramLabel = "DIR", description = "Write the plots (PNG and SVG) to DIR.")
    Path plots;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (labels != null && labels.size() != trajectories.size()) {
            throw new NeuroMfaException("--labels gives " + labels.size() + " labels for " + trajectories.size() + " trajectories");
        }
        List<TrajectoryResult> results = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (Path p : trajectories) {
            results.add(TrajectoryJson.read(p));
            files.add(p.toString());
        }
        TrajectoryComparison c = TrajectoryComparison.of(results, files, labels);
        if (json != null) {
            OutputOptions.write(json, ResultJson.bytes(ComparisonJson.of(c)), out);
        }
        if (plots != null) {
            OutputOptions.savePlots(plots, ComparisonPlots.charts(c), err);
        }
        table(c, "-".equals(json) ? err : out);
        return 0;
    }

    static void table(TrajectoryComparison c, PrintWriter w) {
        w.printf(Locale.ROOT, "growth of E per tenfold training steps (least squares on log10(step), steps >= 1; %d%% interval)%n",
                Math.round(EmergenceGrowth.CONFIDENCE * 100));
        w.printf(Locale.ROOT, "%-32s %4s %10s %24s %8s%n", "trajectory", "n", "slope", "interval", "R^2");
        for (TrajectoryComparison.Series s : c.series) {
            EmergenceGrowth g = s.growth;
            String interval = Double.isFinite(g.low) ? String.format(Locale.ROOT, "[%.4f, %.4f]", g.low, g.high) : "n/a";
            w.printf(Locale.ROOT, "%-32s %4d %10s %24s %8s%n", s.label, g.n, num(g.slope), interval, num(g.rSquared));
        }
        if (!c.differences.isEmpty()) {
            w.printf(Locale.ROOT, "%-48s %10s %9s %8s %4s %10s%n", "difference (first - second)", "slopes", "s.e.", "t", "df", "p");
            for (TrajectoryComparison.Pair p : c.differences) {
                EmergenceGrowth.Difference d = p.difference;
                w.printf(Locale.ROOT, "%-48s %10s %9s %8s %4d %10s%n", p.a + " - " + p.b, num(d.difference), num(d.stderr),
                        num(d.t), d.degreesOfFreedom, Double.isFinite(d.p) ? String.format(Locale.ROOT, "%.3g", d.p) : "n/a");
            }
        }
        for (TrajectoryComparison.Series s : c.series) {
            if (!s.withoutStep().isEmpty()) {
                w.println(s.label + ": checkpoints without a training step (not fitted): " + s.withoutStep());
            }
        }
        w.flush();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "n/a";
    }
}

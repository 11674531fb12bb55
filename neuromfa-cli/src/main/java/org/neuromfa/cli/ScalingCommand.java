package org.neuromfa.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuromfa.io.ResultJson;
import org.neuromfa.io.ScalingJson;
import org.neuromfa.io.TrajectoryJson;
import org.neuromfa.report.Chart;
import org.neuromfa.report.Plots;
import org.neuromfa.study.ScalingComparison;
import org.neuromfa.study.ScalingFit;
import org.neuromfa.study.TrajectoryResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code neuromfa scaling TRAJECTORY.json...}: the degree of emergence at one step across model sizes. */
@Command(name = "scaling",
        header = "E at a common training step across model sizes, with a fit against ln(parameters).",
        mixinStandardHelpOptions = true,
        description = {
            "Compare model sizes: E of each trajectory at a training step they all have, and an ordinary",
            "least-squares fit of E against ln(parameter count), the count summed over the checkpoint's tensors."})
final class ScalingCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TRAJECTORY.json", description = "Trajectories written by 'trajectory --json', one per model size.")
    List<Path> trajectories;

    @Option(names = "--step", paramLabel = "N", description = "The training step to compare. Default: the largest step all trajectories have.")
    Long step;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the comparison and the fit as JSON to FILE ('-' for standard output).")
    String json;

    @Option(names = "--plots", paramLabel = "DIR", description = "Write the plot of E against model size (PNG and SVG) to DIR.")
    Path plots;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> names = new ArrayList<>();
        List<TrajectoryResult> results = new ArrayList<>();
        for (Path p : trajectories) {
            names.add(p.toString());
            results.add(TrajectoryJson.read(p));
        }
        ScalingComparison s = ScalingComparison.of(names, results, step);
        if (json != null) {
            Outputs.write(json, ResultJson.bytes(ScalingJson.of(s)), out);
        }
        if (plots != null) {
            Chart c = Plots.scaling(s);
            if (c != null) {
                c.save(plots);
            }
        }
        PrintWriter w = "-".equals(json) ? err : out;
        w.printf(Locale.ROOT, "E at step %d%n%-40s %16s %10s%n", s.step, "trajectory", "parameters", "E");
        for (ScalingComparison.Model m : s.models) {
            w.printf(Locale.ROOT, "%-40s %16d %10s%n", m.trajectory, m.parameterCount, CorrelateCommand.num(m.emergence));
        }
        ScalingFit fit = s.fit;
        w.printf(Locale.ROOT, "E = %s + %s ln(N): slope stderr %s, R^2 %s, p %s (n = %d)%n",
                CorrelateCommand.num(fit.intercept), CorrelateCommand.num(fit.slope),
                CorrelateCommand.num(fit.slopeStderr), CorrelateCommand.num(fit.rSquared),
                CorrelateCommand.pnum(fit.slopeP), fit.n);
        w.flush();
        return 0;
    }
}

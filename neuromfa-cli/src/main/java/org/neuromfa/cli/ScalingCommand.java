package org.neuromfa.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuromfa.Message;
import org.neuromfa.analysis.FitDiagnostics;
import org.neuromfa.io.ResultJson;
import org.neuromfa.io.ScalingJson;
import org.neuromfa.io.TrajectoryJson;
import org.neuromfa.report.Chart;
import org.neuromfa.report.Plots;
import org.neuromfa.study.ScalingComparison;
import org.neuromfa.study.ScalingFit;
import org.neuromfa.study.TrajectoryPoint;
import org.neuromfa.study.TrajectoryResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code neuromfa scaling TRAJECTORY.json...}: the degree of emergence at one step across model sizes. */
@Command(name = "scaling", resourceBundle = "org.neuromfa.cli.Options",
        header = "E at a common training step across model sizes, with a fit against ln(parameters).",
        mixinStandardHelpOptions = true,
        description = "Compare model sizes: E of each trajectory at a training step they all have, and an ordinary "
                + "least-squares fit of E against ln(parameter count), the count summed over the checkpoint's "
                + "tensors.")
final class ScalingCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TRAJECTORY.json", description = "Trajectories written by 'trajectory --json', one per model size.")
    List<Path> trajectories;

    @Option(names = "--step", paramLabel = "N", description = "The training step to compare. Default: the largest step all trajectories have.")
    Long step;

    @Mixin
    OutputOptions.Json json;

    @Mixin
    OutputOptions.Plots plots;

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
        json.write(ResultJson.bytes(ScalingJson.of(s)), out);
        Chart c = plots.given() ? Plots.scaling(s) : null;
        plots.save(c == null ? List.of() : List.of(c), err);
        PrintWriter w = OutputOptions.summary(out, err, json);
        w.printf(Locale.ROOT, "E at step %d%n%-40s %16s %10s %10s%n", s.step, "trajectory", "parameters", "E",
                "E s.d.");
        for (ScalingComparison.Model m : s.models) {
            w.printf(Locale.ROOT, "%-40s %16d %10s %10s%n", m.trajectory, m.parameterCount,
                    CorrelateCommand.num(m.emergence), CorrelateCommand.num(m.emergenceStd));
        }
        ScalingFit fit = s.fit;
        w.printf(Locale.ROOT, "E = %s + %s ln(N): slope stderr %s, R^2 %s, p %s (n = %d)%n",
                CorrelateCommand.num(fit.intercept), CorrelateCommand.num(fit.slope),
                CorrelateCommand.num(fit.slopeStderr), CorrelateCommand.num(fit.rSquared),
                CorrelateCommand.pnum(fit.slopeP), fit.n);
        String caution = Plots.fewPointsCaution(fit.n);
        if (caution != null) {
            w.println("caution: " + caution);
        }
        w.flush();
        warnAboutFits(names, results, s.step, err);
        return 0;
    }

    /**
     * The poor-fit warning over the checkpoints the compared E values rest on: each trajectory's
     * baseline and its checkpoint at the step, one line for all.
     */
    private static void warnAboutFits(List<String> names, List<TrajectoryResult> results, long step, PrintWriter err) {
        List<FitDiagnostics.Summary> fits = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            TrajectoryResult t = results.get(i);
            for (TrajectoryPoint p : t.points) {
                if (p == t.points.get(0) || (p.step != null && p.step == step)) {
                    fits.add(FitDiagnostics.of(names.get(i) + " " + p.revision, t.options, p.samples));
                }
            }
        }
        Message warning = FitDiagnostics.lowRSquaredWarning(fits);
        if (warning != null) {
            err.println("neuromfa: " + Flags.render(warning));
            err.flush();
        }
    }
}

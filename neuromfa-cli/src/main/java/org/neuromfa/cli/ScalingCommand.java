package org.neuromfa.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.io.CorrelationJson;
import org.neuromfa.io.ResultJson;
import org.neuromfa.io.TrajectoryJson;
import org.neuromfa.report.Chart;
import org.neuromfa.report.Plots;
import org.neuromfa.study.ScalingFit;
import org.neuromfa.study.TrajectoryPoint;
import org.neuromfa.study.TrajectoryResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

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
        List<TrajectoryResult> results = new ArrayList<>();
        TreeSet<Long> common = null;
        for (Path p : trajectories) {
            TrajectoryResult t = TrajectoryJson.read(p);
            results.add(t);
            TreeSet<Long> steps = new TreeSet<>();
            t.points.stream().filter(x -> x.step != null).forEach(x -> steps.add(x.step));
            if (common == null) {
                common = steps;
            } else {
                common.retainAll(steps);
            }
        }
        long at;
        if (step != null) {
            at = step;
        } else if (common == null || common.isEmpty()) {
            throw new NeuroMfaException("the trajectories have no training step in common (checkpoints need stepN labels);"
                    + " give --step N");
        } else {
            at = common.last();
        }
        ObjectNode root = ResultJson.MAPPER.createObjectNode();
        root.put("kind", "scaling");
        root.put("step", at);
        ArrayNode models = root.putArray("models");
        long[] counts = new long[results.size()];
        double[] e = new double[results.size()];
        for (int i = 0; i < results.size(); i++) {
            TrajectoryPoint p = at(results.get(i), at, trajectories.get(i));
            if (p.parameterCount <= 0) {
                throw new NeuroMfaException(trajectories.get(i).toString(), "revision '" + p.revision
                        + "' has no parameter_count");
            }
            counts[i] = p.parameterCount;
            e[i] = p.emergence;
            ObjectNode m = models.addObject();
            m.put("trajectory", trajectories.get(i).toString());
            m.put("revision", p.revision);
            m.put("model", p.model);
            m.put("parameter_count", p.parameterCount);
            ResultJson.number(m, "emergence", p.emergence);
            ResultJson.number(m, "alpha0_mean", p.alpha0Mean);
            ResultJson.number(m, "width_mean", p.widthMean);
        }
        root.set("fit", CorrelationJson.fit(ScalingFit.of(counts, e)));
        if (json != null) {
            Outputs.write(json, ResultJson.bytes(root), out);
        }
        if (plots != null) {
            Chart c = Plots.scaling(root);
            if (c != null) {
                c.save(plots);
            }
        }
        PrintWriter w = "-".equals(json) ? err : out;
        w.printf(Locale.ROOT, "E at step %d%n%-40s %16s %10s%n", at, "trajectory", "parameters", "E");
        for (var m : root.get("models")) {
            w.printf(Locale.ROOT, "%-40s %16d %10s%n", m.get("trajectory").asText(), m.get("parameter_count").asLong(),
                    CorrelateCommand.num(m.get("emergence")));
        }
        var fit = root.get("fit");
        w.printf(Locale.ROOT, "E = %s + %s ln(N): slope stderr %s, R^2 %s, p %s (n = %d)%n",
                CorrelateCommand.num(fit.get("intercept")), CorrelateCommand.num(fit.get("slope")),
                CorrelateCommand.num(fit.get("slope_stderr")), CorrelateCommand.num(fit.get("r_squared")),
                CorrelateCommand.pnum(fit.get("p")), fit.get("n").asInt());
        w.flush();
        return 0;
    }

    private static TrajectoryPoint at(TrajectoryResult t, long step, Path file) {
        for (TrajectoryPoint p : t.points) {
            if (p.step != null && p.step == step) {
                return p;
            }
        }
        throw new NeuroMfaException(file.toString(), "no checkpoint at step " + step);
    }
}

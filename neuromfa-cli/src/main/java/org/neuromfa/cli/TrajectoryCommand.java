package org.neuromfa.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.Bootstrap;
import org.neuromfa.analysis.FitDiagnostics;
import org.neuromfa.base.AtomicFiles;
import org.neuromfa.io.JsonResultStore;
import org.neuromfa.io.ResultCsv;
import org.neuromfa.io.ResultJson;
import org.neuromfa.io.TrajectoryJson;
import org.neuromfa.locate.CheckpointLocator;
import org.neuromfa.report.Plots;
import org.neuromfa.study.ResultStore;
import org.neuromfa.study.SampleRunner;
import org.neuromfa.io.SweepJson;
import org.neuromfa.study.Sweep;
import org.neuromfa.study.ThreadPoolSampleRunner;
import org.neuromfa.study.Trajectory;
import org.neuromfa.study.TrajectoryPoint;
import org.neuromfa.study.TrajectoryResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code neuromfa trajectory CHECKPOINT...}: alpha0, width and the degree of emergence over training. */
@Command(name = "trajectory", resourceBundle = "org.neuromfa.cli.Options",
        header = "alpha0, width and the degree of emergence E over training checkpoints.",
        mixinStandardHelpOptions = true,
        description = "Follow the spectrum over training checkpoints: analyse every checkpoint with the same seeds, "
                + "and compute the degree of emergence E of each against the first (the baseline, step 0). Results "
                + "are stored per (checkpoint, seed, options) as they are computed, so a rerun resumes.")
public class TrajectoryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "CHECKPOINT",
            description = "Checkpoints in training order, baseline first: local directories (or weights files),"
                    + " or Hub models org/name@revision. With --revisions, one Hub model org/name.")
    List<String> checkpoints;

    @Option(names = "--revisions", paramLabel = "REV[,REV...]", split = ",",
            description = "Revisions of the one Hub model given, e.g. step0,step1000,step143000; 'pythia' stands for"
                    + " Pythia's 154 published checkpoints (step0, step1, 2, 4, ..., 512, 1000, 2000, ..., 143000).")
    List<String> revisions;

    @Mixin
    AnalysisOptionsMixin analysis;

    @Mixin
    HubOptionsMixin hub;

    /** The environment Hub settings come from (the command line's; tests pass their own). */
    @picocli.CommandLine.ParentCommand
    Object parent;

    private Progress progress;

    @Option(names = "--nfd", description = "Also compute node fractal dimensions (stored in the samples; plotted with --plots).")
    boolean nfd;

    @Mixin
    OutputOptions.Json json;

    @Mixin
    OutputOptions.Csv csv;

    @Mixin
    OutputOptions.Plots plots;

    @Option(names = "--store", paramLabel = "DIR",
            description = "Where per-seed results are kept for reuse. Default: $XDG_CACHE_HOME/neuromfa/results"
                    + " (or ~/.cache/neuromfa/results).")
    Path store;

    @Option(names = "--no-store", description = "Keep results in memory only (nothing is reused by a later run).")
    boolean noStore;

    @Option(names = "--sweep", paramLabel = "SETTING=V,V...",
            description = "Compute the trajectory for each value of one setting, nodes-per-layer (e.g."
                    + " nodes-per-layer=16,32,64) or threshold (e.g. threshold=100,150,200), every checkpoint opened"
                    + " and read once for all values, and report E per value side by side.")
    String sweep;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AnalysisOptions options = analysis.toOptions().withNodeFractalDimensions(nfd);
        List<String> models = models(checkpoints, revisions);
        ResultStore results = noStore ? ResultStore.inMemory() : JsonResultStore.at(store != null ? store : defaultStore());
        AtomicInteger computed = new AtomicInteger();
        AtomicInteger reused = new AtomicInteger();
        TrajectoryResult result;
        Sweep sweepOf = sweep == null ? null : Sweep.parse(sweep);
        List<AnalysisOptions> trajectories = sweepOf == null ? List.of(options) : sweepOf.apply(options);
        List<TrajectoryResult> all;
        try (Progress progress = Progress.start("trajectory", (long) models.size() * options.samples(), err)) {
            this.progress = progress;
            all = Trajectory.runAll(models, trajectories, results, runner(options), (c, seed, wasComputed) -> {
                (wasComputed ? computed : reused).incrementAndGet();
                progress.step(c.revision() + " seed " + seed + (wasComputed ? "" : " (stored)"));
            }, locator());
        }
        result = all.get(0);
        if (sweepOf != null) {
            return sweepOutputs(new Sweep.Result(sweepOf, all), out, err, computed.get(), reused.get());
        }
        if (json.given()) {
            json.write(ResultJson.bytes(TrajectoryJson.of(result)), out);
        }
        if (csv.given()) {
            csv.write(ResultCsv.trajectory(result), out);
        }
        if (plots.given()) {
            plots.save(Plots.trajectoryCharts(result), err);
        }
        PrintWriter w = OutputOptions.summary(out, err, json, csv);
        summary(result, w);
        w.printf(Locale.ROOT, "%d samples computed, %d reused from the store%n", computed.get(), reused.get());
        w.flush();
        for (TrajectoryResult.IdenticalWeights group : result.identicalWeights()) {
            err.printf(Locale.ROOT, "neuromfa: warning: %s have identical weights (fingerprint %s...): the same"
                    + " checkpoint under %d names? (some Pythia branches are, EleutherAI/pythia issues #205, #206)%n",
                    names(group.revisions), group.fingerprint.substring(0, Math.min(12, group.fingerprint.length())),
                    group.revisions.size());
        }
        warnAboutFits(result, err);
        err.flush();
        return 0;
    }

    /** A sweep's outputs: its JSON and CSV, its plot, the summary of E per value. */
    private int sweepOutputs(Sweep.Result r, PrintWriter out, PrintWriter err, int computed, int reused)
            throws java.io.IOException {
        if (json.given()) {
            json.write(ResultJson.bytes(SweepJson.of(r)), out);
        }
        if (csv.given()) {
            csv.write(SweepJson.csv(r), out);
        }
        if (plots.given()) {
            plots.save(org.neuromfa.report.EvidencePlots.sweepCharts(r), err);
        }
        PrintWriter w = OutputOptions.summary(out, err, json, csv);
        sweepSummary(r, w);
        w.printf(Locale.ROOT, "%d samples of the first value computed, %d reused from the store%n", computed, reused);
        w.flush();
        return 0;
    }

    static void sweepSummary(Sweep.Result r, PrintWriter w) {
        TrajectoryResult first = r.trajectories.get(0);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-32s %8s", "revision", "step"));
        for (double v : r.sweep.values) {
            header.append(String.format(Locale.ROOT, " %12s", "E " + r.sweep.format(v)));
        }
        if (first.underNull != null) {
            for (double v : r.sweep.values) {
                header.append(String.format(Locale.ROOT, " %12s", "null " + r.sweep.format(v)));
            }
        }
        w.printf(Locale.ROOT, "E by %s (columns: its values)%n", r.sweep.setting.label());
        w.println(header);
        for (int i = 0; i < first.points.size(); i++) {
            TrajectoryPoint p = first.points.get(i);
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-32s %8s", p.revision,
                    p.step == null ? "-" : p.step));
            for (TrajectoryResult t : r.trajectories) {
                row.append(String.format(Locale.ROOT, " %12.6f", t.points.get(i).emergence));
            }
            if (first.underNull != null) {
                for (TrajectoryResult t : r.trajectories) {
                    row.append(String.format(Locale.ROOT, " %12.6f", t.underNull.get(i).emergence));
                }
            }
            w.println(row);
        }
    }

    /** The poor-fit warning for a study of many checkpoints: one line on {@code err}, or nothing. */
    static void warnAboutFits(TrajectoryResult t, List<TrajectoryPoint> points, PrintWriter err) {
        List<FitDiagnostics.Summary> fits = new ArrayList<>();
        for (TrajectoryPoint p : points) {
            fits.add(FitDiagnostics.of(p.revision, t.options, p.samples));
        }
        Message warning = FitDiagnostics.lowRSquaredWarning(fits);
        if (warning != null) {
            err.println("neuromfa: " + Flags.render(warning));
            err.flush();
        }
    }

    static void warnAboutFits(TrajectoryResult t, PrintWriter err) {
        warnAboutFits(t, t.points, err);
    }

    /** Who computes the missing samples: this machine's threads here; the Spark module overrides it. */
    protected SampleRunner runner(AnalysisOptions options) {
        return new ThreadPoolSampleRunner(analysis.threads(), locator(),
                progress == null ? org.neuromfa.source.FetchListener.NONE : progress.transfers());
    }

    private CheckpointLocator locator;

    /**
     * How this process finds checkpoints and reaches the Hub to resolve revisions to commits (and,
     * here, to read weights): the environment ({@code HF_ENDPOINT}, ...) with {@code --connections};
     * the Spark module takes its conf's. One locator per run; the Hub settings are read only when a
     * Hub model needs them, so a local trajectory never depends on HF_ENDPOINT.
     */
    protected synchronized CheckpointLocator locator() {
        if (locator == null) {
            Map<String, String> env = parent instanceof Main ? ((Main) parent).env : System.getenv();
            locator = hub.locator(env, spec.commandLine().getErr());
        }
        return locator;
    }

    /** "a and b", "a, b and c", or for long groups the first few and a count: one readable line. */
    static String names(List<String> revisions) {
        if (revisions.size() > 6) {
            return String.join(", ", revisions.subList(0, 4)) + ", ... and " + revisions.get(revisions.size() - 1)
                    + " (" + revisions.size() + " checkpoints)";
        }
        return String.join(", ", revisions.subList(0, revisions.size() - 1)) + " and " + revisions.get(revisions.size() - 1);
    }

    /** Pythia's published checkpoints: step0, the powers of two to 512, then every 1000 steps to 143000. */
    static List<String> pythiaRevisions() {
        List<String> r = new ArrayList<>();
        r.add("step0");
        for (int s = 1; s <= 512; s *= 2) {
            r.add("step" + s);
        }
        for (int s = 1000; s <= 143000; s += 1000) {
            r.add("step" + s);
        }
        return r;
    }

    static List<String> models(List<String> checkpoints, List<String> revisions) {
        if (revisions == null || revisions.isEmpty()) {
            return checkpoints;
        }
        if (checkpoints.size() != 1) {
            throw new NeuroMfaException("--revisions takes exactly one model (org/name), not " + checkpoints.size());
        }
        String model = checkpoints.get(0);
        if (Files.exists(Paths.get(model))) {
            throw new NeuroMfaException(model, "--revisions applies to Hub models, not to a local path");
        }
        if (model.contains("@")) {
            throw new NeuroMfaException(model, "give the model without @revision when using --revisions");
        }
        List<String> revs = revisions.size() == 1 && revisions.get(0).equals("pythia") ? pythiaRevisions() : revisions;
        List<String> models = new ArrayList<>();
        for (String r : revs) {
            if (r.isBlank()) {
                throw new NeuroMfaException("--revisions has an empty entry");
            }
            models.add(model + "@" + r.trim());
        }
        return models;
    }

    static Path defaultStore() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".cache");
        return base.resolve("neuromfa").resolve("results");
    }

    static void summary(TrajectoryResult t, PrintWriter w) {
        w.printf(Locale.ROOT, "%-32s %8s %5s %10s %10s %10s%s%n", "revision", "step", "kept", "alpha0", "width", "E",
                evidenceHeader(t));
        for (int i = 0; i < t.points.size(); i++) {
            TrajectoryPoint p = t.points.get(i);
            w.printf(Locale.ROOT, "%-32s %8s %5d %10.6f %10.6f %10.6f%s%n", p.revision, p.step == null ? "-" : p.step,
                    p.keptSamples, p.alpha0Mean, p.widthMean, p.emergence, evidenceColumns(t, i));
        }
        if (t.underNull != null) {
            w.printf(Locale.ROOT, "E under the %s null keeps %s; E beyond it is what the arrangement adds%n",
                    t.options.nullModel().label(), t.options.nullModel().keeps());
        }
    }

    /** The columns the evidence options add to the summary (none without them). */
    private static String evidenceHeader(TrajectoryResult t) {
        StringBuilder b = new StringBuilder();
        TrajectoryPoint first = t.points.get(0);
        if (first.emergenceInterval != null) {
            b.append(String.format(Locale.ROOT, " %21s", "E " + Math.round(100 * Bootstrap.CONFIDENCE) + "% interval"));
        }
        if (t.underNull != null) {
            b.append(String.format(Locale.ROOT, " %10s", "E " + t.options.nullModel().label()));
        }
        if (first.window != null) {
            b.append(String.format(Locale.ROOT, " %9s %7s", "window", "min R^2"));
        }
        return b.toString();
    }

    private static String evidenceColumns(TrajectoryResult t, int i) {
        StringBuilder b = new StringBuilder();
        TrajectoryPoint p = t.points.get(i);
        if (p.emergenceInterval != null) {
            b.append(String.format(Locale.ROOT, " %21s", AnalyzeCommand.interval(p.emergenceInterval)));
        }
        if (t.underNull != null) {
            b.append(String.format(Locale.ROOT, " %10.6f", t.underNull.get(i).emergence));
        }
        if (p.window != null) {
            b.append(String.format(Locale.ROOT, " %9s %7.4f", p.window.lo + ".." + p.window.hi, p.window.lowestRSquared));
        }
        return b.toString();
    }
}

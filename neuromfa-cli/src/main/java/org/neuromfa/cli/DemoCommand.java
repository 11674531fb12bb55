package org.neuromfa.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuromfa.Message;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointResult;
import org.neuromfa.analysis.FitDiagnostics;
import org.neuromfa.base.AtomicFiles;
import org.neuromfa.io.DemoJson;
import org.neuromfa.io.ResultJson;
import org.neuromfa.io.TrajectoryJson;
import org.neuromfa.locate.CheckpointLocator;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.report.Plots;
import org.neuromfa.report.ReportHtml;
import org.neuromfa.study.TrajectoryResult;
import org.neuromfa.study.TwinComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code neuromfa demo}: the built-in example. Analyses all-MiniLM-L6-v2 (real trained weights, shipped
 * by the build) and an initialised twin with the same shapes (normal, mean 0, std 0.02: BERT's
 * initialisation), and reports alpha0, width and the degree of emergence
 * {@code E = (w_trained / w_init) * ln(alpha0_init / alpha0_trained)}.
 */
@Command(name = "demo",
        header = "The built-in model all-MiniLM-L6-v2, trained against initialised.",
        mixinStandardHelpOptions = true,
        description = "Analyse the built-in model all-MiniLM-L6-v2 (trained weights, resolved by the build) against an "
                + "initialised twin with the same shapes (normal, std 0.02, seeded), and print alpha0, width and "
                + "the degree of emergence E = (w_trained / w_init) * ln(alpha0_init / alpha0_trained).")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Mixin
    AnalysisOptionsMixin analysis;

    @Option(names = "--int8", description = "Use the int8 (dynamically quantised) twin of the model, dequantised when read.")
    boolean int8;

    @Option(names = "--init-std", paramLabel = "STD", defaultValue = "0.02",
            description = "Standard deviation of the initialised twin's weights. Default: ${DEFAULT-VALUE} (BERT's initializer_range).")
    double initStd;

    @Option(names = "--init-seed", paramLabel = "SEED", defaultValue = "0",
            description = "Seed of the initialised twin's weights. Default: ${DEFAULT-VALUE}.")
    long initSeed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "neuromfa-demo",
            description = "Write trained.json, initialised.json (as analyze --json), demo.json (the comparison),"
                    + " trajectory.json (initialised -> trained, as trajectory --json), the plots (PNG and SVG) and"
                    + " report.html to DIR. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--no-files", description = "Only print the summary; write nothing.")
    boolean noFiles;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        TwinComparison.Initialisation init = TwinComparison.Initialisation.normal(initStd, initSeed);
        AnalysisOptions options = analysis.toOptions();
        Path model = DemoModels.locate(int8);
        String label = int8 ? "all-MiniLM-L6-v2 (int8)" : "all-MiniLM-L6-v2";
        TwinComparison comparison;
        try (Checkpoint checkpoint = CheckpointLocator.fromEnvironment(main.env).open(model.toString(), null);
             Progress progress = Progress.start("demo", 2L * options.samples()
                     * (options.nullModel() == org.neuromfa.tensor.NullModel.NONE ? 1 : 2))) {
            comparison = TwinComparison.run(checkpoint, label, options, init, analysis.threads(),
                    (trained, seed) -> progress.step((trained ? "trained" : "initialised") + ", seed " + seed));
        }
        summary(w, comparison);
        if (!noFiles) {
            write(out, comparison, Main.commandLine(spec));
            w.printf(Locale.ROOT, "wrote %s (JSON, plots in %s, report %s)%n", out, out.resolve("plots"),
                    out.resolve("report.html"));
            w.flush();
        }
        // The headline E rests on both analyses: each one's fits are judged as analyze judges them.
        PrintWriter err = spec.commandLine().getErr();
        for (CheckpointResult r : java.util.List.of(comparison.trained, comparison.initialised)) {
            Message warning = FitDiagnostics.lowRSquaredWarning(r);
            if (warning != null) {
                err.println("neuromfa: " + Flags.render(warning));
            }
        }
        err.flush();
        return 0;
    }

    private static void summary(PrintWriter w, TwinComparison c) {
        CheckpointResult trained = c.trained;
        CheckpointResult initialised = c.initialised;
        w.printf(Locale.ROOT, "%s (%s)%n", c.label, AnalyzeCommand.describe(trained));
        w.printf(Locale.ROOT, "%d samples, %d neurons per layer; initialised twin: normal(0, %s), seed %d%n",
                trained.options.samples(), trained.options.nodesPerLayer(), c.initialisation.std, c.initialisation.seed);
        w.printf(Locale.ROOT, "%-12s %10s %10s %8s%n", "", "alpha0", "width", "kept");
        w.printf(Locale.ROOT, "%-12s %10.4f %10.4f %8d%n", "trained", trained.alpha0Mean, trained.widthMean, trained.keptSamples);
        w.printf(Locale.ROOT, "%-12s %10.4f %10.4f %8d%n", "initialised", initialised.alpha0Mean, initialised.widthMean,
                initialised.keptSamples);
        w.printf(Locale.ROOT, "emergence E = (w_trained / w_init) * ln(alpha0_init / alpha0_trained) = %.4f%n", c.emergence);
        evidence(w, c);
        w.println(AnalyzeCommand.readLine(trained.bytesRead, trained.bytesTotal));
        w.flush();
    }

    /** The lines the evidence options add: windows, E's interval, E under the null. */
    private static void evidence(PrintWriter w, TwinComparison c) {
        if (c.trained.window != null) {
            w.println("trained:     " + AnalyzeCommand.window(c.trained.window));
            w.println("initialised: " + AnalyzeCommand.window(c.initialised.window));
        }
        org.neuromfa.study.TrajectoryResult pair = c.trajectory();
        if (pair.points.get(1).emergenceInterval != null) {
            w.printf(Locale.ROOT, "E %.0f%% bootstrap interval (%d resamples, paired seeds): %s%n",
                    100 * org.neuromfa.analysis.Bootstrap.CONFIDENCE, c.trained.options.bootstrap().resamples(),
                    AnalyzeCommand.interval(pair.points.get(1).emergenceInterval));
        }
        if (pair.underNull != null) {
            org.neuromfa.study.TrajectoryPoint n = pair.underNull.get(1);
            w.printf(Locale.ROOT, "under the %s null: alpha0 %.4f / %.4f (trained / initialised), E = %.4f%s%n",
                    pair.options.nullModel().label(), c.trained.nullModel.alpha0Mean, c.initialised.nullModel.alpha0Mean,
                    n.emergence, n.emergenceInterval == null ? "" : " " + AnalyzeCommand.interval(n.emergenceInterval));
        }
    }

    /**
     * Writes the results: the two analyses, the comparison, and the pair as a two-checkpoint trajectory
     * (the initialised twin as the baseline, as step 0 is in a training trajectory) with its plots and an
     * HTML report, made by the same code as {@code trajectory --plots} and {@code report}.
     */
    private static void write(Path dir, TwinComparison c, String commandLine) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve("trained.json"), ResultJson.bytes(ResultJson.checkpoint(c.trained)));
        AtomicFiles.write(dir.resolve("initialised.json"), ResultJson.bytes(ResultJson.checkpoint(c.initialised)));
        AtomicFiles.write(dir.resolve("demo.json"), ResultJson.bytes(DemoJson.of(c)));
        TrajectoryResult pair = c.trajectory();
        AtomicFiles.write(dir.resolve("trajectory.json"), ResultJson.bytes(TrajectoryJson.of(pair)));
        Path plots = Files.createDirectories(dir.resolve("plots"));
        Plots.trajectory(pair, plots);
        ReportHtml html = new ReportHtml();
        html.provenance(Main.version(), commandLine, java.time.Instant.now());
        html.source("neuromfa demo: " + c.trained.model + " against its initialised twin");
        html.trajectory("Initialised twin -> trained " + c.trained.model + " (E = "
                + String.format(Locale.ROOT, "%.4f", c.emergence) + ")", pair);
        AtomicFiles.write(dir.resolve("report.html"), html.html().getBytes(StandardCharsets.UTF_8));
    }
}

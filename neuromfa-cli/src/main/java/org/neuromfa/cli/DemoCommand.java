package org.neuromfa.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointAnalysis;
import org.neuromfa.analysis.CheckpointResult;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.arch.Architecture;
import org.neuromfa.arch.Architectures;
import org.neuromfa.base.AtomicFiles;
import org.neuromfa.io.ResultJson;
import org.neuromfa.io.TrajectoryJson;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.report.Plots;
import org.neuromfa.report.ReportHtml;
import org.neuromfa.study.TrajectoryPoint;
import org.neuromfa.study.TrajectoryResult;
import org.neuromfa.tensor.InitialisedWeights;
import org.neuromfa.tensor.NormalizedWeights;
import org.neuromfa.tensor.TensorStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
        description = {
            "Analyse the built-in model all-MiniLM-L6-v2 (trained weights, resolved by the build) against an",
            "initialised twin with the same shapes (normal, std 0.02, seeded), and print alpha0, width and",
            "the degree of emergence E = (w_trained / w_init) * ln(alpha0_init / alpha0_trained)."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

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
        if (!(initStd > 0) || !Double.isFinite(initStd)) {
            throw new org.neuromfa.NeuroMfaException("--init-std must be positive, not " + initStd);
        }
        AnalysisOptions options = analysis.toOptions();
        Path model = DemoModels.locate(int8);
        String label = int8 ? "all-MiniLM-L6-v2 (int8)" : "all-MiniLM-L6-v2";
        CheckpointResult trained;
        CheckpointResult initialised;
        try (Checkpoint checkpoint = Checkpoint.open(model);
             Progress progress = Progress.start("demo", 2L * options.samples())) {
            Architecture architecture = Architectures.detect(checkpoint, options.qkvLayout());
            TensorStore weights = checkpoint.tensors();
            TensorStore twin = new InitialisedWeights(weights, initStd, initSeed);
            if (options.normalizeWeights()) {
                weights = new NormalizedWeights(weights);
                twin = new NormalizedWeights(twin);
            }
            trained = CheckpointAnalysis.run(label, architecture, weights, options, analysis.threads(),
                    seed -> progress.step("trained, seed " + seed));
            initialised = CheckpointAnalysis.run(label + ", initialised", architecture, twin, options, analysis.threads(),
                    seed -> progress.step("initialised, seed " + seed));
        }
        double emergence = emergence(trained, initialised);
        summary(w, label, trained, initialised, emergence);
        if (!noFiles) {
            write(out, trained, initialised, emergence);
            w.printf(Locale.ROOT, "wrote %s (JSON, plots in %s, report %s)%n", out, out.resolve("plots"),
                    out.resolve("report.html"));
            w.flush();
        }
        return 0;
    }

    /** {@code E = (w_trained / w_init) * ln(alpha0_init / alpha0_trained)}, from the means over kept samples. */
    static double emergence(CheckpointResult trained, CheckpointResult initialised) {
        return trained.widthMean / initialised.widthMean * Math.log(initialised.alpha0Mean / trained.alpha0Mean);
    }

    private void summary(PrintWriter w, String label, CheckpointResult trained, CheckpointResult initialised, double e) {
        w.printf(Locale.ROOT, "%s (%s)%n", label, AnalyzeCommand.describe(trained));
        w.printf(Locale.ROOT, "%d samples, %d neurons per layer; initialised twin: normal(0, %s), seed %d%n",
                trained.options.samples(), trained.options.nodesPerLayer(), initStd, initSeed);
        w.printf(Locale.ROOT, "%-12s %10s %10s %8s%n", "", "alpha0", "width", "kept");
        w.printf(Locale.ROOT, "%-12s %10.4f %10.4f %8d%n", "trained", trained.alpha0Mean, trained.widthMean, trained.keptSamples);
        w.printf(Locale.ROOT, "%-12s %10.4f %10.4f %8d%n", "initialised", initialised.alpha0Mean, initialised.widthMean,
                initialised.keptSamples);
        w.printf(Locale.ROOT, "emergence E = (w_trained / w_init) * ln(alpha0_init / alpha0_trained) = %.4f%n", e);
        w.printf(Locale.ROOT, "read %s of %s%n", AnalyzeCommand.bytes(trained.bytesRead), AnalyzeCommand.bytes(trained.bytesTotal));
        w.flush();
    }

    /**
     * Writes the results: the two analyses, the comparison, and the pair as a two-checkpoint trajectory
     * (the initialised twin as the baseline, as step 0 is in a training trajectory) with its plots and an
     * HTML report, made by the same code as {@code trajectory --plots} and {@code report}.
     */
    private void write(Path dir, CheckpointResult trained, CheckpointResult initialised, double emergence) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve("trained.json"), ResultJson.bytes(ResultJson.checkpoint(trained)));
        AtomicFiles.write(dir.resolve("initialised.json"), ResultJson.bytes(ResultJson.checkpoint(initialised)));
        ObjectNode demo = JsonNodeFactory.instance.objectNode();
        demo.put("model", trained.model);
        demo.set("architecture", ResultJson.MAPPER.valueToTree(trained.architecture));
        demo.set("parameters", ResultJson.parameters(trained.options));
        ObjectNode init = demo.putObject("initialisation");
        init.put("distribution", "normal");
        init.put("mean", 0.0);
        init.put("std", initStd);
        init.put("seed", initSeed);
        demo.set("trained", means(trained));
        demo.set("initialised", means(initialised));
        ResultJson.number(demo, "emergence", emergence);
        AtomicFiles.write(dir.resolve("demo.json"), ResultJson.bytes(demo));

        TrajectoryResult pair = pair(initialised, trained);
        AtomicFiles.write(dir.resolve("trajectory.json"), ResultJson.bytes(TrajectoryJson.of(pair)));
        Path plots = Files.createDirectories(dir.resolve("plots"));
        Plots.trajectory(pair, plots);
        ReportHtml html = new ReportHtml();
        html.source("neuromfa demo: " + trained.model + " against its initialised twin");
        html.trajectory("Initialised twin -> trained " + trained.model + " (E = "
                + String.format(Locale.ROOT, "%.4f", emergence) + ")", pair);
        AtomicFiles.write(dir.resolve("report.html"), html.html().getBytes(StandardCharsets.UTF_8));
    }

    /** The two analyses as a trajectory: the initialised twin first (the baseline), then the trained model. */
    static TrajectoryResult pair(CheckpointResult initialised, CheckpointResult trained) {
        TrajectoryPoint base = point(initialised, null);
        TrajectoryPoint end = point(trained, base);
        return new TrajectoryResult(ResultJson.parameters(trained.options),
                ResultJson.doubles(trained.options.qGrid().values()), List.of(base, end));
    }

    private static TrajectoryPoint point(CheckpointResult r, TrajectoryPoint baseline) {
        List<ObjectNode> samples = new ArrayList<>();
        for (SampleResult s : r.samples) {
            samples.add(ResultJson.sample(s));
        }
        return new TrajectoryPoint(r.model, r.model, null, ResultJson.MAPPER.valueToTree(r.architecture), 0, samples,
                baseline);
    }

    private static ObjectNode means(CheckpointResult r) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ResultJson.number(o, "alpha0_mean", r.alpha0Mean);
        ResultJson.number(o, "width_mean", r.widthMean);
        o.put("kept_samples", r.keptSamples);
        return o;
    }
}

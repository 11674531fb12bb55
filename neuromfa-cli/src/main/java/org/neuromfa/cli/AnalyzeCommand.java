package org.neuromfa.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuromfa.Message;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.Bootstrap;
import org.neuromfa.analysis.ScalingWindow;
import org.neuromfa.analysis.CheckpointAnalysis;
import org.neuromfa.analysis.CheckpointResult;
import org.neuromfa.analysis.FitDiagnostics;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.io.ResultCsv;
import org.neuromfa.io.ResultJson;
import org.neuromfa.locate.CheckpointLocator;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.tensor.NullModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code neuromfa analyze MODEL}: the multifractal spectrum of one checkpoint over several seeds. */
@Command(name = "analyze", resourceBundle = "org.neuromfa.cli.Options",
        header = "The multifractal spectrum of one checkpoint over several seeds.",
        mixinStandardHelpOptions = true,
        description = "Analyse one checkpoint: sample neuron interaction networks (one per seed), compute each one's "
                + "multifractal spectrum, and report alpha0 and width per seed and their means. Defaults reproduce "
                + "the authors' published code exactly.")
final class AnalyzeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "MODEL",
            description = "A checkpoint directory (config.json and weights), a weights file (safetensors, PyTorch"
                    + " .bin, .pt or .pth, ONNX .onnx, or a sharded index such as model.safetensors.index.json), or a"
                    + " Hugging Face Hub model org/name[@revision].")
    String model;

    @Option(names = "--revision", paramLabel = "REV", description = "Revision of a Hub model (branch, tag or commit).")
    String revision;

    @Mixin
    AnalysisOptionsMixin analysis;

    @Mixin
    HubOptionsMixin hub;

    @Mixin
    OutputOptions.Json json;

    @Mixin
    OutputOptions.Csv csv;

    @Option(names = "--nfd", paramLabel = "FILE", description = "Compute node fractal dimensions and write them as CSV (seed, node_id, nfd) to FILE.")
    String nfd;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AnalysisOptions options = analysis.toOptions().withNodeFractalDimensions(nfd != null);
        CheckpointResult result;
        try (Checkpoint checkpoint = hub.locator(main.env, err).open(model, revision);
             // Each seed is analysed once more under a null model.
             Progress progress = Progress.start("analyze", options.samples() * (options.nullModel() == NullModel.NONE ? 1L : 2L))) {
            result = CheckpointAnalysis.run(checkpoint, options, analysis.threads(),
                    seed -> progress.step("seed " + seed), progress.transfers());
        }
        Message warning = FitDiagnostics.lowRSquaredWarning(result);
        if (warning != null) {
            err.println("neuromfa: " + Flags.render(warning));
            err.flush();
        }
        if (json.given()) {
            json.write(ResultJson.bytes(ResultJson.checkpoint(result)), out);
        }
        if (csv.given()) {
            csv.write(ResultCsv.samples(result), out);
        }
        OutputOptions.Target nfdFile = () -> nfd;
        if (nfdFile.given()) {
            nfdFile.write(ResultCsv.nodeFractalDimensions(result), out);
        }
        // The human summary goes to stdout unless stdout carries a machine-readable result.
        summary(result, OutputOptions.summary(out, err, json, csv, nfdFile));
        return 0;
    }

    static void summary(CheckpointResult r, PrintWriter w) {
        w.printf(Locale.ROOT, "%s (%s)%n", r.model, describe(r));
        w.printf(Locale.ROOT, "%6s %8s %9s %8s %9s %9s%n", "seed", "edges", "selected", "kept", "alpha0", "width");
        for (SampleResult s : r.samples) {
            w.printf(Locale.ROOT, "%6d %8d %9d %8s %9.4f %9.4f%n", s.seed(), s.edges(), s.selectedNodes(),
                    s.kept() ? "yes" : "no", s.alpha0(), s.width());
        }
        w.printf(Locale.ROOT, "mean over %d kept samples: alpha0 = %.6f, width = %.6f%n",
                r.keptSamples, r.alpha0Mean, r.widthMean);
        evidence(r, w);
        w.println(readLine(r.bytesRead, r.bytesTotal));
        w.flush();
    }

    /** The lines the evidence options add: the chosen window, the intervals, the means under the null. */
    static void evidence(CheckpointResult r, PrintWriter w) {
        if (r.window != null) {
            w.println(window(r.window));
        }
        if (r.alpha0Interval != null) {
            w.printf(Locale.ROOT, "%.0f%% bootstrap intervals (%d resamples): alpha0 %s, width %s%n",
                    100 * Bootstrap.CONFIDENCE, r.options.bootstrap().resamples(), interval(r.alpha0Interval),
                    interval(r.widthInterval));
        }
        if (r.nullModel != null) {
            CheckpointResult n = r.nullModel;
            w.printf(Locale.ROOT, "under the %s null (keeps %s): alpha0 = %.6f, width = %.6f over %d kept samples%n",
                    n.options.nullModel().label(), n.options.nullModel().keeps(), n.alpha0Mean, n.widthMean,
                    n.keptSamples);
            if (n.alpha0Interval != null) {
                w.printf(Locale.ROOT, "  intervals under the null: alpha0 %s, width %s%n", interval(n.alpha0Interval),
                        interval(n.widthInterval));
            }
        }
    }

    static String window(ScalingWindow sw) {
        return String.format(Locale.ROOT, "scaling range (auto, %s): radii %d..%d, ln span %.3f (at least %.3f);"
                        + " R^2 lowest %.4f, median %.4f (target %s)", sw.outcome.label(), sw.lo, sw.hi, sw.lnSpan,
                sw.minLnSpan, sw.lowestRSquared, sw.medianRSquared, sw.target);
    }

    static String interval(Bootstrap.Interval i) {
        return String.format(Locale.ROOT, "[%.4f, %.4f]", i.low, i.high);
    }

    static String describe(CheckpointResult r) {
        return describe(r.architecture);
    }

    static String describe(java.util.Map<String, Object> architecture) {
        StringBuilder b = new StringBuilder();
        architecture.forEach((k, v) -> {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(k.equals("family") ? v : k + "=" + v);
        });
        return b.toString();
    }

    /**
     * How much of the checkpoint was read: {@code read 20.6 MiB of 86.8 MiB}; when parts were read
     * more than once (whole matrices for --normalize-weights, then their sampled rows), says so
     * instead of a fraction above one.
     */
    static String readLine(long read, long total) {
        if (read > total) {
            return "read " + bytes(read) + " from " + bytes(total) + " of weights (some parts more than once)";
        }
        return "read " + bytes(read) + " of " + bytes(total);
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}

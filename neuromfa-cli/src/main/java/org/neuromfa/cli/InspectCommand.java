package org.neuromfa.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.arch.Architecture;
import org.neuromfa.arch.Architectures;
import org.neuromfa.arch.ArchitectureOptions;
import org.neuromfa.arch.KernelAggregation;
import org.neuromfa.arch.QkvLayout;
import org.neuromfa.arch.Wiring;
import org.neuromfa.arch.WiringJson;
import org.neuromfa.locate.CheckpointLocator;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.tensor.TensorInfo;
import org.neuromfa.tensor.TensorStore;
import org.neuromfa.tensor.onnx.OnnxStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code neuromfa inspect MODEL}: the tensors of a checkpoint, its architecture and the neuron groups it will build. */
@Command(name = "inspect",
        header = "A checkpoint's tensors, detected architecture and the neuron groups analysed.",
        mixinStandardHelpOptions = true,
        description = "List a checkpoint's tensors (name, type, shape), its detected architecture and the neuron"
                + " groups and connections an analysis builds.")
final class InspectCommand implements Callable<Integer> {

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

    @Option(names = "--qkv-layout", paramLabel = "LAYOUT", defaultValue = "thirds",
            description = "GPT-NeoX QKV rows as 'thirds' (default) or 'heads'.")
    String qkvLayout;

    @Option(names = "--kernel-aggregation", paramLabel = "FORM", defaultValue = "l2",
            description = "Convolution kernels as one weight: l2 (default), max, mean or l1.")
    String kernelAggregation;

    @Option(names = "--wiring",
            description = "Print only the wiring of the model (its neuron groups, samples and connections) as a wiring"
                    + " file, a starting point for 'analyze --wiring FILE.json'.")
    boolean printWiring;

    @Option(names = "--wiring-file", paramLabel = "FILE.json",
            description = "Wire the model by this wiring file instead of detecting its family, and check it against"
                    + " the checkpoint's tensors.")
    Path wiringFile;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        ArchitectureOptions options = ArchitectureOptions.defaults().withQkvLayout(QkvLayout.parse(qkvLayout))
                .withKernelAggregation(KernelAggregation.parse(kernelAggregation));
        if (wiringFile != null) {
            options = options.withWiring(wiringFile.toString(), AnalysisOptionsMixin.readWiring(wiringFile));
        }
        if (printWiring) {
            try (Checkpoint checkpoint = CheckpointLocator.fromEnvironment(main.env).open(model, revision)) {
                Architecture arch = Architectures.detect(checkpoint, options);
                Wiring wiring = arch.wiringDescription();
                if (wiring == null) {
                    throw new NeuroMfaException(checkpoint.label(), "the " + arch.family() + " wiring with --qkv-layout "
                            + qkvLayout + " has no wiring-file description (its attention mix follows per-head rows);"
                            + " --qkv-layout thirds has one");
                }
                w.print(WiringJson.write(wiring));
            }
            w.flush();
            return 0;
        }
        try (Checkpoint checkpoint = CheckpointLocator.fromEnvironment(main.env).open(model, revision)) {
            w.printf(Locale.ROOT, "model: %s%n", checkpoint.label());
            w.printf(Locale.ROOT, "weights: %s%n", checkpoint.weightsFile());
            w.printf(Locale.ROOT, "config: %s%n", checkpoint.config() == null ? "(none)" : checkpoint.config().file());
            w.printf(Locale.ROOT, "tensors: %d%n", checkpoint.tensors().names().size());
            OnnxStore onnx = TensorStore.find(checkpoint.tensors(), OnnxStore.class);
            for (String name : checkpoint.tensors().names()) {
                TensorInfo info = checkpoint.tensors().info(name);
                String note = onnx != null && onnx.isQuantized(name) ? "  (quantised, dequantised when read)" : "";
                w.printf(Locale.ROOT, "  %-60s %-5s %s%s%n", name, info.dtype(), Arrays.toString(info.shape()), note);
            }
            Architecture arch;
            try {
                arch = Architectures.detect(checkpoint, options);
            } catch (NeuroMfaException e) {
                w.printf(Locale.ROOT, "architecture: not recognised%n");
                w.flush();
                throw e;
            }
            w.printf(Locale.ROOT, "architecture: %s%n", AnalyzeCommand.describe(arch.describe()));
            w.printf(Locale.ROOT, "groups and connections:%n");
            for (String line : arch.wiring()) {
                w.printf(Locale.ROOT, "  %s%n", line);
            }
            try {
                w.printf(Locale.ROOT, "sampled groups (k per layer, 2k for MLP hidden): %s%n",
                        String.join(", ", arch.samplePlan(0, 1).groups().keySet()));
            } catch (NeuroMfaException e) {
                w.printf(Locale.ROOT, "sampled groups: cannot sample: %s%n", Flags.message(e));
            }
            w.println(AnalyzeCommand.readLine(checkpoint.tensors().bytesRead(), checkpoint.tensors().bytesTotal()));
        }
        w.flush();
        return 0;
    }
}

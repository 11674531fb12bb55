package org.neuromfa.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.arch.ArchitectureOptions;
import org.neuromfa.arch.KernelAggregation;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.Bootstrap;
import org.neuromfa.arch.QkvLayout;
import org.neuromfa.arch.WiringJson;
import org.neuromfa.distance.Neighbourhood;
import org.neuromfa.distance.PathDistance;
import org.neuromfa.distance.ShortestPaths;
import org.neuromfa.spectrum.QGrid;
import org.neuromfa.spectrum.QualityFilter;
import org.neuromfa.spectrum.RadiusRange;
import org.neuromfa.spectrum.SpectrumEstimator;
import org.neuromfa.spectrum.SpectrumOptions;
import org.neuromfa.tensor.NullModel;
import picocli.CommandLine.Option;

/** The options that decide the numbers, shared by every command that analyses checkpoints. */
public final class AnalysisOptionsMixin {

    @Option(names = "--samples", paramLabel = "N", defaultValue = "10",
            description = "Number of samples (seeds) per checkpoint. Default: ${DEFAULT-VALUE}, as the reference.")
    int samples;

    @Option(names = "--first-seed", paramLabel = "SEED", defaultValue = "0",
            description = "First seed; samples use seeds SEED .. SEED+N-1. Default: ${DEFAULT-VALUE}.")
    long firstSeed;

    @Option(names = "--nodes-per-layer", paramLabel = "K", defaultValue = "32",
            description = "Neurons sampled per layer (k). Default: ${DEFAULT-VALUE}, as the reference code"
                    + " (the paper's text uses 64).")
    int nodesPerLayer;

    @Option(names = "--threshold", paramLabel = "T", defaultValue = "150",
            description = "Largest distance 1/|w| kept by the node filter (1 < l <= T). Default: ${DEFAULT-VALUE}.")
    double threshold;

    @Option(names = "--q-min", paramLabel = "Q", defaultValue = "-3",
            description = "Smallest moment order q. Default: ${DEFAULT-VALUE}.")
    String qMin;

    @Option(names = "--q-max", paramLabel = "Q", defaultValue = "3",
            description = "Largest moment order q. Default: ${DEFAULT-VALUE}.")
    String qMax;

    @Option(names = "--q-step", paramLabel = "STEP", defaultValue = "0.1",
            description = "Step of the q grid. Default: ${DEFAULT-VALUE}.")
    String qStep;

    @Option(names = "--filter-mode", paramLabel = "MODE", defaultValue = "0",
            description = "Quality filter before averaging over samples: 0 keep all (default), 1 drop spectra"
                    + " with f(alpha) > 0, 2 drop spectra whose alpha rises more than 0.01 above alpha at q-min,"
                    + " 3 both.")
    int filterMode;

    @Option(names = "--qkv-layout", paramLabel = "LAYOUT", defaultValue = "thirds",
            description = "How GPT-NeoX's fused QKV rows are read: 'thirds' (the reference code, default) or 'heads'"
                    + " (GPT-NeoX's real per-head interleaving; needs num_attention_heads in config.json).")
    String qkvLayout;

    @Option(names = "--kernel-aggregation", paramLabel = "FORM", defaultValue = "l2",
            description = "How a convolution's kernel W[out, in, kh, kw] becomes one weight per pair of channels:"
                    + " l2 (its Euclidean norm, default), max (largest |w|), mean (mean |w|) or l1 (sum of |w|).")
    String kernelAggregation;

    @Option(names = "--wiring", paramLabel = "FILE.json",
            description = "Wire the model by this wiring file (neuron groups and connections, see 'inspect --wiring')"
                    + " instead of detecting its family.")
    Path wiring;

    @Option(names = "--normalize-weights",
            description = "Divide each weight by the standard deviation of its whole matrix before distances 1/|w|"
                    + " (reads every analysed matrix once in full). Default: off, as the reference.")
    boolean normalizeWeights;

    @Option(names = "--hops", paramLabel = "K", defaultValue = "1",
            description = "Neighbourhood depth: 1 = out-edges only, as the reference (default); K > 1 adds every"
                    + " neuron up to K layers downstream at its shortest-path distance.")
    int hops;

    @Option(names = "--path-distance", paramLabel = "FORM", defaultValue = "sum",
            description = "Distance of a path of h edges with lengths summing to S: sum = S (default),"
                    + " power = S^lambda / h^gamma, linear = lambda*S + gamma*h.")
    String pathDistance;

    @Option(names = "--lambda", paramLabel = "L", defaultValue = "1",
            description = "lambda of the power and linear path distances. Default: ${DEFAULT-VALUE} (the paper's value).")
    double lambda;

    @Option(names = "--gamma", paramLabel = "G", defaultValue = "5",
            description = "gamma of the power and linear path distances. Default: ${DEFAULT-VALUE} (the paper's value).")
    double gamma;

    @Option(names = "--shortest-paths", paramLabel = "ALG", defaultValue = "exact",
            description = "Multi-hop algorithm: exact (default); bounded (stops paths beyond the largest distance"
                    + " the analysis uses: same results, faster); estimated (beyond the first hop, relax only each"
                    + " node's --estimate-edges shortest out-edges).")
    String shortestPaths;

    @Option(names = "--estimate-edges", paramLabel = "B", defaultValue = "" + Neighbourhood.DEFAULT_ESTIMATE_EDGES,
            description = "Out-edges per node relaxed by --shortest-paths estimated. Default: ${DEFAULT-VALUE}.")
    int estimateEdges;

    @Option(names = "--spectrum", paramLabel = "EST", defaultValue = "reference",
            description = "f(alpha) estimator: reference (forward differences, default) or legendre"
                    + " (alpha = tau'(q) by central differences, f = q*alpha - tau at the same q).")
    String spectrum;

    @Option(names = "--radius-range", paramLabel = "LO:HI|auto",
            description = "Fit tau(q) only over the radii LO <= r <= HI (either side may be empty), or 'auto': one"
                    + " window per checkpoint chosen from its samples (the widest, at least half the radii's span in"
                    + " ln r, whose every fit reaches --min-r-squared; recorded in the results). Default: all radii.")
    String radiusRange;

    @Option(names = "--null", paramLabel = "MODEL", defaultValue = "none",
            description = "Also analyse every sample under a null model, on the rows already read: 'shuffle'"
                    + " (each sampled block's values permuted across its neuron pairs) or 'gaussian' (normal draws"
                    + " with the block's mean and standard deviation). Reported beside the real numbers."
                    + " Default: none.")
    String nullModel;

    @Option(names = "--bootstrap", paramLabel = "N",
            description = "Report 95%% bootstrap intervals over seeds for alpha0, width and E, from N resamples"
                    + " (at least " + Bootstrap.MIN_RESAMPLES + "; 1000 is usual). Default: none.")
    Integer bootstrap;

    @Option(names = "--bootstrap-seed", paramLabel = "SEED", defaultValue = "0",
            description = "Seed of the bootstrap's resamples. Default: ${DEFAULT-VALUE}.")
    long bootstrapSeed;

    @Option(names = "--evidence",
            description = "Keep ln Z_q(r) at q = -3, -1, 0, 1, 3 for every radius in each sample (for the evidence"
                    + " plots of 'report' and --plots). Default: off.")
    boolean evidence;

    @Option(names = "--min-r-squared", paramLabel = "R2", defaultValue = "" + SpectrumOptions.DEFAULT_MIN_R_SQUARED,
            description = "Warn (one line per checkpoint, on stderr) when a fit of tau(q) has R^2 below this."
                    + " Default: ${DEFAULT-VALUE}.")
    double minRSquared;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads. Default: the number of processors.")
    Integer threads;

    AnalysisOptions toOptions() throws IOException {
        ArchitectureOptions architecture = ArchitectureOptions.defaults()
                .withQkvLayout(QkvLayout.parse(qkvLayout))
                .withKernelAggregation(KernelAggregation.parse(kernelAggregation));
        if (wiring != null) {
            architecture = architecture.withWiring(wiring.toString(), readWiring(wiring));
        }
        return AnalysisOptions.defaults()
                .withSamples(samples)
                .withFirstSeed(firstSeed)
                .withNodesPerLayer(nodesPerLayer)
                .withThreshold(threshold)
                .withQGrid(QGrid.of(qMin, qMax, qStep))
                .withFilter(QualityFilter.ofMode(filterMode))
                .withArchitecture(architecture)
                .withNormalizeWeights(normalizeWeights)
                .withNeighbourhood(Neighbourhood.direct()
                        .withHops(hops)
                        .withPathDistance(PathDistance.of(pathDistance))
                        .withLambda(lambda)
                        .withGamma(gamma)
                        .withShortestPaths(ShortestPaths.of(shortestPaths))
                        .withEstimateEdges(estimateEdges))
                .withSpectrum(SpectrumOptions.reference()
                        .withEstimator(SpectrumEstimator.of(spectrum))
                        .withRadiusRange(radiusRange == null ? RadiusRange.all() : RadiusRange.parse(radiusRange))
                        .withMinRSquared(minRSquared))
                .withNullModel(NullModel.parse(nullModel))
                .withBootstrap(bootstrap == null ? Bootstrap.NONE : Bootstrap.of(bootstrap, bootstrapSeed))
                .withEvidence(evidence);
    }

    /** A wiring file's bytes; its size is checked before it is read. */
    static byte[] readWiring(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NeuroMfaException(file.toString(), Files.exists(file) ? "not a file" : "no such file");
        }
        if (Files.size(file) > WiringJson.MAX_BYTES) {
            throw new NeuroMfaException(file.toString(), "wiring file of " + Files.size(file)
                    + " bytes is larger than the limit of " + WiringJson.MAX_BYTES);
        }
        return Files.readAllBytes(file);
    }

    int threads() {
        if (threads == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        if (threads < 1) {
            throw new NeuroMfaException("--threads must be at least 1, not " + threads);
        }
        return threads;
    }
}

package org.neuromfa.cli;

import org.neuromfa.arch.QkvLayout;
import org.neuromfa.spectrum.QGrid;
import org.neuromfa.spectrum.QualityFilter;
import org.neuromfa.study.AnalysisOptions;
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

    @Option(names = "--normalize-weights",
            description = "Divide each weight by the standard deviation of its whole matrix before distances 1/|w|"
                    + " (reads every analysed matrix once in full). Default: off, as the reference.")
    boolean normalizeWeights;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads. Default: the number of processors.")
    Integer threads;

    AnalysisOptions toOptions() {
        return AnalysisOptions.defaults()
                .withSamples(samples)
                .withFirstSeed(firstSeed)
                .withNodesPerLayer(nodesPerLayer)
                .withThreshold(threshold)
                .withQGrid(QGrid.of(qMin, qMax, qStep))
                .withFilter(QualityFilter.ofMode(filterMode))
                .withQkvLayout(QkvLayout.parse(qkvLayout))
                .withNormalizeWeights(normalizeWeights);
    }

    int threads() {
        if (threads == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        if (threads < 1) {
            throw new org.neuromfa.NeuroMfaException("--threads must be at least 1, not " + threads);
        }
        return threads;
    }
}

package org.neuromfa.source.hub;

import java.nio.file.Path;
import org.neuromfa.base.AtomicFiles;
import org.neuromfa.io.ResultJson;
import org.neuromfa.locate.CheckpointLocator;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointAnalysis;
import org.neuromfa.analysis.CheckpointResult;

/**
 * Analyses a Hub model in a process of its own, so that {@link HubCrashSafetyTest} can kill it:
 * arguments {@code MODEL SAMPLES NODES_PER_LAYER THRESHOLD THREADS OUT.json}; the Hub settings come
 * from the environment ({@code HF_ENDPOINT}, {@code HF_HUB_CACHE}, ...), as the command line's do.
 * Writes the result as {@code analyze --json} does.
 */
public final class HubAnalysisProcess {
    private HubAnalysisProcess() {
    }

    public static void main(String[] args) throws Exception {
        AnalysisOptions options = AnalysisOptions.defaults().withSamples(Integer.parseInt(args[1]))
                .withNodesPerLayer(Integer.parseInt(args[2])).withThreshold(Double.parseDouble(args[3]));
        HubSettings settings = HubSettings.fromEnvironment(System.getenv());
        CheckpointResult r;
        try (Checkpoint c = CheckpointLocator.of(settings).open(args[0], null)) {
            r = CheckpointAnalysis.run(c, options, Integer.parseInt(args[4]), null);
        }
        AtomicFiles.write(Path.of(args[5]), ResultJson.bytes(ResultJson.checkpoint(r)));
    }
}

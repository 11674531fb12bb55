package org.neuromfa.golden;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.neuromfa.io.ResultJson;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.study.AnalysisOptions;
import org.neuromfa.study.CheckpointAnalysis;

/** The same inputs and options give byte-identical JSON whatever the number of threads. */
class DeterminismTest {

    @Test
    void jsonIsIdenticalForOneAndManyThreads() throws Exception {
        AnalysisOptions options = AnalysisOptions.defaults().withSamples(4).withNodesPerLayer(16)
                .withNodeFractalDimensions(true);
        byte[][] outputs = new byte[3][];
        int[] threads = {1, 2, 4};
        for (int i = 0; i < threads.length; i++) {
            try (Checkpoint c = Checkpoint.open(Golden.dir("neox-d128-l4-student-f16"))) {
                outputs[i] = ResultJson.bytes(ResultJson.checkpoint(CheckpointAnalysis.run(c, options, threads[i], null)));
            }
        }
        assertThat(outputs[1]).isEqualTo(outputs[0]);
        assertThat(outputs[2]).isEqualTo(outputs[0]);
    }
}

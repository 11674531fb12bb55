package org.neuromfa.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointAnalysis;
import org.neuromfa.io.ResultJson;
import org.neuromfa.io.TrajectoryJson;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.study.ResultStore;
import org.neuromfa.study.Trajectory;

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

    /** A trajectory over the three fixtures: the checkpoints and seeds are spread over the threads. */
    @Test
    void trajectoryJsonIsIdenticalForOneAndTwoThreads() throws Exception {
        AnalysisOptions options = AnalysisOptions.defaults().withSamples(3).withNodesPerLayer(12);
        List<String> models = List.of(Golden.dir("neox-d128-l4-normal-f32").toString(),
                Golden.dir("neox-d128-l4-student-f16").toString(), Golden.dir("neox-d96-l3-rowscaled-bf16").toString());
        byte[] one = ResultJson.bytes(TrajectoryJson.of(Trajectory.run(models, options, ResultStore.inMemory(), 1, null)));
        byte[] two = ResultJson.bytes(TrajectoryJson.of(Trajectory.run(models, options, ResultStore.inMemory(), 2, null)));
        assertThat(new String(two, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(new String(one, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(new String(one, java.nio.charset.StandardCharsets.UTF_8)).contains("\"emergence\"");
    }
}

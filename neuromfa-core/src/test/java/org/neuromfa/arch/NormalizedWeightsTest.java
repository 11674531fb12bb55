package org.neuromfa.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.tensor.NormalizedWeights;

class NormalizedWeightsTest {
    @TempDir
    Path dir;

    @Test
    void dividesRowsByTheWholeMatrixStandardDeviation() throws IOException {
        Path ckpt = new TestCheckpoint(0)
                .tensor("0.weight", new long[] {2, 2}, 1, 2, 3, 4)
                .tensor("1.weight", new long[] {1, 2}, 5, 5)
                .write(dir, null);
        try (Checkpoint c = Checkpoint.open(ckpt)) {
            NormalizedWeights w = new NormalizedWeights(c.tensors());
            // mean 2.5; variance ((1.5^2 + 0.5^2) * 2) / 4 = 1.25; std = sqrt(1.25).
            double std = Math.sqrt(1.25);
            assertThat(w.standardDeviation("0.weight")).isCloseTo(std, within(1e-15));
            float[] row = w.readRows("0.weight", new int[] {1});
            assertThat(row[0]).isEqualTo((float) (3 / std));
            assertThat(row[1]).isEqualTo((float) (4 / std));
            assertThatThrownBy(() -> w.readRows("1.weight", new int[] {0}))
                    .hasMessageContaining("tensor '1.weight' has standard deviation 0.0");
        }
    }
}

package org.neuromfa.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.source.LocalFileSource;
import org.neuromfa.tensor.safetensors.SafetensorsStore;
import org.neuromfa.tensor.safetensors.SafetensorsWriter;

/** Non-finite weights are refused with the tensor, row and column; every finite value passes. */
class FiniteWeightsTest {
    @TempDir
    Path dir;

    private TensorStore store(float[] values, int rows, int columns) throws Exception {
        Path file = dir.resolve("w.safetensors");
        new SafetensorsWriter().add("w", DType.F32, new long[] {rows, columns}, values).write(file);
        return new FiniteWeights(new SafetensorsStore(new LocalFileSource(file)));
    }

    @Test
    void everyFiniteExtremePasses() throws Exception {
        float[] v = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
            0f, -0f, 1f, -65504f, 1e-45f, 3.4e38f, 0.02f};
        try (TensorStore s = store(v, 3, 4)) {
            assertThat(s.readRows("w", new int[] {2, 0, 1})).hasSize(12);
        }
    }

    @Test
    void eachNonFiniteKindIsFoundWhereverItIs() throws Exception {
        float[] kinds = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Float.intBitsToFloat(0x7f800001), Float.intBitsToFloat(0xffc00123)};
        for (float bad : kinds) {
            for (int at = 0; at < 12; at += 5) {
                float[] v = new float[12];
                java.util.Arrays.fill(v, 0.5f);
                v[at] = bad;
                try (TensorStore s = store(v, 3, 4)) {
                    // Read rows in the order 2, 0, 1: file row at/4 is read as position (at/4 + 1) % 3.
                    assertThatThrownBy(() -> s.readRows("w", new int[] {2, 0, 1}))
                            .isInstanceOf(NeuroMfaException.class)
                            .hasMessageContaining("tensor 'w' has a non-finite weight")
                            .hasMessageContaining("in row " + (at / 4) + ", column " + (at % 4));
                }
            }
        }
    }
}

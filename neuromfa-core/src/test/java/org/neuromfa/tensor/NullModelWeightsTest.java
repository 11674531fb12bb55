package org.neuromfa.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.source.LocalFileSource;
import org.neuromfa.tensor.safetensors.SafetensorsStore;
import org.neuromfa.tensor.safetensors.SafetensorsWriter;

/** {@code --null shuffle} and {@code --null gaussian}: what each keeps of a sampled block, and what it reads. */
class NullModelWeightsTest {
    @TempDir
    Path dir;

    private TensorStore store() throws IOException {
        float[] w = new float[40 * 30];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (0.01 * (i % 97) - 0.3 + (i % 7 == 0 ? 2.0 : 0)); // skewed, with outliers
        }
        float[] conv = new float[6 * 5 * 3 * 3];
        for (int i = 0; i < conv.length; i++) {
            conv[i] = i;
        }
        Path file = dir.resolve("m.safetensors");
        new SafetensorsWriter().add("w", DType.F32, new long[] {40, 30}, w)
                .add("conv", DType.F32, new long[] {6, 5, 3, 3}, conv).write(file);
        return new SafetensorsStore(new LocalFileSource(file));
    }

    private static final int[] ROWS = {3, 17, 8, 30, 2};
    private static final int[] COLUMNS = {0, 29, 5, 6, 11, 12};

    private static float[] sorted(float[] v) {
        float[] s = v.clone();
        Arrays.sort(s);
        return s;
    }

    @Test
    void shuffleKeepsTheBlocksValuesAndMovesThem() throws IOException {
        try (TensorStore t = store()) {
            float[] real = t.readSubmatrix("w", ROWS, COLUMNS);
            float[] shuffled = NullModel.SHUFFLE.apply(t, 4).readSubmatrix("w", ROWS, COLUMNS);
            assertThat(sorted(shuffled)).isEqualTo(sorted(real));
            assertThat(shuffled).isNotEqualTo(real);
            // seeded by the sample's seed, the tensor and the indices read: the same on every call
            assertThat(NullModel.SHUFFLE.apply(t, 4).readSubmatrix("w", ROWS, COLUMNS)).isEqualTo(shuffled);
            assertThat(NullModel.SHUFFLE.apply(t, 5).readSubmatrix("w", ROWS, COLUMNS)).isNotEqualTo(shuffled);
            assertThat(NullModel.NONE.apply(t, 4)).isSameAs(t);
        }
    }

    @Test
    void theNullReadsNoByteMoreThanTheAnalysis() throws IOException {
        long real;
        try (TensorStore t = store()) {
            t.readSubmatrix("w", ROWS, COLUMNS);
            real = t.bytesRead();
        }
        try (TensorStore t = store()) {
            TensorStore shuffled = NullModel.SHUFFLE.apply(t, 4);
            shuffled.readSubmatrix("w", ROWS, COLUMNS);
            assertThat(t.bytesRead()).isEqualTo(real);
            assertThat(shuffled.bytesRead()).isEqualTo(real);
        }
    }

    /** A convolution's sampled block holds each channel pair's whole kernel: kernels move as units. */
    @Test
    void shuffleMovesConvolutionKernelsWhole() throws IOException {
        try (TensorStore t = store()) {
            int[] rows = {0, 4, 2};
            float[] real = t.readRows("conv", rows);
            float[] shuffled = NullModel.SHUFFLE.apply(t, 1).readRows("conv", rows);
            assertThat(sorted(shuffled)).isEqualTo(sorted(real));
            for (int k = 0; k < shuffled.length / 9; k++) {
                float first = shuffled[k * 9];
                assertThat(first % 9).isZero(); // every kernel starts at a multiple of 9 (its values are i)
                for (int e = 1; e < 9; e++) {
                    assertThat(shuffled[k * 9 + e]).isEqualTo(first + e);
                }
            }
        }
    }

    @Test
    void gaussianKeepsTheBlocksMeanAndSpreadOnly() throws IOException {
        try (TensorStore t = store()) {
            int[] rows = new int[40];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = i;
            }
            float[] real = t.readRows("w", rows);
            float[] drawn = NullModel.GAUSSIAN.apply(t, 2).readRows("w", rows);
            assertThat(mean(drawn)).isCloseTo(mean(real), within(0.05 * std(real)));
            assertThat(std(drawn)).isCloseTo(std(real), within(0.05 * std(real)));
            assertThat(sorted(drawn)).isNotEqualTo(sorted(real));
            assertThat(NullModel.GAUSSIAN.apply(t, 2).readRows("w", rows)).isEqualTo(drawn);
        }
    }

    @Test
    void shufflingIsAPermutationForEverySize() {
        for (int n = 1; n < 50; n++) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = i;
            }
            NullModelWeights.shuffle(v, 1, new org.neuromfa.base.SplitMix64(n));
            assertThat(sorted(v)).isEqualTo(sortedRange(n));
        }
    }

    private static float[] sortedRange(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }

    @Test
    void namesParse() {
        assertThat(NullModel.parse(" Shuffle ")).isEqualTo(NullModel.SHUFFLE);
        assertThat(NullModel.parse("gaussian")).isEqualTo(NullModel.GAUSSIAN);
        assertThatThrownBy(() -> NullModel.parse("permute")).isInstanceOf(NeuroMfaException.class)
                .hasMessageContaining("shuffle, gaussian or none");
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(float[] v) {
        double m = mean(v);
        double s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }
}

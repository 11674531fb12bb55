package org.neuromfa.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.source.LocalFileSource;
import org.neuromfa.tensor.onnx.OnnxStore;
import org.neuromfa.tensor.onnx.OnnxWriter;

class InitialisedWeightsTest {
    @TempDir
    Path dir;

    private TensorStore template() throws IOException {
        Path p = dir.resolve("t.onnx");
        Files.write(p, new OnnxWriter()
                .initializer(OnnxWriter.tensor("w", 1, 500, 401).bytes(9, new byte[500 * 401 * 4]))
                .initializer(OnnxWriter.tensor("v", 1, 3, 4).bytes(9, new byte[48]))
                .toBytes());
        return new OnnxStore(new LocalFileSource(p));
    }

    @Test
    void rowsDependOnlyOnSeedTensorAndRow() throws IOException {
        try (TensorStore t = template()) {
            InitialisedWeights a = new InitialisedWeights(t, 0.02, 7);
            float[] both = a.readRows("w", new int[] {9, 2});
            float[] two = new InitialisedWeights(t, 0.02, 7).readRows("w", new int[] {2});
            for (int c = 0; c < 401; c++) {
                assertThat(both[401 + c]).isEqualTo(two[c]);
            }
            assertThat(new InitialisedWeights(t, 0.02, 8).readRows("w", new int[] {2})).isNotEqualTo(two);
            assertThat(a.readRows("v", new int[] {2})).isNotEqualTo(a.readRows("w", new int[] {2}));
            assertThat(a.info("w").shape()).containsExactly(500, 401);
            assertThat(a.names()).containsExactly("w", "v");
        }
    }

    @Test
    void valuesAreNormalWithTheGivenStandardDeviation() throws IOException {
        try (TensorStore t = template()) {
            int[] rows = new int[500];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = i;
            }
            float[] v = new InitialisedWeights(t, 0.02, 0).readRows("w", rows);
            double sum = 0;
            double squares = 0;
            int within1 = 0;
            for (float x : v) {
                sum += x;
                squares += (double) x * x;
                if (Math.abs(x) <= 0.02) {
                    within1++;
                }
            }
            double n = v.length;
            // 200,500 draws: the mean's standard error is 0.02 / sqrt(n) = 4.5e-5.
            assertThat(sum / n).isCloseTo(0, within(3e-4));
            assertThat(Math.sqrt(squares / n)).isCloseTo(0.02, within(0.0003));
            // A normal distribution has 68.27% of its mass within one standard deviation.
            assertThat(within1 / n).isCloseTo(0.6827, within(0.005));
        }
    }
}

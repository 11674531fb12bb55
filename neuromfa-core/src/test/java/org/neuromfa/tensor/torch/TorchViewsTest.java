package org.neuromfa.tensor.torch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neuromfa.golden.Golden;
import org.neuromfa.source.LocalFileSource;
import org.neuromfa.tensor.DType;

/**
 * {@code torch-views/views.bin} (written by torch.save: tensors sharing one storage as a transposed
 * view and an offset view, plus f16, bf16 and int64 tensors) reads to the values that PyTorch
 * printed into {@code views.expected.json}.
 */
class TorchViewsTest {
    private static final Path VIEWS = Golden.dir("torch-views");

    private static TorchStore open() throws Exception {
        return new TorchStore(new LocalFileSource(VIEWS.resolve("views.bin")));
    }

    @Test
    void everyTensorReadsToTheExpectedValues() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(VIEWS.resolve("views.expected.json").toFile());
        try (TorchStore store = open()) {
            assertThat(store.names()).containsExactly("contiguous", "transposed_view", "offset_view", "half", "bfloat", "int64");
            Iterator<Map.Entry<String, JsonNode>> it = expected.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = e.getKey();
                JsonNode shape = e.getValue().get("shape");
                long[] expectedShape = new long[shape.size()];
                for (int i = 0; i < expectedShape.length; i++) {
                    expectedShape[i] = shape.get(i).asLong();
                }
                assertThat(store.info(name).shape()).as(name).containsExactly(expectedShape);
                double[] values = store.readAll(name);
                JsonNode want = e.getValue().get("values");
                assertThat(values).as(name).hasSize(want.size());
                for (int i = 0; i < values.length; i++) {
                    // f32/f16/bf16 widen to double exactly, so PyTorch's printed doubles must match bit for bit.
                    assertThat(values[i]).as(name + "[" + i + "]").isEqualTo(want.get(i).asDouble());
                }
            }
            assertThat(store.info("half").dtype()).isEqualTo(DType.F16);
            assertThat(store.info("bfloat").dtype()).isEqualTo(DType.BF16);
            assertThat(store.info("int64").dtype()).isEqualTo(DType.I64);
        }
    }

    @Test
    void viewsShareTheirStorageWithOffsetsAndStrides() throws Exception {
        try (TorchStore store = open()) {
            assertThat(store.strides("transposed_view")).containsExactly(1, 5);
            assertThat(store.storageOffset("offset_view")).isEqualTo(10);
            // Row r of the transposed view is column r of the contiguous tensor.
            float[] contiguous = store.readRows("contiguous", new int[] {0, 1, 2, 3, 4, 5});
            float[] t = store.readRows("transposed_view", new int[] {4, 0, 2});
            int[] order = {4, 0, 2};
            for (int i = 0; i < order.length; i++) {
                for (int c = 0; c < 6; c++) {
                    assertThat(t[i * 6 + c]).isEqualTo(contiguous[c * 5 + order[i]]);
                }
            }
            float[] offset = store.readRows("offset_view", new int[] {1});
            for (int c = 0; c < 5; c++) {
                assertThat(offset[c]).isEqualTo(contiguous[15 + c]);
            }
        }
    }

    @Test
    void readsOnlyTheBytesOfTheRequestedRows() throws Exception {
        try (TorchStore store = open()) {
            store.readRows("contiguous", new int[] {0}); // first read also reads the entry's local header
            long before = store.bytesRead();
            store.readRows("contiguous", new int[] {3});
            assertThat(store.bytesRead() - before).isEqualTo(5 * 4);
            before = store.bytesRead();
            store.readRows("transposed_view", new int[] {2});
            assertThat(store.bytesRead() - before).isEqualTo(6 * 4);
            store.readRows("half", new int[] {0});
            before = store.bytesRead();
            store.readRows("half", new int[] {2});
            assertThat(store.bytesRead() - before).isEqualTo(4 * 2);
        }
    }

    @Test
    void integerTensorsAreListedButNotReadAsWeights() throws Exception {
        try (TorchStore store = open()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.readRows("int64", new int[] {0}))
                    .isInstanceOf(org.neuromfa.NeuroMfaException.class)
                    .hasMessageContaining("'int64'").hasMessageContaining("I64");
        }
    }
}

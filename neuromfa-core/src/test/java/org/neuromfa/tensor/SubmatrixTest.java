package org.neuromfa.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.golden.Golden;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.source.LocalFileSource;
import org.neuromfa.tensor.safetensors.SafetensorsStore;
import org.neuromfa.tensor.torch.TorchStore;

/**
 * {@link TensorStore#readSubmatrix}, which every architecture uses to build its networks, gives
 * exactly the values of the whole rows {@link TensorStore#readRows} gives, at the asked columns,
 * in every format and type: the stores that decode single elements (safetensors, PyTorch, shards)
 * and the decorating views agree with picking columns out of whole rows.
 */
class SubmatrixTest {
    @TempDir
    static Path tmp;

    static Stream<String> checkpoints() throws Exception {
        List<String> out = new ArrayList<>(Golden.safetensorsFixtures());
        out.add("neox-d128-l4-normal-f32-torch/single");
        out.add("neox-d128-l4-normal-f32-torch/sharded");
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("checkpoints")
    void everyMatrixOfAGoldenCheckpointAgreesWithWholeRows(String fixture) throws Exception {
        try (Checkpoint checkpoint = Checkpoint.open(Golden.dir(fixture))) {
            // The checked view (what an analysis reads) and the format's own store beneath it.
            for (TensorStore store = checkpoint.tensors(); store != null; store = store.wrapped()) {
                assertAgreesWithWholeRows(store, new SplittableRandom(fixture.hashCode()));
            }
        }
    }

    @Test
    void pytorchViewsSharingAStorageAgreeWithWholeRows() throws Exception {
        try (TorchStore store = new TorchStore(new LocalFileSource(Golden.dir("torch-views").resolve("views.bin")))) {
            assertAgreesWithWholeRows(store, new SplittableRandom(3));
        }
    }

    @Test
    void f64AgreesWithWholeRows() throws Exception {
        // safetensors with one F64 [5, 7] tensor, written here byte by byte (SafetensorsWriter writes no F64).
        double[] values = new double[35];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian() * 1e-3;
        }
        byte[] header = "{\"w\":{\"dtype\":\"F64\",\"shape\":[5,7],\"data_offsets\":[0,280]}}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer file = ByteBuffer.allocate(8 + header.length + 280).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(header.length).put(header);
        for (double v : values) {
            file.putDouble(v);
        }
        Path path = tmp.resolve("f64.safetensors");
        Files.write(path, file.array());
        try (SafetensorsStore store = new SafetensorsStore(new LocalFileSource(path))) {
            assertAgreesWithWholeRows(store, new SplittableRandom(9));
            assertThat(store.readSubmatrix("w", new int[] {4}, new int[] {6, 0}))
                    .containsExactly((float) values[34], (float) values[28]);
        }
    }

    @Test
    void aColumnOutOfRangeIsAnErrorNamingTensorAndColumn() throws Exception {
        Path dir = Golden.dir(Golden.safetensorsFixtures().get(0));
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            for (TensorStore store = checkpoint.tensors(); store != null; store = store.wrapped()) {
                String name = firstMatrix(store);
                int columns = (int) store.info(name).columns();
                TensorStore s = store;
                assertThatThrownBy(() -> s.readSubmatrix(name, new int[] {0}, new int[] {0, columns}))
                        .isInstanceOf(NeuroMfaException.class)
                        .hasMessageContaining(name).hasMessageContaining("column " + columns);
                assertThatThrownBy(() -> s.readSubmatrix(name, new int[] {0}, new int[] {-1}))
                        .isInstanceOf(NeuroMfaException.class).hasMessageContaining("column -1");
            }
        }
    }

    private static String firstMatrix(TensorStore store) {
        for (String name : store.names()) {
            TensorInfo info = store.info(name);
            if (info.rank() == 2 && info.dtype().isReadable()) {
                return name;
            }
        }
        throw new AssertionError("no matrix in " + store.name());
    }

    /** Random rows and columns (repeats and any order included) of every readable matrix. */
    private static void assertAgreesWithWholeRows(TensorStore store, SplittableRandom random) throws Exception {
        int matrices = 0;
        for (String name : store.names()) {
            TensorInfo info = store.info(name);
            if (info.rank() != 2 || !info.dtype().isReadable()) {
                continue;
            }
            matrices++;
            int rowCount = (int) info.rows();
            int columnCount = (int) info.columns();
            for (int trial = 0; trial < 3; trial++) {
                int[] rows = random.ints(1 + random.nextInt(6), 0, rowCount).toArray();
                int[] columns = random.ints(1 + random.nextInt(9), 0, columnCount).toArray();
                float[] whole = store.readRows(name, rows);
                float[] expected = Submatrix.pick(whole, columnCount, rows.length, columns);
                assertThat(store.readSubmatrix(name, rows, columns)).as("%s of %s", name, store.name())
                        .containsExactly(expected);
            }
        }
        assertThat(matrices).as("matrices in " + store.name()).isPositive();
    }
}

package org.neuromfa.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.source.LocalFileSource;
import org.neuromfa.tensor.safetensors.SafetensorsStore;
import org.neuromfa.tensor.safetensors.SafetensorsWriter;

class SafetensorsStoreTest {
    @TempDir
    Path tmp;

    private Path write(SafetensorsWriter w) throws IOException {
        Path p = tmp.resolve("m.safetensors");
        w.write(p);
        return p;
    }

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - n / 2) * 0.25f;
        }
        return v;
    }

    @Test
    void readsSelectedRowsOfEveryFloatType() throws IOException {
        Path p = write(new SafetensorsWriter()
                .add("a", DType.F32, new long[] {4, 3}, ramp(12))
                .add("b", DType.F16, new long[] {4, 3}, ramp(12))
                .add("c", DType.BF16, new long[] {2, 2, 3}, ramp(12)));
        // A tiny window makes rows straddle mapping windows.
        try (TensorStore s = new SafetensorsStore(new LocalFileSource(p, 7))) {
            assertThat(s.names()).containsExactly("a", "b", "c");
            for (String name : new String[] {"a", "b"}) {
                float[] rows = s.readRows(name, new int[] {3, 0});
                assertThat(rows).containsExactly(0.75f, 1f, 1.25f, -1.5f, -1.25f, -1f);
            }
            assertThat(s.info("c").rows()).isEqualTo(2);
            assertThat(s.info("c").columns()).isEqualTo(6);
            assertThat(s.readRows("c", new int[] {1})).containsExactly(0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f);
            long before = s.bytesRead();
            s.readRows("a", new int[] {1});
            assertThat(s.bytesRead() - before).as("only the row is read").isEqualTo(12);
        }
    }

    private Path raw(String header, int dataBytes, long claimedLength) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(claimedLength < 0 ? h.length : claimedLength).put(h);
        Path p = tmp.resolve("raw.safetensors");
        Files.write(p, b.array());
        return p;
    }

    private static NeuroMfaException openFails(Path p) {
        try (TensorStore s = new SafetensorsStore(new LocalFileSource(p))) {
            throw new AssertionError("opened " + s.names());
        } catch (NeuroMfaException e) {
            assertThat(e.getMessage()).startsWith(p.toString() + ": ").doesNotContain("\n");
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void truncatedBeforeHeaderLength() throws IOException {
        Path p = tmp.resolve("short.safetensors");
        Files.write(p, new byte[] {1, 2, 3});
        assertThat(openFails(p).getMessage()).contains("truncated");
    }

    @Test
    void headerLengthLargerThanFile() throws IOException {
        assertThat(openFails(raw("{}", 0, 1L << 40)).getMessage()).contains("header length").contains("does not fit");
    }

    @Test
    void headerNotJson() throws IOException {
        assertThat(openFails(raw("{\"a\": [1, 2", 0, -1)).getMessage()).contains("not valid JSON");
    }

    @Test
    void offsetsOutsideData() throws IOException {
        String h = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        assertThat(openFails(raw(h, 8, -1)).getMessage()).contains("'w'").contains("outside the data");
    }

    @Test
    void unknownDtype() throws IOException {
        String h = "{\"w\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,2]}}";
        assertThat(openFails(raw(h, 2, -1)).getMessage()).contains("unknown dtype 'Q7'");
    }

    @Test
    void shapeThatOverflowsLong() throws IOException {
        String h = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}";
        assertThat(openFails(raw(h, 4, -1)).getMessage()).contains("overflows");
    }

    @Test
    void offsetsDisagreeingWithShape() throws IOException {
        String h = "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
        assertThat(openFails(raw(h, 8, -1)).getMessage()).contains("needs 12");
    }

    @Test
    void unreadableDtypeAndMissingTensorFailOnUse() throws IOException {
        String h = "{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}";
        Path p = raw(h, 8, -1);
        try (TensorStore s = new SafetensorsStore(new LocalFileSource(p))) {
            assertThatThrownBy(() -> s.readRows("ids", new int[] {0})).isInstanceOf(NeuroMfaException.class)
                    .hasMessageContaining("I64").hasMessageContaining(p.toString());
            assertThatThrownBy(() -> s.readRows("nope", new int[] {0})).isInstanceOf(NeuroMfaException.class)
                    .hasMessageContaining("missing tensor 'nope'");
        }
    }
}

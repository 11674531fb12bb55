package org.neuromfa.tensor.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.source.LocalFileSource;
import org.neuromfa.tensor.DType;

class OnnxStoreTest {
    @TempDir
    Path dir;

    private OnnxStore open(byte[] bytes) throws IOException {
        Path p = dir.resolve("m.onnx");
        Files.write(p, bytes);
        return new OnnxStore(new LocalFileSource(p), location -> new LocalFileSource(dir.resolve(location)));
    }

    private static long[] dims(long... d) {
        return d;
    }

    @Test
    void readsRawDataRows() throws IOException {
        byte[] model = new OnnxWriter()
                .rawFloat("w", dims(3, 4), 0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23)
                .toBytes();
        try (OnnxStore s = open(model)) {
            assertThat(s.names()).containsExactly("w");
            assertThat(s.info("w").dtype()).isEqualTo(DType.F32);
            assertThat(s.info("w").shape()).containsExactly(3, 4);
            assertThat(s.readRows("w", new int[] {2, 0})).containsExactly(20, 21, 22, 23, 0, 1, 2, 3);
        }
    }

    @Test
    void readsPackedAndUnpackedFloatData() throws IOException {
        OnnxWriter.Message unpacked = OnnxWriter.tensor("u", 1, 2, 2);
        for (float v : new float[] {1.5f, -2f, 3.25f, 4f}) {
            unpacked.fixed32(4, v);
        }
        byte[] model = new OnnxWriter()
                .initializer(OnnxWriter.tensor("p", 1, 2, 3).packedFloats(4, 1, 2, 3, 4, 5, 6))
                .initializer(unpacked)
                .toBytes();
        try (OnnxStore s = open(model)) {
            assertThat(s.readRows("p", new int[] {1})).containsExactly(4, 5, 6);
            assertThat(s.readRows("u", new int[] {1, 0})).containsExactly(3.25f, 4f, 1.5f, -2f);
        }
    }

    @Test
    void dequantisesInt8PerColumnWithNegativeZeroPoints() throws IOException {
        // W_quantized [2, 3] int8 raw; W_scale [3] float_data; W_zero_point [3] int8 in int32_data
        // (a negative int32 is a ten-byte varint).
        byte[] q = {-3, 0, 127, 5, -128, 1};
        byte[] model = new OnnxWriter()
                .initializer(OnnxWriter.tensor("W_scale", 1, 3).packedFloats(4, 0.5f, 0.25f, 2f))
                .initializer(OnnxWriter.tensor("W_zero_point", 3, 3).packedVarints(5, -2L, 0L, 1L))
                .raw("W_quantized", 3, dims(2, 3), q)
                .node("/layer/MatMul_quant", "MatMulInteger", new String[] {"x_q", "W_quantized", "x_zp", "W_zero_point"}, "y")
                .toBytes();
        try (OnnxStore s = open(model)) {
            assertThat(s.names()).containsExactly("W");
            assertThat(s.info("W").dtype()).isEqualTo(DType.I8);
            assertThat(s.isQuantized("W")).isTrue();
            assertThat(s.tensorForInput("W_quantized")).isEqualTo("W");
            assertThat(s.tensorForInput("W_scale")).isNull();
            // Row 1: (5 - -2) * 0.5 = 3.5, (-128 - 0) * 0.25 = -32, (1 - 1) * 2 = 0.
            assertThat(s.readRows("W", new int[] {1})).containsExactly(3.5f, -32f, 0f);
            // Row 0: (-3 + 2) * 0.5 = -0.5, 0, (127 - 1) * 2 = 252.
            assertThat(s.readRows("W", new int[] {0})).containsExactly(-0.5f, 0f, 252f);
            assertThat(s.nodes()).hasSize(1);
            assertThat(s.nodes().get(0).opType()).isEqualTo("MatMulInteger");
            assertThat(s.nodes().get(0).inputs()).containsExactly("x_q", "W_quantized", "x_zp", "W_zero_point");
        }
    }

    @Test
    void dequantisesUint8PerTensor() throws IOException {
        byte[] model = new OnnxWriter()
                .raw("E_quantized", 2, dims(2, 2), new byte[] {(byte) 200, (byte) 128, 0, (byte) 255})
                .initializer(OnnxWriter.tensor("E_scale", 1).packedFloats(4, 0.25f))
                .raw("E_zero_point", 2, dims(), new byte[] {(byte) 128})
                .toBytes();
        try (OnnxStore s = open(model)) {
            assertThat(s.info("E").dtype()).isEqualTo(DType.U8);
            // (200 - 128) * 0.25 = 18, 0, (0 - 128) * 0.25 = -32, (255 - 128) * 0.25 = 31.75
            assertThat(s.readRows("E", new int[] {0, 1})).containsExactly(18f, 0f, -32f, 31.75f);
        }
    }

    @Test
    void decodesInt8WeightsStoredAsInt32Data() throws IOException {
        byte[] model = new OnnxWriter()
                .initializer(OnnxWriter.tensor("V_quantized", 3, 2, 2).packedVarints(5, 1L, -1L, 100L, -100L))
                .initializer(OnnxWriter.tensor("V_scale", 1).packedFloats(4, 0.5f))
                .toBytes();
        try (OnnxStore s = open(model)) {
            assertThat(s.readRows("V", new int[] {1, 0})).containsExactly(50f, -50f, 0.5f, -0.5f);
        }
    }

    @Test
    void readsExternalData() throws IOException {
        Files.write(dir.resolve("weights.bin"), concat(new byte[16], OnnxWriter.floats(7, 8, 9, 10)));
        OnnxWriter.Message t = OnnxWriter.tensor("x", 1, 2, 2)
                .message(13, new OnnxWriter.Message().string(1, "location").string(2, "weights.bin"))
                .message(13, new OnnxWriter.Message().string(1, "offset").string(2, "16"))
                .varint(14, 1);
        byte[] model = new OnnxWriter().initializer(t).toBytes();
        try (OnnxStore s = open(model)) {
            assertThat(s.readRows("x", new int[] {1})).containsExactly(9, 10);
        }
        Path p = dir.resolve("alone.onnx");
        Files.write(p, model);
        try (OnnxStore s = new OnnxStore(new LocalFileSource(p))) {
            assertThatThrownBy(() -> s.readRows("x", new int[] {0}))
                    .isInstanceOf(NeuroMfaException.class)
                    .hasMessageContaining("external file 'weights.bin'");
        }
    }

    @Test
    void readsOnlyTheRowsAsked() throws IOException {
        float[] big = new float[1000 * 1000];
        big[999 * 1000 + 3] = 42;
        byte[] model = new OnnxWriter().rawFloat("big", dims(1000, 1000), big).toBytes();
        try (OnnxStore s = open(model)) {
            long afterIndex = s.bytesRead();
            assertThat(s.readRows("big", new int[] {999})[3]).isEqualTo(42f);
            assertThat(s.bytesRead() - afterIndex).isEqualTo(4000);
            assertThat(s.bytesRead()).isLessThan(64_000);
            assertThat(s.bytesTotal()).isGreaterThan(4_000_000);
        }
    }

    @Test
    void rejectsMalformedProtobufInOneLine() throws IOException {
        assertMalformed(new byte[] {0x3a, (byte) 0x80}, "truncated varint");
        assertMalformed(new byte[] {0x3a, 100, 0, 0}, "runs past the end of its message");
        assertMalformed(new byte[] {0x3b, 0}, "group wire type");
        assertMalformed(new byte[] {0x08, 1}, "no graph");
        byte[] tooLong = new byte[12];
        java.util.Arrays.fill(tooLong, (byte) 0xff);
        tooLong[0] = 0x08;
        assertMalformed(tooLong, "longer than 10 bytes");
        byte[] shortData = new OnnxWriter().raw("w", 1, dims(2, 2), new byte[12]).toBytes();
        assertMalformed(shortData, "holds 12 bytes of data, but shape [2, 2] of F32 needs 16");
        byte[] noData = new OnnxWriter().initializer(OnnxWriter.tensor("w", 1, 2, 2)).toBytes();
        assertMalformed(noData, "but no data");
    }

    private void assertMalformed(byte[] bytes, String message) {
        assertThatThrownBy(() -> open(bytes).close())
                .isInstanceOf(NeuroMfaException.class)
                .hasMessageContaining(message)
                .hasMessageStartingWith(dir.resolve("m.onnx").toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package org.neuromfa.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bulk decoders give, bit for bit, the element-by-element definitions (HalfFloats, raw f32 bits). */
class ElementDecoderTest {

    /** Every 16-bit pattern, little-endian, after a 3-byte offset (rows rarely start aligned). */
    private static byte[] allPatterns() {
        ByteBuffer b = ByteBuffer.allocate(3 + 2 * 0x10000).order(ByteOrder.LITTLE_ENDIAN);
        b.position(3);
        for (int bits = 0; bits < 0x10000; bits++) {
            b.putShort((short) bits);
        }
        return b.array();
    }

    @Test
    void f16DecodesEveryPatternAsHalfFloats() {
        float[] out = new float[0x10000 + 1];
        ElementDecoder.decode(allPatterns(), 3, DType.F16, out, 1, 0x10000);
        for (int bits = 0; bits < 0x10000; bits++) {
            assertThat(Float.floatToRawIntBits(out[bits + 1])).as("f16 %04x", bits)
                    .isEqualTo(Float.floatToRawIntBits(HalfFloats.f16ToFloat(bits)));
        }
        assertThat(out[1 + 0x3c00]).isEqualTo(1f);
        assertThat(out[1 + 0xc000]).isEqualTo(-2f);
    }

    @Test
    void bf16DecodesEveryPatternAsTheTopHalfOfF32() {
        float[] out = new float[0x10000];
        ElementDecoder.decode(allPatterns(), 3, DType.BF16, out, 0, 0x10000);
        for (int bits = 0; bits < 0x10000; bits++) {
            assertThat(Float.floatToRawIntBits(out[bits])).as("bf16 %04x", bits).isEqualTo(bits << 16);
        }
    }

    @Test
    void f32KeepsEveryBitIncludingNanPayloads() {
        SplittableRandom random = new SplittableRandom(8);
        int n = 10_000;
        int[] bits = new int[n];
        ByteBuffer b = ByteBuffer.allocate(5 + 4 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.position(5);
        for (int i = 0; i < n; i++) {
            bits[i] = i < 4 ? new int[] {0x7fc00001, 0xff800000, 0x80000000, 0x00000001}[i] : random.nextInt();
            b.putInt(bits[i]);
        }
        float[] out = new float[n + 2];
        ElementDecoder.decode(b.array(), 5, DType.F32, out, 2, n);
        for (int i = 0; i < n; i++) {
            assertThat(Float.floatToRawIntBits(out[i + 2])).as("element %d", i).isEqualTo(bits[i]);
        }
        assertThat(out[0]).isZero();
        assertThat(out[1]).isZero();
    }
}

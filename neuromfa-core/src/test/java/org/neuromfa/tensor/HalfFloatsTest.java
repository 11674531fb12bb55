package org.neuromfa.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.neuromfa.tensor.safetensors.SafetensorsWriter;

class HalfFloatsTest {

    /** Bits from numpy: np.array([1, -2, 65504, 2**-24, -2**-14, 0.1, 0.333], np.float16).view(np.uint16). */
    @Test
    void f16EncodingMatchesNumpy() {
        float[] values = {1f, -2f, 65504f, 5.960464477539063e-08f, -6.103515625e-05f, 0.1f, 0.333f};
        int[] bits = {15360, 49152, 31743, 1, 33792, 11878, 13652};
        for (int i = 0; i < values.length; i++) {
            assertThat(SafetensorsWriter.toF16(values[i]) & 0xffff).as("f16 of " + values[i]).isEqualTo(bits[i]);
        }
    }

    @Test
    void everyF16ValueRoundTripsExactly() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfFloats.f16ToFloat(bits);
            if (Float.isNaN(f)) {
                assertThat((bits >>> 10) & 0x1f).isEqualTo(0x1f);
                continue;
            }
            assertThat(SafetensorsWriter.toF16(f) & 0xffff).as("bits %04x", bits).isEqualTo(bits);
        }
    }

    @Test
    void bf16IsTheTopHalfOfF32() {
        assertThat(HalfFloats.bf16ToFloat(0x3f80)).isEqualTo(1f);
        assertThat(HalfFloats.bf16ToFloat(0xc040)).isEqualTo(-3f);
        for (int bits = 0; bits < 0x10000; bits += 7) {
            float f = HalfFloats.bf16ToFloat(bits);
            if (!Float.isNaN(f)) {
                assertThat(SafetensorsWriter.toBf16(f) & 0xffff).isEqualTo(bits);
            }
        }
    }
}

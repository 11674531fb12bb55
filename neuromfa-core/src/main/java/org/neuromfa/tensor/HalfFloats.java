package org.neuromfa.tensor;

/**
 * Exact widening of 16-bit floats to f32, as PyTorch does when it loads half-precision weights.
 * Every f16 and bf16 value is representable in f32, so no rounding happens here.
 */
public final class HalfFloats {
    private HalfFloats() {
    }

    /** IEEE 754 binary16 bits to f32. */
    public static float f16ToFloat(int bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            // Inf or NaN: keep the payload bits.
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            // Subnormal half: value = mantissa * 2^-24, exact in f32.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** bfloat16 bits (the top half of an f32) to f32. */
    public static float bf16ToFloat(int bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }
}

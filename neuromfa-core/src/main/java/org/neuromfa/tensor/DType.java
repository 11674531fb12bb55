package org.neuromfa.tensor;

/**
 * Element types of stored tensors, with their safetensors names. The enum names are the safetensors
 * dtype strings. Only the floating types F32, F16, BF16 (widened to f32 exactly) and F64 (rounded to
 * f32, as PyTorch's {@code .float()} does) can be read as weights; the others are known so that a
 * header mentioning them is still valid.
 */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2), F8_E4M3(1), F8_E5M2(1),
    I64(8), I32(4), I16(2), I8(1), U64(8), U32(4), U16(2), U8(1), BOOL(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Whether weights of this type can be analysed (floating point, widened to f32). */
    public boolean isReadable() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    /** The type for a safetensors dtype string, or null when it is not one we know. */
    public static DType fromSafetensors(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}

package org.neuromfa.tensor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian stored elements to f32, shared by the readers of every format. */
public final class ElementDecoder {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private ElementDecoder() {
    }

    /**
     * Decodes {@code count} elements of type {@code dtype} from {@code src} at byte offset
     * {@code srcOffset} into {@code dst} from {@code dstOffset}. Callers check
     * {@link DType#isReadable()} first; F64 is rounded to nearest f32 as PyTorch's {@code .float()}.
     */
    public static void decode(byte[] src, int srcOffset, DType dtype, float[] dst, int dstOffset, int count) {
        switch (dtype) {
            case F32:
                // A bulk copy (the platform is little-endian in practice, else the buffer swaps):
                // fast from the first call, where a per-element VarHandle is slow until C2 compiles it.
                ByteBuffer.wrap(src, srcOffset, 4 * count).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                        .get(dst, dstOffset, count);
                break;
            case F16: {
                // Plain byte arithmetic rather than a VarHandle, for the same reason: an analysis is a
                // short-lived process and most of its rows are decoded before the JIT has warmed up.
                float[] table = HalfTable.VALUES;
                for (int i = 0, p = srcOffset; i < count; i++, p += 2) {
                    dst[dstOffset + i] = table[(src[p] & 0xff) | (src[p + 1] & 0xff) << 8];
                }
                break;
            }
            case BF16:
                for (int i = 0, p = srcOffset; i < count; i++, p += 2) {
                    dst[dstOffset + i] = Float.intBitsToFloat((src[p] & 0xff) << 16 | (src[p + 1] & 0xff) << 24);
                }
                break;
            case F64:
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = (float) Double.longBitsToDouble((long) LONG.get(src, srcOffset + 8 * i));
                }
                break;
            default:
                throw new IllegalArgumentException("not a readable weight type: " + dtype);
        }
    }

    /**
     * Decodes the elements at indices {@code columns} of the row of type {@code dtype} that starts at
     * byte offset {@code rowOffset} of {@code src}, into {@code dst} from {@code dstOffset}. A sample
     * uses a few dozen elements of each row it reads; decoding only those keeps the per-row cost
     * independent of the row's length. Gives the same floats as {@link #decode}.
     */
    public static void gather(byte[] src, int rowOffset, DType dtype, int[] columns, float[] dst, int dstOffset) {
        switch (dtype) {
            case F32:
                for (int j = 0; j < columns.length; j++) {
                    int p = rowOffset + 4 * columns[j];
                    dst[dstOffset + j] = Float.intBitsToFloat((src[p] & 0xff) | (src[p + 1] & 0xff) << 8
                            | (src[p + 2] & 0xff) << 16 | (src[p + 3] & 0xff) << 24);
                }
                break;
            case F16:
                // Converted one by one: a few dozen elements per row do not repay building the
                // 65,536-entry table that whole-row decoding uses (tens of milliseconds, cold).
                for (int j = 0; j < columns.length; j++) {
                    int p = rowOffset + 2 * columns[j];
                    dst[dstOffset + j] = HalfFloats.f16ToFloat((src[p] & 0xff) | (src[p + 1] & 0xff) << 8);
                }
                break;
            case BF16:
                for (int j = 0; j < columns.length; j++) {
                    int p = rowOffset + 2 * columns[j];
                    dst[dstOffset + j] = Float.intBitsToFloat((src[p] & 0xff) << 16 | (src[p + 1] & 0xff) << 24);
                }
                break;
            case F64:
                for (int j = 0; j < columns.length; j++) {
                    dst[dstOffset + j] = (float) Double.longBitsToDouble((long) LONG.get(src, rowOffset + 8 * columns[j]));
                }
                break;
            default:
                throw new IllegalArgumentException("not a readable weight type: " + dtype);
        }
    }

    /**
     * Every f16 value widened once: a table lookup replaces the branches of
     * {@link HalfFloats#f16ToFloat}, and gives the very same floats. Built on first use.
     */
    private static final class HalfTable {
        static final float[] VALUES = new float[1 << 16];

        static {
            for (int bits = 0; bits < VALUES.length; bits++) {
                VALUES[bits] = HalfFloats.f16ToFloat(bits);
            }
        }
    }

    /** One little-endian element as a double, for any numeric type (used for tests and small tensors). */
    public static double element(byte[] src, int offset, DType dtype) {
        switch (dtype) {
            case F64: return Double.longBitsToDouble((long) LONG.get(src, offset));
            case F32: return Float.intBitsToFloat((int) INT.get(src, offset));
            case F16: return HalfFloats.f16ToFloat((short) SHORT.get(src, offset) & 0xffff);
            case BF16: return HalfFloats.bf16ToFloat((short) SHORT.get(src, offset) & 0xffff);
            case I64: return (long) LONG.get(src, offset);
            case I32: return (int) INT.get(src, offset);
            case I16: return (short) SHORT.get(src, offset);
            case I8: return src[offset];
            case U8: return src[offset] & 0xff;
            case U16: return (short) SHORT.get(src, offset) & 0xffff;
            case U32: return Integer.toUnsignedLong((int) INT.get(src, offset));
            case BOOL: return src[offset] != 0 ? 1 : 0;
            default: throw new IllegalArgumentException("no element conversion for " + dtype);
        }
    }
}

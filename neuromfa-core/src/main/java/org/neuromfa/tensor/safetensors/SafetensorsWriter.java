package org.neuromfa.tensor.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.neuromfa.base.Json;
import org.neuromfa.tensor.DType;

/**
 * Writes safetensors files (for synthetic checkpoints in tests and benchmarks, and initialised twins of
 * real models). Tensors are given as f32 values and stored as F32, F16 (round to nearest even) or BF16
 * (round to nearest even); the header is padded with spaces to a multiple of 8 bytes, as the reference
 * implementation does, so the data is aligned.
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = Json.MAPPER;

    private final List<String> names = new ArrayList<>();
    private final List<DType> dtypes = new ArrayList<>();
    private final List<long[]> shapes = new ArrayList<>();
    private final List<float[]> values = new ArrayList<>();

    /** Adds a tensor; {@code data.length} must equal the product of {@code shape}. */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, float[] data) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(name + ": shape holds " + n + " values, got " + data.length);
        }
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
            throw new IllegalArgumentException("can only write F32, F16 and BF16, not " + dtype);
        }
        names.add(name);
        dtypes.add(dtype);
        shapes.add(shape.clone());
        values.add(data);
        return this;
    }

    /** The header JSON and data offsets, as bytes padded to a multiple of 8. */
    private byte[] header() {
        ObjectNode root = JSON.createObjectNode();
        long offset = 0;
        for (int i = 0; i < names.size(); i++) {
            ObjectNode t = root.putObject(names.get(i));
            t.put("dtype", dtypes.get(i).name());
            ArrayNode shape = t.putArray("shape");
            for (long d : shapes.get(i)) {
                shape.add(d);
            }
            long size = (long) values.get(i).length * dtypes.get(i).bytes();
            ArrayNode offsets = t.putArray("data_offsets");
            offsets.add(offset);
            offsets.add(offset + size);
            offset += size;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }

    public void write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out);
        }
    }

    public void write(OutputStream out) throws IOException {
        byte[] header = header();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.write(header);
        for (int i = 0; i < names.size(); i++) {
            DType dtype = dtypes.get(i);
            float[] data = values.get(i);
            ByteBuffer b = ByteBuffer.allocate(data.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : data) {
                switch (dtype) {
                    case F16: b.putShort(toF16(v)); break;
                    case BF16: b.putShort(toBf16(v)); break;
                    default: b.putFloat(v); break;
                }
            }
            out.write(b.array());
        }
    }

    /** f32 to bfloat16 bits, round to nearest even (NaN stays NaN). */
    public static short toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /** f32 to IEEE binary16 bits, round to nearest even, overflow to infinity. */
    public static short toF16(float v) {
        int bits = Float.floatToRawIntBits(v);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
        }
        int e = exponent - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            // Subnormal: shift the implicit-one mantissa right, rounding to nearest even.
            int m = mantissa | 0x800000;
            int shift = 14 - e;
            int half = 1 << (shift - 1);
            int rounded = (m + half - 1 + ((m >>> shift) & 1)) >>> shift;
            return (short) (sign | rounded);
        }
        int rounded = (e << 10) | (mantissa >>> 13);
        int rest = mantissa & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (rounded & 1) != 0)) {
            rounded++;
        }
        return (short) (sign | rounded);
    }
}

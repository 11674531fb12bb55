package org.neuromfa.tensor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The tensors of a checkpoint in real shapes whose values are zero except in chosen rows, written
 * as sparse files (the zeros are holes): a ResNet-50 in its real shapes is 100 MB of weights, but an
 * analysis reads only a few hundred rows, so only those are filled and written. The same content
 * goes to every format (safetensors here; {@code SparseTorchFile} and {@code SparseOnnxFile} beside
 * the torch and ONNX readers), so analyses of the three must agree.
 */
public final class SparseTensors {
    /** One tensor: name, element type (F32 weights or I64 counters), shape. */
    public static final class Spec {
        public final String name;
        public final DType dtype;
        public final long[] shape;

        Spec(String name, DType dtype, long[] shape) {
            this.name = name;
            this.dtype = dtype;
            this.shape = shape.clone();
        }

        public long elements() {
            return TensorInfo.elementCount(shape);
        }

        public long bytes() {
            return elements() * dtype.bytes();
        }

        /** Elements per row (the product of all dimensions after the first). */
        public long rowLength() {
            return shape.length == 0 ? 1 : elements() / shape[0];
        }
    }

    private final List<Spec> specs = new ArrayList<>();
    private final Map<String, TreeMap<Integer, float[]>> rows = new LinkedHashMap<>();

    public SparseTensors add(String name, DType dtype, long... shape) {
        specs.add(new Spec(name, dtype, shape));
        rows.put(name, new TreeMap<>());
        return this;
    }

    public SparseTensors f32(String name, long... shape) {
        return add(name, DType.F32, shape);
    }

    public List<Spec> specs() {
        return specs;
    }

    public Spec spec(String name) {
        for (Spec s : specs) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** Fills each listed row of each tensor with seeded values in {@code +-[0.01, 1) * scale}, never zero. */
    public void fill(Map<String, ? extends Iterable<Integer>> wanted, long seed, float scale) {
        Random random = new Random(seed);
        for (Map.Entry<String, ? extends Iterable<Integer>> e : wanted.entrySet()) {
            Spec s = spec(e.getKey());
            for (int row : e.getValue()) {
                float[] v = new float[(int) s.rowLength()];
                for (int i = 0; i < v.length; i++) {
                    float x = (0.01f + 0.99f * random.nextFloat()) * scale;
                    v[i] = random.nextBoolean() ? x : -x;
                }
                rows.get(s.name).put(row, v);
            }
        }
    }

    /** The filled rows of a tensor (row index to values); every other row is zero. */
    public TreeMap<Integer, float[]> rows(String name) {
        return rows.get(name);
    }

    /** Element {@code [row, column]} (column counted over the flattened trailing dimensions). */
    public float at(String name, int row, int column) {
        float[] v = rows.get(name).get(row);
        return v == null ? 0f : v[column];
    }

    /** Little-endian f32 bytes of a filled row. */
    public static byte[] bytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : values) {
            b.putFloat(x);
        }
        return b.array();
    }

    /** The sum of all element counts (what results report as {@code parameter_count}). */
    public long elements() {
        long n = 0;
        for (Spec s : specs) {
            n += s.elements();
        }
        return n;
    }

    /** Writes a safetensors file (format: u64 header length, JSON header, data) with holes for the zeros. */
    public void writeSafetensors(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        long offset = 0;
        for (Spec s : specs) {
            ObjectNode t = header.putObject(s.name);
            t.put("dtype", s.dtype.name());
            var shape = t.putArray("shape");
            for (long d : s.shape) {
                shape.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + s.bytes());
            offset += s.bytes();
        }
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        ByteBuffer start = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        start.putLong(padded).put(h);
        while (start.hasRemaining()) {
            start.put((byte) ' ');
        }
        long data = 8L + padded;
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            out.write(start.flip(), 0);
            long at = data;
            for (Spec s : specs) {
                writeRows(out, s, at);
                at += s.bytes();
            }
            if (out.size() < at) {
                out.write(ByteBuffer.allocate(1), at - 1);
            }
        }
    }

    /** Writes the filled rows of {@code s}, whose data starts at {@code at}. */
    public void writeRows(FileChannel out, Spec s, long at) throws IOException {
        long rowBytes = s.rowLength() * s.dtype.bytes();
        for (Map.Entry<Integer, float[]> r : rows.get(s.name).entrySet()) {
            out.write(ByteBuffer.wrap(bytes(r.getValue())), at + r.getKey() * rowBytes);
        }
    }
}

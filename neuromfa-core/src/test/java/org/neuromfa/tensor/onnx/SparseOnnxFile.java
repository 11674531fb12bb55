package org.neuromfa.tensor.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.neuromfa.tensor.DType;
import org.neuromfa.tensor.SparseTensors;

/**
 * Writes {@link SparseTensors} as an ONNX model: a ModelProto ({@code ir_version = 1},
 * {@code producer_name = 2}, {@code graph = 7}, {@code opset_import = 8}) whose graph holds the given
 * nodes and one initializer per tensor with {@code raw_data} (TensorProto {@code dims = 1},
 * {@code data_type = 2}, {@code name = 8}, {@code raw_data = 9}; field numbers from onnx.proto).
 * Lengths are computed first so the file is written front to back, the zeros of the data as holes.
 */
public final class SparseOnnxFile {
    private SparseOnnxFile() {
    }

    public static void write(SparseTensors tensors, List<OnnxWriter.Message> nodes, Path file) throws IOException {
        List<SparseTensors.Spec> specs = tensors.specs();
        byte[][] headers = new byte[specs.size()][];
        long graph = 0;
        for (OnnxWriter.Message n : nodes) {
            graph += field(n.toBytes().length);
        }
        byte[] name = new OnnxWriter.Message().string(2, "torch_jit").toBytes();
        graph += name.length;
        for (int i = 0; i < specs.size(); i++) {
            SparseTensors.Spec s = specs.get(i);
            headers[i] = OnnxWriter.tensor(s.name, s.dtype == DType.I64 ? 7 : 1, s.shape).toBytes();
            graph += field(headers[i].length + field(s.bytes()));
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            long at = 0;
            OnnxWriter.Message start = new OnnxWriter.Message().varint(1, 8).string(2, "pytorch");
            start.tag(7, 2);
            start.raw(graph);
            at = put(out, at, start.toBytes());
            for (OnnxWriter.Message n : nodes) {
                at = put(out, at, lengthPrefixed(1, n.toBytes().length));
                at = put(out, at, n.toBytes());
            }
            at = put(out, at, name);
            for (int i = 0; i < specs.size(); i++) {
                SparseTensors.Spec s = specs.get(i);
                at = put(out, at, lengthPrefixed(5, headers[i].length + field(s.bytes())));
                at = put(out, at, headers[i]);
                at = put(out, at, lengthPrefixed(9, s.bytes()));
                tensors.writeRows(out, s, at);
                at += s.bytes();
            }
            put(out, at, new OnnxWriter.Message().message(8, new OnnxWriter.Message().string(1, "").varint(2, 17)).toBytes());
        }
    }

    private static long put(FileChannel out, long at, byte[] bytes) throws IOException {
        out.write(ByteBuffer.wrap(bytes), at);
        return at + bytes.length;
    }

    /** A tag of wire type 2 and a length. */
    private static byte[] lengthPrefixed(int field, long length) {
        OnnxWriter.Message m = new OnnxWriter.Message();
        m.tag(field, 2);
        m.raw(length);
        return m.toBytes();
    }

    /** Bytes of a length-delimited field of {@code length} bytes with a one-byte tag. */
    private static long field(long length) {
        return 1 + varintLength(length) + length;
    }

    private static int varintLength(long v) {
        int n = 1;
        while ((v & ~0x7fL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }
}

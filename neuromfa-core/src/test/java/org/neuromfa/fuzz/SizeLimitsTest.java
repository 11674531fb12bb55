package org.neuromfa.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.source.LocalFileSource;
import org.neuromfa.tensor.TensorStore;
import org.neuromfa.tensor.onnx.OnnxStore;
import org.neuromfa.tensor.onnx.OnnxWriter;
import org.neuromfa.tensor.safetensors.SafetensorsStore;
import org.neuromfa.tensor.torch.TorchStore;

/**
 * Sizes claimed by a file are checked against limits before anything that size is allocated. The
 * files are sparse: they really are gigabytes long, so a claim that "fits in the file" is not caught
 * by a plain bounds check and must meet the reader's own limit. (The pickle and zip-entry claims of
 * PyTorch checkpoints are covered in TorchMalformedTest; shapes overflowing a long in
 * SafetensorsStoreTest and TorchMalformedTest; the ONNX ones are here.)
 */
@Timeout(30)
class SizeLimitsTest {
    private static final long GIB = 1L << 30;

    @TempDir
    Path tmp;

    /** A file of {@code size} bytes (sparse: only {@code head} and {@code tail} are written). */
    private Path sparse(String name, long size, byte[] head, byte[] tail) throws IOException {
        Path p = tmp.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
            f.seek(0);
            f.write(head);
            if (tail != null) {
                f.seek(size - tail.length);
                f.write(tail);
            }
        }
        return p;
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(Opener opener, Path file) {
        return assertThatThrownBy(() -> {
            try (TensorStore s = opener.open(new LocalFileSource(file))) {
                for (String n : s.names()) {
                    s.readRows(n, new int[] {0});
                }
            }
        }).isInstanceOf(NeuroMfaException.class)
                .hasMessageStartingWith(file.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    interface Opener {
        TensorStore open(LocalFileSource source) throws IOException;
    }

    private static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    @Test
    void safetensorsHeaderClaimingGigabytesInsideAGigabyteFile() throws IOException {
        Path p = sparse("big.safetensors", 3 * GIB, le64(2 * GIB), null);
        assertRefused(SafetensorsStore::new, p).hasMessageContaining("header length 2147483648 exceeds the limit");
    }

    @Test
    void configAndIndexFilesOfGigabytesAreNotReadWhole() throws IOException {
        for (String name : new String[] {"config.json", "model.safetensors.index.json"}) {
            Path dir = java.nio.file.Files.createDirectories(tmp.resolve("json-" + name));
            sparse("json-" + name + "/" + name, 3 * GIB, "{\"model_type\":\"gpt_neox\",\"x\":\"".getBytes(), null);
            Path file = dir.resolve(name);
            assertThatThrownBy(() -> org.neuromfa.model.Checkpoint.open(dir).close())
                    .isInstanceOf(NeuroMfaException.class)
                    .hasMessage(file + ": file of 3221225472 bytes is larger than the limit of 67108864 for a JSON file read whole");
        }
    }

    @Test
    void zipCentralDirectoryClaimingGigabytesInsideAGigabyteFile() throws IOException {
        // End of central directory record (APPNOTE 4.3.16): 2 GiB of directory starting at offset 0.
        ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 1000).putShort((short) 1000)
                .putInt((int) (2 * GIB)).putInt(0).putShort((short) 0);
        Path p = sparse("big.bin", 3 * GIB, new byte[] {'P', 'K'}, end.array());
        assertRefused(TorchStore::new, p).hasMessageContaining("claims 2147483648 bytes, more than the limit");
    }

    @Test
    void onnxLengthClaimingGigabytesInASmallFile() throws IOException {
        // ModelProto.graph (field 7, wire type 2) with a length of 2^40.
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x3a);
        b.writeBytes(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x20});
        b.writeBytes(new byte[64]);
        Path p = sparse("small.onnx", b.size(), b.toByteArray(), null);
        assertRefused(OnnxStore::new, p).hasMessageContaining("length 1099511627776 at byte 1 runs past the end");
    }

    @Test
    void onnxStringClaimingGigabytesInsideAGigabyteFile() throws IOException {
        // graph { initializer { name: <2 GiB> } }: every length fits in the 3 GiB file.
        long nameLength = 2 * GIB;
        byte[] nameTag = concat(new byte[] {0x42}, varint(nameLength));
        byte[] initializer = concat(concat(new byte[] {0x2a}, varint(nameTag.length + nameLength)), nameTag);
        byte[] graph = concat(concat(new byte[] {0x3a}, varint(initializer.length + nameLength)), initializer);
        Path p = sparse("string.onnx", graph.length + nameLength, graph, null);
        assertRefused(OnnxStore::new, p).hasMessageContaining("string of 2147483648 bytes").hasMessageContaining("implausibly long");
    }

    @Test
    void onnxPackedDimsFillingGigabytesAreRefusedByRank() throws IOException {
        // graph { initializer { dims: <1 GiB of zero bytes, each a varint 0> } }.
        long dimsLength = GIB;
        byte[] dimsTag = concat(new byte[] {0x0a}, varint(dimsLength));
        byte[] initializer = concat(concat(new byte[] {0x2a}, varint(dimsTag.length + dimsLength)), dimsTag);
        byte[] graph = concat(concat(new byte[] {0x3a}, varint(initializer.length + dimsLength)), initializer);
        Path p = sparse("rank.onnx", graph.length + dimsLength, graph, null);
        assertRefused(OnnxStore::new, p).hasMessageContaining("has more than 64 dimensions");
    }

    @Test
    void onnxGraphOfMillionsOfEmptyNodeInputsIsRefused() throws IOException {
        // graph { node { input: "" x 4194304 } } (the node is one entry too): 8 MiB of file, which
        // would decode to about 200 MiB of strings (and a 1 GiB file to 25 GiB).
        int inputs = 1 << 22;
        byte[] emptyInput = {0x0a, 0x00};
        ByteArrayOutputStream node = new ByteArrayOutputStream(2 * inputs);
        for (int i = 0; i < inputs; i++) {
            node.writeBytes(emptyInput);
        }
        byte[] nodeField = concat(concat(new byte[] {0x0a}, varint(node.size())), node.toByteArray());
        byte[] graph = concat(concat(new byte[] {0x3a}, varint(nodeField.length)), nodeField);
        Path p = sparse("nodes.onnx", graph.length, graph, null);
        assertRefused(OnnxStore::new, p).hasMessageContaining("graph has more than 4194304 nodes, node inputs and outputs,"
                + " and initializers");
    }

    @Test
    void onnxShapeOverflowingALong() throws IOException {
        byte[] model = new OnnxWriter()
                .initializer(OnnxWriter.tensor("w", 1, 1L << 32, 1L << 32).bytes(9, new byte[16]))
                .toBytes();
        Path p = sparse("overflow.onnx", model.length, model, null);
        assertRefused(OnnxStore::new, p).hasMessageContaining("tensor 'w': invalid shape [4294967296, 4294967296]");
        byte[] negative = new OnnxWriter()
                .initializer(OnnxWriter.tensor("n", 1, -4, 4).bytes(9, new byte[16]))
                .toBytes();
        Path q = sparse("negative.onnx", negative.length, negative, null);
        assertRefused(OnnxStore::new, q).hasMessageContaining("tensor 'n': invalid shape [-4, 4]");
    }

    @Test
    void onnxRawDataClaimingGigabytesIsNeverReadWhole() throws IOException {
        // A 2^29-element float scale (2 GiB of raw data, present in the sparse file) of a quantised
        // weight: scales are decoded whole, so the size is refused instead of allocated.
        long elements = 1L << 29;
        byte[] q = new OnnxWriter().raw("W_quantized", 3, new long[] {2, 2}, new byte[4]).toBytes();
        OnnxWriter.Message scaleHead = OnnxWriter.tensor("W_scale", 1, elements);
        byte[] head = scaleHead.toBytes();
        byte[] rawTag = concat(new byte[] {0x4a}, varint(4 * elements));
        long scaleLength = head.length + rawTag.length + 4 * elements;
        byte[] initializerQ = extractGraphPayload(q);
        byte[] scaleInit = concat(concat(new byte[] {0x2a}, varint(scaleLength)), concat(head, rawTag));
        long graphLength = initializerQ.length + scaleInit.length + 4 * elements;
        byte[] graphHead = concat(concat(new byte[] {0x3a}, varint(graphLength)), concat(initializerQ, scaleInit));
        Path p = sparse("scale.onnx", graphHead.length + 4 * elements, graphHead, null);
        assertRefused(OnnxStore::new, p).hasMessageContaining("'W_scale' has 536870912 elements")
                .hasMessageContaining("too many to decode at once");
    }

    @Test
    void onnxExternalDataClaimingGigabytesIsCheckedBeforeARowIsAllocated() throws IOException {
        // A [1, 2^31 - 16] float32 tensor in a 16-byte external file: one row would be 8 GiB of floats.
        long columns = (1L << 31) - 16;
        OnnxWriter.Message t = OnnxWriter.tensor("w", 1, 1, columns);
        t.message(13, new OnnxWriter.Message().string(1, "location").string(2, "w.bin"));
        t.varint(14, 1);
        byte[] model = new OnnxWriter().initializer(t).toBytes();
        Path p = sparse("external.onnx", model.length, model, null);
        java.nio.file.Files.write(tmp.resolve("w.bin"), new byte[16]);
        assertThatThrownBy(() -> {
            try (OnnxStore s = new OnnxStore(new LocalFileSource(p), location -> new LocalFileSource(tmp.resolve(location)))) {
                s.readRows("w", new int[] {0});
            }
        }).isInstanceOf(NeuroMfaException.class)
                .hasMessage(tmp.resolve("w.bin") + ": tensor 'w': external data at offset 0 of 8589934528 bytes runs past"
                        + " the end of the file (16 bytes)");
    }

    /** The initializer fields of OnnxWriter's graph (field 7 of the model), without the graph name. */
    private static byte[] extractGraphPayload(byte[] model) {
        // OnnxWriter writes ir_version (2 bytes), producer_name (2 + 13 bytes), then the graph.
        int p = 2 + 2 + "neuromfa-test".length();
        assertThat(model[p]).isEqualTo((byte) 0x3a);
        p++;
        long length = 0;
        int shift = 0;
        int b;
        do {
            b = model[p++] & 0xff;
            length |= (long) (b & 0x7f) << shift;
            shift += 7;
        } while (b >= 0x80);
        // Drop the trailing graph name (field 2, "g": 3 bytes).
        byte[] out = new byte[(int) length - 3];
        System.arraycopy(model, p, out, 0, out.length);
        return out;
    }

    private static byte[] varint(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package org.neuromfa.tensor.torch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.neuromfa.tensor.DType;
import org.neuromfa.tensor.SparseTensors;

/**
 * Writes {@link SparseTensors} as a PyTorch zip checkpoint, laid out as {@code torch.save} lays out a
 * state dict: {@code archive/data.pkl} (an {@code OrderedDict} of {@code _rebuild_tensor_v2} calls,
 * one storage per tensor), {@code archive/data/<key>} (the storages, stored uncompressed) and
 * {@code archive/version}; zip layout from PKWARE's APPNOTE.TXT. The storages' zeros are holes in the
 * file; their CRC-32 is computed over the whole content, so the archive is valid for any zip reader.
 */
public final class SparseTorchFile {
    private static final byte[] ZEROS = new byte[1 << 20];

    private SparseTorchFile() {
    }

    public static void write(SparseTensors tensors, Path file) throws IOException {
        List<SparseTensors.Spec> specs = tensors.specs();
        TestPickle p = new TestPickle().proto(2).orderedDict().mark();
        for (int i = 0; i < specs.size(); i++) {
            SparseTensors.Spec s = specs.get(i);
            long[] stride = new long[s.shape.length];
            long step = 1;
            for (int d = s.shape.length - 1; d >= 0; d--) {
                stride[d] = step;
                step *= s.shape[d];
            }
            p.str(s.name).tensor(s.dtype == DType.I64 ? "LongStorage" : "FloatStorage", String.valueOf(i), s.elements(), 0,
                    s.shape, stride);
        }
        byte[] pickle = p.op('u').stop().bytes();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteArrayOutputStream directory = new ByteArrayOutputStream();
            long at = 0;
            at = entry(out, directory, at, "archive/data.pkl", pickle.length, crc(pickle), ByteBuffer.wrap(pickle), null, null);
            for (int i = 0; i < specs.size(); i++) {
                SparseTensors.Spec s = specs.get(i);
                at = entry(out, directory, at, "archive/data/" + i, s.bytes(), crc(tensors, s), null, tensors, s);
            }
            byte[] version = "3\n".getBytes(StandardCharsets.US_ASCII);
            at = entry(out, directory, at, "archive/version", version.length, crc(version), ByteBuffer.wrap(version), null, null);
            int count = 2 + specs.size();
            byte[] dir = directory.toByteArray();
            out.write(ByteBuffer.wrap(dir), at);
            ByteArrayOutputStream end = new ByteArrayOutputStream();
            TestZip.le(end, 0x06054b50, 4);
            TestZip.le(end, 0, 2);
            TestZip.le(end, 0, 2);
            TestZip.le(end, count, 2);
            TestZip.le(end, count, 2);
            TestZip.le(end, dir.length, 4);
            TestZip.le(end, at, 4);
            TestZip.le(end, 0, 2);
            out.write(ByteBuffer.wrap(end.toByteArray()), at + dir.length);
        }
    }

    /** Writes one stored entry (local header, then data) at {@code at} and its central-directory record; returns the end. */
    private static long entry(FileChannel out, ByteArrayOutputStream directory, long at, String name, long size, long crc,
                              ByteBuffer data, SparseTensors tensors, SparseTensors.Spec spec) throws IOException {
        if (at + size > 0xffffffffL - (1 << 20)) {
            throw new IllegalArgumentException("sparse test archives are limited to 4 GiB (no zip64)");
        }
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream local = new ByteArrayOutputStream();
        TestZip.le(local, 0x04034b50, 4);
        TestZip.le(local, 20, 2);
        TestZip.le(local, 0, 2);
        TestZip.le(local, 0, 2);
        TestZip.le(local, 0, 4);
        TestZip.le(local, crc, 4);
        TestZip.le(local, size, 4);
        TestZip.le(local, size, 4);
        TestZip.le(local, n.length, 2);
        TestZip.le(local, 0, 2);
        local.writeBytes(n);
        out.write(ByteBuffer.wrap(local.toByteArray()), at);
        long start = at + local.size();
        if (data != null) {
            out.write(data, start);
        } else {
            tensors.writeRows(out, spec, start);
        }
        TestZip.le(directory, 0x02014b50, 4);
        TestZip.le(directory, 20, 2);
        TestZip.le(directory, 20, 2);
        TestZip.le(directory, 0, 2);
        TestZip.le(directory, 0, 2);
        TestZip.le(directory, 0, 4);
        TestZip.le(directory, crc, 4);
        TestZip.le(directory, size, 4);
        TestZip.le(directory, size, 4);
        TestZip.le(directory, n.length, 2);
        TestZip.le(directory, 0, 2);
        TestZip.le(directory, 0, 2);
        TestZip.le(directory, 0, 2);
        TestZip.le(directory, 0, 2);
        TestZip.le(directory, 0, 4);
        TestZip.le(directory, at, 4);
        directory.writeBytes(n);
        return start + size;
    }

    private static long crc(byte[] data) {
        CRC32 c = new CRC32();
        c.update(data);
        return c.getValue();
    }

    /** CRC-32 of a storage: zeros everywhere but the filled rows. */
    private static long crc(SparseTensors tensors, SparseTensors.Spec s) {
        CRC32 c = new CRC32();
        long rowBytes = s.rowLength() * s.dtype.bytes();
        long done = 0;
        for (Map.Entry<Integer, float[]> r : tensors.rows(s.name).entrySet()) {
            zeros(c, r.getKey() * rowBytes - done);
            c.update(SparseTensors.bytes(r.getValue()));
            done = (r.getKey() + 1) * rowBytes;
        }
        zeros(c, s.bytes() - done);
        return c.getValue();
    }

    private static void zeros(CRC32 c, long n) {
        while (n > 0) {
            int step = (int) Math.min(n, ZEROS.length);
            c.update(ZEROS, 0, step);
            n -= step;
        }
    }
}

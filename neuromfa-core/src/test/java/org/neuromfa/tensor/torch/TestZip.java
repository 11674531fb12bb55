package org.neuromfa.tensor.torch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes zip archives byte by byte for tests (layout from PKWARE's APPNOTE.TXT), so that tests can
 * make the variants a normal zip writer never makes: zip64 records, padded local headers (as
 * torch.save writes them), compressed-method flags and forged sizes.
 */
final class TestZip {
    private final List<String> names = new ArrayList<>();
    private final List<byte[]> contents = new ArrayList<>();
    private final List<Integer> methods = new ArrayList<>();
    private boolean zip64;
    private int localPadding;

    TestZip add(String name, byte[] content) {
        return add(name, content, 0);
    }

    TestZip add(String name, byte[] content, int method) {
        names.add(name);
        contents.add(content);
        methods.add(method);
        return this;
    }

    /** Writes zip64 extra fields and end records (all 32-bit fields set to 0xffffffff). */
    TestZip zip64() {
        zip64 = true;
        return this;
    }

    /** Pads every local header with an extra field of this many bytes (torch aligns data to 64 bytes this way). */
    TestZip localPadding(int bytes) {
        localPadding = bytes;
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            byte[] name = names.get(i).getBytes(StandardCharsets.UTF_8);
            byte[] data = contents.get(i);
            offsets.add((long) out.size());
            le(out, 0x04034b50, 4);
            le(out, 20, 2);
            le(out, 0, 2);
            le(out, methods.get(i), 2);
            le(out, 0, 4);
            le(out, crc(data), 4);
            le(out, data.length, 4);
            le(out, data.length, 4);
            le(out, name.length, 2);
            le(out, localPadding == 0 ? 0 : localPadding + 4, 2);
            out.writeBytes(name);
            if (localPadding > 0) {
                le(out, 0x4246, 2); // "FB", the id torch uses for its padding field
                le(out, localPadding, 2);
                out.writeBytes(new byte[localPadding]);
            }
            out.writeBytes(data);
        }
        long directoryStart = out.size();
        for (int i = 0; i < names.size(); i++) {
            byte[] name = names.get(i).getBytes(StandardCharsets.UTF_8);
            byte[] data = contents.get(i);
            le(out, 0x02014b50, 4);
            le(out, 45, 2);
            le(out, 45, 2);
            le(out, 0, 2);
            le(out, methods.get(i), 2);
            le(out, 0, 4);
            le(out, crc(data), 4);
            le(out, zip64 ? 0xffffffffL : data.length, 4);
            le(out, zip64 ? 0xffffffffL : data.length, 4);
            le(out, name.length, 2);
            le(out, zip64 ? 28 : 0, 2);
            le(out, 0, 2);
            le(out, 0, 2);
            le(out, 0, 2);
            le(out, 0, 4);
            le(out, zip64 ? 0xffffffffL : offsets.get(i), 4);
            out.writeBytes(name);
            if (zip64) {
                le(out, 1, 2);
                le(out, 24, 2);
                le(out, data.length, 8);
                le(out, data.length, 8);
                le(out, offsets.get(i), 8);
            }
        }
        long directorySize = out.size() - directoryStart;
        if (zip64) {
            long recordAt = out.size();
            le(out, 0x06064b50, 4);
            le(out, 44, 8);
            le(out, 45, 2);
            le(out, 45, 2);
            le(out, 0, 4);
            le(out, 0, 4);
            le(out, names.size(), 8);
            le(out, names.size(), 8);
            le(out, directorySize, 8);
            le(out, directoryStart, 8);
            le(out, 0x07064b50, 4);
            le(out, 0, 4);
            le(out, recordAt, 8);
            le(out, 1, 4);
        }
        le(out, 0x06054b50, 4);
        le(out, 0, 2);
        le(out, 0, 2);
        le(out, zip64 ? 0xffff : names.size(), 2);
        le(out, zip64 ? 0xffff : names.size(), 2);
        le(out, zip64 ? 0xffffffffL : directorySize, 4);
        le(out, zip64 ? 0xffffffffL : directoryStart, 4);
        le(out, 0, 2);
        return out.toByteArray();
    }

    private static long crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }

    static void le(ByteArrayOutputStream out, long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
    }
}

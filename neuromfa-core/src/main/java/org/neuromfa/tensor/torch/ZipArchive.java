package org.neuromfa.tensor.torch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.source.ByteSource;

/**
 * The directory of a zip archive read in place from a {@link ByteSource}: entry names, sizes and
 * where each entry's bytes start, so that a slice of an entry can be read without extracting it.
 *
 * <p>Layout from PKWARE's APPNOTE.TXT (sections 4.3.6 local file header, 4.3.12 central directory
 * header, 4.3.14-4.3.16 zip64 end of central directory record and locator, 4.5.3 zip64 extended
 * information extra field). Only stored (uncompressed, unencrypted) entries can be read in place;
 * {@code torch.save} writes nothing else. Every offset and size is checked against the file before
 * it is used, so a truncated or hostile archive fails with a one-line message.
 */
final class ZipArchive {
    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END_OF_DIRECTORY = 0x06054b50;
    private static final int ZIP64_END_OF_DIRECTORY = 0x06064b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int END_RECORD_SIZE = 22;
    private static final int MAX_COMMENT = 0xffff;

    /** The directory of a checkpoint with tens of thousands of tensors is a few megabytes. */
    static final long MAX_DIRECTORY_BYTES = 64L << 20;

    /** One entry of the central directory. */
    static final class Entry {
        final String name;
        final int method;
        final int flags;
        final long compressedSize;
        final long size;
        final long crc32;
        final long localHeaderOffset;

        Entry(String name, int method, int flags, long compressedSize, long size, long crc32, long localHeaderOffset) {
            this.name = name;
            this.method = method;
            this.flags = flags;
            this.compressedSize = compressedSize;
            this.size = size;
            this.crc32 = crc32;
            this.localHeaderOffset = localHeaderOffset;
        }

        boolean isStored() {
            return method == 0 && (flags & 1) == 0 && compressedSize == size;
        }
    }

    private final ByteSource source;
    private final Map<String, Entry> entries;
    private final long directoryStart;
    /** Data start of entries whose local header was read (read lazily: only entries that are used). */
    private final Map<String, Long> dataStarts = new ConcurrentHashMap<>();

    private ZipArchive(ByteSource source, Map<String, Entry> entries, long directoryStart) {
        this.source = source;
        this.entries = entries;
        this.directoryStart = directoryStart;
    }

    /** Reads and validates the central directory of {@code source}. */
    static ZipArchive open(ByteSource source) throws IOException {
        String file = source.name();
        long size = source.size();
        if (size < END_RECORD_SIZE) {
            throw new NeuroMfaException(file, "not a zip archive: " + size + " bytes, too short for a zip directory");
        }
        int tailLength = (int) Math.min(size, END_RECORD_SIZE + MAX_COMMENT);
        long tailStart = size - tailLength;
        byte[] tail = source.read(tailStart, tailLength);
        int end = -1;
        for (int i = tailLength - END_RECORD_SIZE; i >= 0; i--) {
            if (int32(tail, i) == END_OF_DIRECTORY && i + END_RECORD_SIZE + uint16(tail, i + 20) <= tailLength) {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw new NeuroMfaException(file, "not a zip archive or truncated: no end of central directory record");
        }
        long count = uint16(tail, end + 10);
        long directorySize = uint32(tail, end + 12);
        long directoryOffset = uint32(tail, end + 16);
        if (uint16(tail, end + 4) != 0 || uint16(tail, end + 6) != 0) {
            throw new NeuroMfaException(file, "multi-disk zip archives are not supported");
        }
        long endPosition = tailStart + end;
        if (count == 0xffff || directorySize == 0xffffffffL || directoryOffset == 0xffffffffL) {
            // Zip64: the real numbers are in the zip64 end record that the locator (just before) points to.
            if (endPosition < 20) {
                throw new NeuroMfaException(file, "corrupt zip archive: zip64 locator missing");
            }
            byte[] locator = source.read(endPosition - 20, 20);
            if (int32(locator, 0) != ZIP64_LOCATOR) {
                throw new NeuroMfaException(file, "corrupt zip archive: zip64 locator missing");
            }
            long zip64End = int64(locator, 8);
            if (zip64End < 0 || zip64End > endPosition - 20 - 56) {
                throw new NeuroMfaException(file, "corrupt zip archive: zip64 end record offset " + zip64End + " out of range");
            }
            byte[] record = source.read(zip64End, 56);
            if (int32(record, 0) != ZIP64_END_OF_DIRECTORY) {
                throw new NeuroMfaException(file, "corrupt zip archive: bad zip64 end of central directory record");
            }
            count = int64(record, 32);
            directorySize = int64(record, 40);
            directoryOffset = int64(record, 48);
            endPosition = zip64End;
        }
        if (directoryOffset < 0 || directorySize < 0 || directoryOffset > endPosition
                || directorySize > endPosition - directoryOffset) {
            throw new NeuroMfaException(file, "corrupt zip archive: central directory (" + directorySize + " bytes at "
                    + directoryOffset + ") lies outside the file");
        }
        if (directorySize > MAX_DIRECTORY_BYTES) {
            throw new NeuroMfaException(file, "zip central directory claims " + directorySize
                    + " bytes, more than the limit of " + MAX_DIRECTORY_BYTES);
        }
        if (count < 0 || count > directorySize / 46) {
            throw new NeuroMfaException(file, "corrupt zip archive: " + count + " entries cannot fit in a central directory of "
                    + directorySize + " bytes");
        }
        byte[] dir = source.read(directoryOffset, (int) directorySize);
        Map<String, Entry> map = new LinkedHashMap<>();
        int p = 0;
        for (long i = 0; i < count; i++) {
            if (p + 46 > dir.length || int32(dir, p) != CENTRAL_HEADER) {
                throw new NeuroMfaException(file, "corrupt zip archive: bad central directory header for entry " + i);
            }
            int flags = uint16(dir, p + 8);
            int method = uint16(dir, p + 10);
            long crc = uint32(dir, p + 16);
            long compressed = uint32(dir, p + 20);
            long uncompressed = uint32(dir, p + 24);
            int nameLength = uint16(dir, p + 28);
            int extraLength = uint16(dir, p + 30);
            int commentLength = uint16(dir, p + 32);
            int disk = uint16(dir, p + 34);
            long local = uint32(dir, p + 42);
            int next = p + 46 + nameLength + extraLength + commentLength;
            if (next > dir.length) {
                throw new NeuroMfaException(file, "corrupt zip archive: central directory entry " + i + " runs past the directory");
            }
            String name = new String(dir, p + 46, nameLength, StandardCharsets.UTF_8);
            // Zip64 extra field: the 64-bit values replace exactly the 32-bit fields that are all ones.
            int e = p + 46 + nameLength;
            int extraEnd = e + extraLength;
            while (e + 4 <= extraEnd) {
                int id = uint16(dir, e);
                int length = uint16(dir, e + 2);
                int q = e + 4;
                if (q + length > extraEnd) {
                    throw new NeuroMfaException(file, "corrupt zip archive: extra field of '" + name + "' runs past its end");
                }
                if (id == 0x0001) {
                    int qEnd = q + length;
                    if (uncompressed == 0xffffffffL && q + 8 <= qEnd) {
                        uncompressed = int64(dir, q);
                        q += 8;
                    }
                    if (compressed == 0xffffffffL && q + 8 <= qEnd) {
                        compressed = int64(dir, q);
                        q += 8;
                    }
                    if (local == 0xffffffffL && q + 8 <= qEnd) {
                        local = int64(dir, q);
                    }
                }
                e += 4 + length;
            }
            if (disk != 0 && disk != 0xffff) {
                throw new NeuroMfaException(file, "multi-disk zip archives are not supported");
            }
            if (uncompressed < 0 || compressed < 0 || local < 0 || local > directoryOffset
                    || compressed > directoryOffset - local) {
                throw new NeuroMfaException(file, "zip entry '" + name + "' claims " + compressed + " bytes at offset "
                        + local + ", outside the file's " + directoryOffset + " bytes of entries");
            }
            if (map.put(name, new Entry(name, method, flags, compressed, uncompressed, crc, local)) != null) {
                throw new NeuroMfaException(file, "zip archive holds the entry '" + name + "' twice");
            }
            p = next;
        }
        return new ZipArchive(source, Collections.unmodifiableMap(map), directoryOffset);
    }

    String name() {
        return source.name();
    }

    ByteSource source() {
        return source;
    }

    List<String> names() {
        return new ArrayList<>(entries.keySet());
    }

    /** The entry, or null. */
    Entry entry(String name) {
        return entries.get(name);
    }

    /** Fails unless the entry's bytes can be read in place. */
    void requireStored(Entry entry) {
        if ((entry.flags & 1) != 0) {
            throw new NeuroMfaException(name(), "zip entry '" + entry.name + "' is encrypted");
        }
        if (entry.method != 0 || entry.compressedSize != entry.size) {
            throw new NeuroMfaException(name(), "zip entry '" + entry.name + "' is compressed (method " + entry.method
                    + "); torch.save stores entries uncompressed, and only those can be read in place"
                    + " (re-save the checkpoint with torch.save)");
        }
    }

    /**
     * Fetches the local headers of {@code entries} not yet read, in one {@link org.neuromfa.source.ReadPlan}
     * (so over a network in parallel), so that {@link #dataStart} then finds them read. Best effort:
     * a failure is left to {@code dataStart}, which reports it.
     */
    void prefetchLocalHeaders(java.util.Collection<Entry> wanted) throws IOException {
        try {
            org.neuromfa.source.ReadPlan.await(localHeaders(wanted).fetchAsync(org.neuromfa.source.FetchListener.NONE));
        } catch (IOException | RuntimeException e) {
            // dataStart reads the header itself and reports the problem
        }
    }

    /**
     * Starts fetching the local headers of {@code entries} and returns at once: a head start for a
     * remote file, whose headers then arrive while the checkpoint's configuration is read and its
     * reads are planned. Failures are left to {@link #dataStart}.
     */
    void startFetchingLocalHeaders(java.util.Collection<Entry> entries) {
        localHeaders(entries).fetchAsync(org.neuromfa.source.FetchListener.NONE);
    }

    private org.neuromfa.source.ReadPlan localHeaders(java.util.Collection<Entry> wanted) {
        org.neuromfa.source.ReadPlan plan = new org.neuromfa.source.ReadPlan();
        for (Entry e : wanted) {
            if (!dataStarts.containsKey(e.name)) {
                int nameLength = e.name.getBytes(StandardCharsets.UTF_8).length;
                if (e.localHeaderOffset >= 0 && e.localHeaderOffset <= directoryStart - 30 - nameLength) {
                    plan.add(source, e.localHeaderOffset, 30 + nameLength);
                }
            }
        }
        return plan;
    }

    /** Offset in the file of the entry's first byte, from its local header (read once, then remembered). */
    long dataStart(Entry entry) throws IOException {
        Long known = dataStarts.get(entry.name);
        if (known != null) {
            return known;
        }
        requireStored(entry);
        byte[] nameBytes = entry.name.getBytes(StandardCharsets.UTF_8);
        if (entry.localHeaderOffset > directoryStart - 30 - nameBytes.length) {
            throw new NeuroMfaException(name(), "corrupt zip archive: local header of '" + entry.name + "' lies outside the file");
        }
        byte[] header = source.read(entry.localHeaderOffset, 30 + nameBytes.length);
        if (int32(header, 0) != LOCAL_HEADER) {
            throw new NeuroMfaException(name(), "corrupt zip archive: no local header at offset " + entry.localHeaderOffset
                    + " for '" + entry.name + "'");
        }
        int nameLength = uint16(header, 26);
        int extraLength = uint16(header, 28);
        if (nameLength != nameBytes.length
                || !java.util.Arrays.equals(header, 30, 30 + nameLength, nameBytes, 0, nameBytes.length)) {
            throw new NeuroMfaException(name(), "corrupt zip archive: local header at offset " + entry.localHeaderOffset
                    + " does not belong to '" + entry.name + "'");
        }
        long start = entry.localHeaderOffset + 30 + nameLength + extraLength;
        if (start > directoryStart || entry.size > directoryStart - start) {
            throw new NeuroMfaException(name(), "zip entry '" + entry.name + "' (" + entry.size + " bytes at offset " + start
                    + ") runs past the end of the entries; the file is truncated or corrupt");
        }
        dataStarts.put(entry.name, start);
        return start;
    }

    /** A whole (small) entry, refused when it is larger than {@code limit} bytes. */
    byte[] readEntry(Entry entry, long limit) throws IOException {
        if (entry.size > limit) {
            throw new NeuroMfaException(name(), "zip entry '" + entry.name + "' claims " + entry.size
                    + " bytes, more than the limit of " + limit);
        }
        long start = dataStart(entry);
        byte[] bytes = source.read(start, (int) entry.size);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes);
        if (crc.getValue() != entry.crc32) {
            throw new NeuroMfaException(name(), "zip entry '" + entry.name + "' fails its CRC-32 check; the file is corrupt");
        }
        return bytes;
    }

    private static int uint16(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    private static int int32(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    private static long uint32(byte[] b, int i) {
        return int32(b, i) & 0xffffffffL;
    }

    /** A little-endian 64-bit value; values with the top bit set come out negative and are rejected by callers. */
    private static long int64(byte[] b, int i) {
        return uint32(b, i) | uint32(b, i + 4) << 32;
    }
}

package org.neuromfa.source.hub;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import java.util.stream.Stream;
import org.neuromfa.base.AtomicFiles;

/**
 * NeuroMFA's on-disk cache of Hub content, inside {@code <hub cache>/neuromfa/}:
 *
 * <pre>
 * models--{org}--{name}/
 *   refs/{revision}                      commit id the revision resolved to (for offline runs)
 *   commits/{commit}/files.json          the file list of that commit
 *   commits/{commit}/files/{file}/meta.json         size, ETag and LFS sha256 of one file
 *   commits/{commit}/files/{file}/{start}-{end}.{crc}   bytes [start, end) of that file, and their
 *                                                       CRC-32C (8 hex digits)
 * </pre>
 *
 * Content is keyed by commit id, which names immutable content, so nothing cached ever needs
 * revalidation. Every entry is written to a temporary file and renamed into place, so an entry is
 * either complete or absent: a run killed mid-transfer leaves no partial range behind, only
 * possibly a temporary file, deleted by a later run once it is old ({@link AtomicFiles}). The small
 * entries are forced to disk; the blocks are not, but carry a checksum that is verified before a
 * block is first used, so a block damaged on disk is fetched again, never served. File and
 * revision names are URL-encoded (a name such as {@code refs/pr/1} or {@code sub/dir/x} becomes one
 * path segment).
 */
final class HubCache {
    private final Path repoDir;

    HubCache(Path cacheDirectory, HubRepo repo) {
        this.repoDir = cacheDirectory.resolve("models--" + repo.org() + "--" + repo.name());
    }

    Path repoDirectory() {
        return repoDir;
    }

    static String segment(String name) {
        String s = URLEncoder.encode(name, StandardCharsets.UTF_8);
        // "." and ".." would be path navigation; encode them (URLEncoder leaves dots alone).
        return s.equals(".") ? "%2E" : s.equals("..") ? "%2E%2E" : s;
    }

    Path refFile(String revision) {
        return repoDir.resolve("refs").resolve(segment(revision));
    }

    Path commitDirectory(String commit) {
        return repoDir.resolve("commits").resolve(segment(commit));
    }

    Path fileListFile(String commit) {
        return commitDirectory(commit).resolve("files.json");
    }

    Path fileDirectory(String commit, String file) {
        return commitDirectory(commit).resolve("files").resolve(segment(file));
    }

    /** The content of a cache entry, or null when it is not cached. */
    static byte[] readIfPresent(Path p) throws IOException {
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    static void writeAtomically(Path p, byte[] content) throws IOException {
        AtomicFiles.write(p, content);
    }

    /** A cached byte range of one file, named {@code {start}-{end}.{crc32c}}. */
    static final class Extent {
        final long start;
        final long end;
        final Path path;
        /** CRC-32C of the bytes, from the name. */
        final int crc;
        /** Whether this process has checked the file's bytes against {@link #crc} (or wrote them itself). */
        volatile boolean verified;

        Extent(long start, long end, Path path, int crc, boolean verified) {
            this.start = start;
            this.end = end;
            this.path = path;
            this.crc = crc;
            this.verified = verified;
        }

        /** Whether {@code bytes} are this range's content: the right length and checksum. */
        boolean holds(byte[] bytes) {
            return bytes.length == end - start && crc32c(bytes) == crc;
        }
    }

    /** {@code {start}-{end}.{CRC-32C, 8 lower-case hex digits}}. */
    private static final Pattern EXTENT = Pattern.compile("([0-9]{1,18})-([0-9]{1,18})\\.([0-9a-f]{8})");
    /** {@code {start}-{end}}: a block of an earlier version, without a checksum. */
    private static final Pattern LEGACY_EXTENT = Pattern.compile("[0-9]{1,18}-[0-9]{1,18}");

    static int crc32c(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes, 0, bytes.length);
        return (int) c.getValue();
    }

    static String extentName(long start, long end, int crc) {
        return start + "-" + end + "." + HexFormat.of().toHexDigits(crc);
    }

    /**
     * The ranges of a file already cached (in no particular order), cleaning the directory on the
     * way: temporary files of writes killed before their rename are deleted once older than
     * {@link AtomicFiles#STALE_AFTER} (younger ones may be another process's write in progress),
     * and so are blocks whose size disagrees with their name and checksum-less blocks of earlier
     * versions (neither can be trusted; either is fetched again when needed). A block's bytes are
     * checked against its checksum when it is first read ({@link HubFileSource}), not here, so that
     * opening a file costs one directory listing whatever the cache holds.
     */
    static List<Extent> extents(Path fileDirectory) throws IOException {
        List<Extent> out = new ArrayList<>();
        if (!Files.isDirectory(fileDirectory)) {
            return out;
        }
        Instant stale = Instant.now().minus(AtomicFiles.STALE_AFTER);
        try (Stream<Path> s = Files.list(fileDirectory)) {
            s.forEach(p -> {
                String n = p.getFileName().toString();
                if (n.startsWith(".")) {
                    AtomicFiles.removeIfStaleTemporary(p, stale);
                    return;
                }
                Matcher m = EXTENT.matcher(n);
                try {
                    if (m.matches()) {
                        long start = Long.parseLong(m.group(1));
                        long end = Long.parseLong(m.group(2));
                        // Renamed into place only when complete: another size means damage on disk.
                        if (end > start && Files.size(p) == end - start) {
                            out.add(new Extent(start, end, p, Integer.parseUnsignedInt(m.group(3), 16), false));
                        } else {
                            Files.deleteIfExists(p);
                        }
                    } else if (LEGACY_EXTENT.matcher(n).matches()) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException e) {
                    // Deleted under us by another process: simply not cached.
                }
            });
        }
        return out;
    }

    /**
     * Stores bytes {@code [start, start + data.length)} of a file under a name carrying their
     * CRC-32C. Temporary file plus rename: readers (this or another process) see the block complete
     * or not at all. Not forced to disk: a block an operating-system crash damaged (lost, cut short
     * or zero-filled under its final name) fails its size or checksum test and is fetched again, so
     * two disk flushes per block would buy nothing.
     */
    static Extent writeExtent(Path fileDirectory, long start, byte[] data) throws IOException {
        long end = start + data.length;
        int crc = crc32c(data);
        Path target = fileDirectory.resolve(extentName(start, end, crc));
        AtomicFiles.writeUnsynced(target, data);
        return new Extent(start, end, target, crc, true);
    }

    /**
     * Deletes the stale temporary files of the small entries of a commit (the revision's ref and
     * the file list); those of a file's blocks and metadata go in {@link #extents}.
     */
    void removeStaleTemporaries(String commit) {
        AtomicFiles.removeStaleTemporaries(repoDir.resolve("refs"));
        AtomicFiles.removeStaleTemporaries(commitDirectory(commit));
    }
}

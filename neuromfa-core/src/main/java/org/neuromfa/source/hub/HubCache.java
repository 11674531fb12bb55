package org.neuromfa.source.hub;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.neuromfa.io.AtomicFiles;

/**
 * NeuroMFA's on-disk cache of Hub content, inside {@code <hub cache>/neuromfa/}:
 *
 * <pre>
 * models--{org}--{name}/
 *   refs/{revision}                      commit id the revision resolved to (for offline runs)
 *   commits/{commit}/files.json          the file list of that commit
 *   commits/{commit}/files/{file}/meta.json         size, ETag and LFS sha256 of one file
 *   commits/{commit}/files/{file}/{start}-{end}     bytes [start, end) of that file
 * </pre>
 *
 * Content is keyed by commit id, which names immutable content, so nothing cached ever needs
 * revalidation. Every entry is written to a temporary file and renamed into place, so an entry is
 * either complete or absent: a run killed mid-transfer leaves no partial range behind. File and
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

    /** A cached byte range of one file. */
    static final class Extent {
        final long start;
        final long end;
        final Path path;

        Extent(long start, long end, Path path) {
            this.start = start;
            this.end = end;
            this.path = path;
        }
    }

    /** The ranges of {@code file} already cached (in no particular order). */
    static List<Extent> extents(Path fileDirectory) throws IOException {
        List<Extent> out = new ArrayList<>();
        if (!Files.isDirectory(fileDirectory)) {
            return out;
        }
        try (Stream<Path> s = Files.list(fileDirectory)) {
            s.forEach(p -> {
                String n = p.getFileName().toString();
                int dash = n.indexOf('-');
                if (dash <= 0 || !n.chars().allMatch(c -> c == '-' || (c >= '0' && c <= '9'))) {
                    return;
                }
                try {
                    long start = Long.parseLong(n.substring(0, dash));
                    long end = Long.parseLong(n.substring(dash + 1));
                    // A file whose length disagrees with its name was not written by us; ignore it.
                    if (end > start && Files.size(p) == end - start) {
                        out.add(new Extent(start, end, p));
                    }
                } catch (NumberFormatException | IOException ignored) {
                    // not an entry of ours
                }
            });
        }
        return out;
    }

    /**
     * Stores bytes {@code [start, start + data.length)} of a file. Temp file plus rename: readers
     * (this or another process) see the range complete or not at all. Not forced to disk: after an
     * operating-system crash a range may be lost, never half-written under its final name by us.
     */
    static Extent writeExtent(Path fileDirectory, long start, byte[] data) throws IOException {
        Files.createDirectories(fileDirectory);
        long end = start + data.length;
        Path target = fileDirectory.resolve(start + "-" + end);
        Path tmp = Files.createTempFile(fileDirectory, ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new Extent(start, end, target);
    }
}

package org.neuromfa.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.source.ByteRanges;
import org.neuromfa.source.ByteSource;
import org.neuromfa.source.LocalFileSource;

/**
 * A checkpoint directory on local disk; files are memory-mapped. Counts the distinct bytes read
 * through it (a row read by several seeds counts once, as it costs one transfer from a remote
 * source) and remembers which files were read.
 */
public final class LocalCheckpointFiles implements CheckpointFiles {
    /** Files read whole (config.json, index files) larger than this are refused rather than allocated. */
    public static final long MAX_SMALL_FILE_BYTES = 64L << 20;

    private final Path directory;
    private final Map<String, ByteRanges> rangesRead = new LinkedHashMap<>();
    private final Map<String, CheckpointFileInfo> filesRead = new LinkedHashMap<>();

    public LocalCheckpointFiles(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    @Override
    public String label() {
        Path name = directory.toAbsolutePath().normalize().getFileName();
        return name == null ? directory.toString() : name.toString();
    }

    @Override
    public String location(String file) {
        return directory.resolve(file).toString();
    }

    @Override
    public List<String> list() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(directory)) {
            s.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
        }
        names.sort(null);
        return names;
    }

    /** Present under that name, whatever it is: a FIFO or a device is then refused when read, not silently skipped. */
    @Override
    public boolean exists(String file) {
        return Files.exists(resolve(file));
    }

    /** A regular file, or a one-line error saying what it is instead. */
    static void requireRegular(Path p) {
        if (Files.isRegularFile(p)) {
            return;
        }
        if (!Files.exists(p)) {
            throw new NeuroMfaException(p.toString(), "file not found");
        }
        throw new NeuroMfaException(p.toString(), Files.isDirectory(p) ? "is a directory, not a file"
                : "is not a regular file (a FIFO, device or socket); give the path of a file");
    }

    @Override
    public ByteSource open(String file) throws IOException {
        Path p = resolve(file);
        requireRegular(p);
        LocalFileSource source = new LocalFileSource(p);
        ByteRanges ranges = recordRead(file, source.size());
        return new ByteSource() {
            @Override
            public String name() {
                return source.name();
            }

            @Override
            public long size() {
                return source.size();
            }

            @Override
            public void read(long position, byte[] destination, int offset, int length) throws IOException {
                source.read(position, destination, offset, length);
                ranges.add(position, position + length);
            }

            @Override
            public void prefetch(long[] positions, int length) {
                source.prefetch(positions, length);
            }

            @Override
            public java.util.concurrent.CompletableFuture<Void> fetch(org.neuromfa.source.ByteRanges planned,
                                                                      org.neuromfa.source.FetchListener listener) {
                return source.fetch(planned, listener);
            }

            @Override
            public long bytesRead() {
                return source.bytesRead();
            }

            @Override
            public void close() throws IOException {
                source.close();
            }
        };
    }

    @Override
    public byte[] readAll(String file) throws IOException {
        Path p = resolve(file);
        requireRegular(p);
        long size = Files.size(p);
        if (size > MAX_SMALL_FILE_BYTES) {
            throw new NeuroMfaException(p.toString(), "file of " + size + " bytes is larger than the limit of "
                    + MAX_SMALL_FILE_BYTES + " for a JSON file read whole");
        }
        byte[] content = Files.readAllBytes(p);
        recordRead(file, content.length).add(0, content.length);
        return content;
    }

    private ByteRanges recordRead(String file, long size) {
        synchronized (filesRead) {
            filesRead.putIfAbsent(file, new CheckpointFileInfo(file, size, null, null));
            return rangesRead.computeIfAbsent(file, f -> new ByteRanges());
        }
    }

    /** Distinct bytes read from disk through this object, over all files. */
    @Override
    public long bytesRead() {
        long sum = 0;
        synchronized (filesRead) {
            for (ByteRanges r : rangesRead.values()) {
                sum += r.covered();
            }
        }
        return sum;
    }

    @Override
    public List<CheckpointFileInfo> filesRead() {
        synchronized (filesRead) {
            return List.copyOf(filesRead.values());
        }
    }

    /** Index files name shards; a shard name must not climb out of the checkpoint directory. */
    private Path resolve(String file) {
        Path p = directory.resolve(file).normalize();
        if (!p.startsWith(directory.normalize())) {
            throw new NeuroMfaException(directory.toString(), "file name '" + file + "' points outside the checkpoint directory");
        }
        return p;
    }
}

package org.neuromfa.source;

import java.io.EOFException;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A local file, memory-mapped lazily in fixed windows. A single {@link MappedByteBuffer} cannot
 * exceed 2 GiB, and large checkpoints do, so the file is cut into windows that are mapped only when
 * a read touches them; reads that straddle a window boundary are split.
 *
 * <p>Thread-safe: windows are published through an atomic array and each read uses an absolute
 * (position-free) bulk get.
 */
public final class MappedFileSource implements ByteSource {
    /** Default window: large enough that a tensor row rarely straddles two, far below 2 GiB. */
    public static final int DEFAULT_WINDOW = 1 << 28;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final int window;
    private final AtomicReferenceArray<MappedByteBuffer> windows;
    private final AtomicLong bytesRead = new AtomicLong();

    public MappedFileSource(Path path) throws IOException {
        this(path, DEFAULT_WINDOW);
    }

    /** Opens {@code path} with windows of {@code window} bytes (tests use tiny windows). */
    public MappedFileSource(Path path, int window) throws IOException {
        if (window <= 0) {
            throw new IllegalArgumentException("window must be positive");
        }
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        this.size = channel.size();
        this.window = window;
        long count = (size + window - 1) / window;
        if (count > Integer.MAX_VALUE) {
            throw new IOException(path + ": file too large for window size " + window);
        }
        this.windows = new AtomicReferenceArray<>((int) count);
    }

    @Override
    public String name() {
        return path.toString();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void read(long position, byte[] destination, int offset, int length) throws IOException {
        if (position < 0 || length < 0 || position > size - length) {
            throw new EOFException(path + ": read of " + length + " bytes at " + position
                    + " is past the end of the file (" + size + " bytes)");
        }
        int done = 0;
        while (done < length) {
            long at = position + done;
            int w = (int) (at / window);
            int inWindow = (int) (at - (long) w * window);
            MappedByteBuffer buffer = window(w);
            int n = Math.min(length - done, buffer.capacity() - inWindow);
            buffer.get(inWindow, destination, offset + done, n);
            done += n;
        }
        bytesRead.addAndGet(length);
    }

    private MappedByteBuffer window(int w) throws IOException {
        MappedByteBuffer buffer = windows.get(w);
        if (buffer == null) {
            // Two threads may map the same window at once; the loser's mapping is simply dropped.
            long start = (long) w * window;
            long length = Math.min(window, size - start);
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, start, length);
            buffer = windows.compareAndExchange(w, null, mapped);
            if (buffer == null) {
                buffer = mapped;
            }
        }
        return buffer;
    }

    @Override
    public long bytesRead() {
        return bytesRead.get();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

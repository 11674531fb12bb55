package org.neuromfa.source;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local file of any size, read with positional reads ({@code pread}) in pieces of at most one
 * window. Files of any size (beyond 2 GiB) work. Positional reads replaced an earlier memory mapping
 * in windows because pages touched through a mapping stay in the process's resident set for
 * as long as the window is mapped: sampling the rows of a 24 GB checkpoint grew it by gigabytes,
 * whereas a read copies exactly the bytes asked for, from the page cache, and keeps nothing. The
 * copy costs no more than the page faults of a mapping did.
 *
 * <p>Thread-safe: positional reads do not move a shared file position.
 */
public final class LocalFileSource implements ByteSource {
    /** Default window: the largest piece read by one system call. */
    public static final int DEFAULT_WINDOW = 1 << 28;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final int window;
    private final AtomicLong bytesRead = new AtomicLong();

    public LocalFileSource(Path path) throws IOException {
        this(path, DEFAULT_WINDOW);
    }

    /** Opens {@code path}, reading at most {@code window} bytes per system call (tests use tiny windows). */
    public LocalFileSource(Path path, int window) throws IOException {
        if (window <= 0) {
            throw new IllegalArgumentException("window must be positive");
        }
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        this.size = channel.size();
        this.window = window;
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
            int n = channel.read(ByteBuffer.wrap(destination, offset + done, Math.min(window, length - done)),
                    position + done);
            if (n < 0) {
                throw new EOFException(path + ": file ended at " + (position + done) + " while reading " + length
                        + " bytes at " + position);
            }
            done += n;
        }
        bytesRead.addAndGet(length);
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

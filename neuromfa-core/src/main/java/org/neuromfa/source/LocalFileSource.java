package org.neuromfa.source;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
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
    /** Reads that had to wait for the disk; from {@link #SLOW_READS_BEFORE_READAHEAD} on, reads are prefetched. */
    private final AtomicInteger slowReads = new AtomicInteger();
    /** Ranges planned by {@link #fetch} before readahead started: read ahead once it starts. Guarded by this. */
    private long[] plannedAhead;

    /**
     * A read of a row that takes longer than this came from the disk, not the page cache (a cached
     * row takes a few microseconds; a disk read on our machine about 2 ms).
     */
    static final long SLOW_READ_NANOS = 300_000;
    /**
     * Readahead starts after this many slow reads of a file, so that a file whose rows are in the
     * page cache (a repeated analysis) is never read twice.
     */
    static final int SLOW_READS_BEFORE_READAHEAD = 4;
    /**
     * {@code -Dneuromfa.readahead=off} turns readahead off (to measure what it brings), {@code =always}
     * reads ahead from the first prefetch on (CI checks that this changes no result).
     */
    private static final String READAHEAD_MODE = System.getProperty("neuromfa.readahead", "auto");
    private static final boolean READAHEAD = !"off".equals(READAHEAD_MODE);

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
        if ("always".equals(READAHEAD_MODE)) {
            readAheadNow();
        }
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
        long start = System.nanoTime();
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
        if (length <= 1 << 20 && System.nanoTime() - start > SLOW_READ_NANOS
                && slowReads.incrementAndGet() == SLOW_READS_BEFORE_READAHEAD && READAHEAD) {
            long[] planned;
            synchronized (this) {
                planned = plannedAhead;
                plannedAhead = null;
            }
            if (planned != null) {
                Readahead.submitRanges(channel, planned);
            }
        }
    }

    /**
     * The planned ranges of an analysis, coalesced where the gap is at most {@link #COALESCE_GAP}
     * (a disk reads that much in about the time of one more request), are read ahead on the
     * {@link Readahead} threads in pieces of at most a mebibyte: the disk sees a few large requests
     * instead of a row at a time. As for {@link #prefetch}, only once reads of this file have been
     * seen waiting for the disk (before that, its pages are in the page cache and reading them
     * ahead would only read them twice); planned earlier, they are read ahead from then on.
     */
    @Override
    public CompletableFuture<Void> fetch(ByteRanges ranges, FetchListener listener) {
        if (!READAHEAD || ranges.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long[] coalesced = coalesce(ranges.toArray(), COALESCE_GAP);
        if (readingAhead()) {
            Readahead.submitRanges(channel, coalesced);
        } else {
            synchronized (this) {
                plannedAhead = coalesced;
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Gaps between planned ranges up to this size are read along with them (local disks). */
    static final long COALESCE_GAP = 128 << 10;

    /** Merges neighbouring ranges of {@code [s0, e0, s1, e1, ...]} (ascending) whose gap is at most {@code gap}. */
    public static long[] coalesce(long[] ranges, long gap) {
        long[] out = new long[ranges.length];
        int n = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            if (n > 0 && ranges[i] - out[n - 1] <= gap) {
                out[n - 1] = Math.max(out[n - 1], ranges[i + 1]);
            } else {
                out[n++] = ranges[i];
                out[n++] = ranges[i + 1];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * Once reads of this file have been seen waiting for the disk, reads the ranges ahead on the
     * {@link Readahead} threads; before that (the file's rows are in the page cache) does nothing.
     */
    @Override
    public void prefetch(long[] positions, int length) {
        if (READAHEAD && slowReads.get() >= SLOW_READS_BEFORE_READAHEAD && positions.length > 1) {
            Readahead.submit(channel, positions, length);
        }
    }

    /** Whether reads of this file are being read ahead. */
    boolean readingAhead() {
        return READAHEAD && slowReads.get() >= SLOW_READS_BEFORE_READAHEAD;
    }

    /** Reads ahead from the first prefetch on, as if the disk had been seen to be slow (for tests). */
    void readAheadNow() {
        slowReads.set(SLOW_READS_BEFORE_READAHEAD);
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

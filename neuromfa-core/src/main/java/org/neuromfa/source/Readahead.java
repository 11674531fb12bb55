package org.neuromfa.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Reads ranges of local files ahead of their readers, on a few daemon threads, so that the disk
 * sees many requests at once. A sample reads a few thousand rows of a few kilobytes each at
 * scattered places; read one after another from a disk (rather than the page cache), each waits
 * for the previous one. On the virtual disk of our benchmark machine random 4 KiB reads ran at
 * about 550 per second one at a time and 1,400 with eight in flight (docs/BENCHMARKS.md). The
 * bytes read here only fill the page cache; the reader's own read then finds them there (or waits
 * for the request already in flight).
 */
final class Readahead {
    /** Requests in flight at most: enough to keep a disk's queue full, few enough to be cheap. */
    static final int THREADS = 16;

    private static final ExecutorService POOL = pool();
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocate(1 << 16));

    private Readahead() {
    }

    private static ExecutorService pool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 5, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(null, r, "neuromfa-readahead", 256 << 10);
                    t.setDaemon(true);
                    return t;
                });
        // Idle threads go away, so a process that never waits on a disk keeps none.
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Queues reads of {@code [positions[i], positions[i] + length)}; returns at once. Failures are ignored. */
    static void submit(FileChannel channel, long[] positions, int length) {
        for (long position : positions) {
            POOL.execute(() -> touch(channel, position, length));
        }
    }

    /** Largest piece one readahead thread reads, so that a long range is read by several at once. */
    static final long PIECE = 1 << 20;

    /** Queues reads of the ranges {@code [s0, e0, s1, e1, ...]}, in pieces of at most {@link #PIECE}; returns at once. */
    static void submitRanges(FileChannel channel, long[] ranges) {
        for (int i = 0; i < ranges.length; i += 2) {
            for (long at = ranges[i]; at < ranges[i + 1]; at += PIECE) {
                long from = at;
                int length = (int) Math.min(PIECE, ranges[i + 1] - at);
                POOL.execute(() -> touch(channel, from, length));
            }
        }
    }

    private static void touch(FileChannel channel, long position, int length) {
        ByteBuffer scratch = SCRATCH.get();
        try {
            for (long done = 0; done < length; ) {
                scratch.clear().limit((int) Math.min(scratch.capacity(), length - done));
                int n = channel.read(scratch, position + done);
                if (n <= 0) {
                    return;
                }
                done += n;
            }
        } catch (IOException | RuntimeException e) {
            // Only a hint: the reader's own read reports any problem (a closed file, an I/O error).
        }
    }
}

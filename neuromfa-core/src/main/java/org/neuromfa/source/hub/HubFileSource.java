package org.neuromfa.source.hub;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.source.ByteSource;

/**
 * One file of a Hub repository at a fixed commit, read by HTTP Range requests through the on-disk
 * range cache ({@link HubCache}).
 *
 * <p>The cache unit is the range a reader asked for, not a fixed block: a read fetches exactly the
 * parts of {@code [position, position + length)} that are neither cached nor being fetched by
 * another thread, so the bytes transferred are the distinct bytes the analysis needs (tensor rows
 * are a few kilobytes, and a fixed 1 MiB block would transfer hundreds of times more for scattered
 * rows). Concurrent reads of the same row wait for the one transfer in flight instead of repeating
 * it, so rows shared by several seeds are transferred once.
 *
 * <p>{@link #bytesRead()} counts bytes received over HTTP (failed attempts included); reads served
 * from the cache count nothing.
 */
public final class HubFileSource implements ByteSource {
    private final String name;
    private final URI uri;
    private final long size;
    private final Path directory;
    private final HubHttp http;
    private final boolean offline;
    private final AtomicLong transferred = new AtomicLong();
    private final LongConsumer alsoCount;

    /** Where the Hub last redirected reads of this file. */
    private final java.util.concurrent.atomic.AtomicReference<URI> redirected = new java.util.concurrent.atomic.AtomicReference<>();
    private final Object lock = new Object();
    /** Cached ranges by start; none contains another. Guarded by {@code lock}. */
    private final TreeMap<Long, HubCache.Extent> extents = new TreeMap<>();
    /** Ranges being fetched, by start. Guarded by {@code lock}. */
    private final TreeMap<Long, Pending> pending = new TreeMap<>();

    private static final class Pending {
        final long start;
        final long end;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Pending(long start, long end) {
            this.start = start;
            this.end = end;
        }
    }

    HubFileSource(String name, URI uri, long size, Path directory, HubHttp http, boolean offline,
                  LongConsumer alsoCount) throws IOException {
        this.name = name;
        this.uri = uri;
        this.size = size;
        this.directory = directory;
        this.http = http;
        this.offline = offline;
        this.alsoCount = alsoCount;
        List<HubCache.Extent> found = HubCache.extents(directory);
        // Longest first among equal starts, so a range contained in another is dropped.
        found.sort(Comparator.<HubCache.Extent>comparingLong(e -> e.start).thenComparingLong(e -> -e.end));
        long reach = Long.MIN_VALUE;
        for (HubCache.Extent e : found) {
            if (e.end > reach && e.end <= size) {
                extents.put(e.start, e);
                reach = e.end;
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void read(long position, byte[] destination, int offset, int length) throws IOException {
        if (position < 0 || length < 0 || position > size - length) {
            throw new EOFException(name + ": read of " + length + " bytes at " + position
                    + " is past the end of the file (" + size + " bytes)");
        }
        long end = position + length;
        while (true) {
            List<Pending> mine = new ArrayList<>();
            List<Pending> theirs = new ArrayList<>();
            List<HubCache.Extent> pieces = new ArrayList<>();
            synchronized (lock) {
                long at = position;
                while (at < end) {
                    HubCache.Extent e = covering(extents, at);
                    if (e != null) {
                        pieces.add(e);
                        at = Math.min(e.end, end);
                        continue;
                    }
                    Map.Entry<Long, Pending> p = pending.floorEntry(at);
                    if (p != null && p.getValue().end > at) {
                        theirs.add(p.getValue());
                        at = Math.min(p.getValue().end, end);
                        continue;
                    }
                    long next = end;
                    Long e2 = extents.higherKey(at);
                    if (e2 != null) {
                        next = Math.min(next, e2);
                    }
                    Long p2 = pending.higherKey(at);
                    if (p2 != null) {
                        next = Math.min(next, p2);
                    }
                    Pending fetch = new Pending(at, next);
                    pending.put(at, fetch);
                    mine.add(fetch);
                    at = next;
                }
            }
            if (mine.isEmpty() && theirs.isEmpty()) {
                HubCache.Extent damaged = copy(pieces, position, destination, offset, length);
                if (damaged == null) {
                    return;
                }
                discard(damaged);
                continue;
            }
            for (int i = 0; i < mine.size(); i++) {
                try {
                    fetch(mine.get(i));
                } catch (IOException | RuntimeException | Error failure) {
                    for (int j = i; j < mine.size(); j++) {
                        abandon(mine.get(j), failure);
                    }
                    throw failure;
                }
            }
            for (Pending p : theirs) {
                try {
                    p.done.join();
                } catch (CompletionException e) {
                    // The other reader reports its own failure; this one retries the range itself.
                }
            }
        }
    }

    /**
     * Fetches the ranges not yet cached on up to {@link #PARALLEL_FETCHES} connections at once, so
     * that reading a tensor's sampled rows costs a few round trips instead of one per row.
     */
    @Override
    public void prefetch(long[] positions, int length) {
        if (offline) {
            return;
        }
        List<Long> missing = new ArrayList<>();
        synchronized (lock) {
            for (long p : positions) {
                HubCache.Extent e = covering(extents, p);
                if ((e == null || e.end < p + length) && p >= 0 && p <= size - length) {
                    missing.add(p);
                }
            }
        }
        if (missing.size() < 2) {
            return;
        }
        List<java.util.concurrent.Future<?>> running = new ArrayList<>();
        for (long p : missing) {
            running.add(FETCHERS.submit(() -> {
                read(p, new byte[length], 0, length);
                return null;
            }));
        }
        for (java.util.concurrent.Future<?> f : running) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException ignored) {
                // The read that follows fetches the range again and reports the failure.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Concurrent range requests per process: enough to hide latency, few enough to be polite. */
    static final int PARALLEL_FETCHES = 8;

    private static final java.util.concurrent.ExecutorService FETCHERS =
            java.util.concurrent.Executors.newFixedThreadPool(PARALLEL_FETCHES, r -> {
                Thread t = new Thread(r, "neuromfa-hub-fetch");
                t.setDaemon(true);
                return t;
            });

    private static HubCache.Extent covering(TreeMap<Long, HubCache.Extent> map, long at) {
        Map.Entry<Long, HubCache.Extent> e = map.floorEntry(at);
        return e != null && e.getValue().end > at ? e.getValue() : null;
    }

    private void fetch(Pending p) throws IOException {
        if (offline) {
            throw new NeuroMfaException(name, "bytes " + p.start + "-" + (p.end - 1)
                    + " are not in the cache, and HF_HUB_OFFLINE forbids downloading them");
        }
        byte[] data = http.getRange(uri, redirected, p.start, Math.toIntExact(p.end - p.start), name, n -> {
            transferred.addAndGet(n);
            alsoCount.accept(n);
        });
        HubCache.Extent stored = HubCache.writeExtent(directory, p.start, data);
        synchronized (lock) {
            extents.put(stored.start, stored);
            pending.remove(p.start);
        }
        p.done.complete(null);
    }

    private void abandon(Pending p, Throwable failure) {
        synchronized (lock) {
            pending.remove(p.start, p);
        }
        p.done.completeExceptionally(failure);
    }

    /**
     * Copies the bytes of {@code pieces} that fall in {@code [position, position + length)}, or
     * returns the first piece found damaged or gone (nothing copied is then to be trusted). A piece
     * not yet verified by this process is read whole and checked against its checksum first.
     */
    private static HubCache.Extent copy(List<HubCache.Extent> pieces, long position, byte[] destination, int offset,
                                        int length) throws IOException {
        long end = position + length;
        long at = position;
        for (HubCache.Extent e : pieces) {
            int n = (int) (Math.min(e.end, end) - at);
            int to = offset + (int) (at - position);
            long from = at - e.start;
            try {
                if (!e.verified) {
                    byte[] all = Files.readAllBytes(e.path);
                    if (!e.holds(all)) {
                        return e;
                    }
                    e.verified = true;
                    System.arraycopy(all, (int) from, destination, to, n);
                } else {
                    try (FileChannel ch = FileChannel.open(e.path, StandardOpenOption.READ)) {
                        ByteBuffer b = ByteBuffer.wrap(destination, to, n);
                        while (b.hasRemaining()) {
                            if (ch.read(b, from + (b.position() - to)) < 0) {
                                // Verified whole earlier, so cut short since (or replaced): fetch again.
                                return e;
                            }
                        }
                    }
                }
            } catch (NoSuchFileException gone) {
                // Deleted by another process (as damaged, or a cache clean-up): fetch it again.
                return e;
            } catch (UncheckedIOException u) {
                throw u.getCause();
            }
            at += n;
        }
        return null;
    }

    /**
     * Forgets a damaged block and deletes its file, so that the read fetches the range again
     * (offline, it cannot: a one-line error says so).
     */
    private void discard(HubCache.Extent damaged) throws IOException {
        synchronized (lock) {
            extents.remove(damaged.start, damaged);
        }
        boolean present = Files.deleteIfExists(damaged.path);
        if (offline) {
            throw new NeuroMfaException(name, "cached bytes " + damaged.start + "-" + (damaged.end - 1) + " ("
                    + damaged.path + ") " + (present ? "were damaged on disk (wrong size or checksum) and have been"
                    + " deleted" : "were deleted from the cache during the run")
                    + "; HF_HUB_OFFLINE forbids downloading them again");
        }
    }

    /** Bytes received over HTTP by this source. */
    @Override
    public long bytesRead() {
        return transferred.get();
    }
}

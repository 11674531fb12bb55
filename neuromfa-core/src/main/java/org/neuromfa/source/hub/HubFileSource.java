package org.neuromfa.source.hub;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.source.ByteRanges;
import org.neuromfa.source.ByteSource;
import org.neuromfa.source.FetchListener;

/**
 * One file of a Hub repository at a fixed commit, read through NeuroMFA's content-addressed cache
 * ({@link Blob}) and fetched by HTTP Range requests ({@link HubClient}).
 *
 * <p>Two ways in. {@link #fetch} takes a whole read plan (every range all seeds of an analysis
 * need): what is not cached is coalesced where a gap costs less than a round trip
 * ({@link LinkModel}), taken whole when that covers most of the file anyway, cut into pieces, and
 * fetched on up to {@link HubSettings#connections()} connections at once. {@link #read} serves
 * from the cache and fetches what is missing itself (a header, or anything not planned), a little
 * more than asked when a round trip would cost more than those bytes. A range is fetched by one
 * thread of the process only: a reader that needs bytes another is fetching waits for them.
 *
 * <p>{@link #bytesRead()} counts bytes received over HTTP (failed attempts included); reads served
 * from the cache count nothing.
 */
public final class HubFileSource implements ByteSource {
    private static final boolean TRACE = Boolean.getBoolean("neuromfa.hub.trace");

    /** A plan that covers this much of a file after coalescing fetches the rest of it too. */
    static final double WHOLE_FILE_SHARE = 0.9;
    /**
     * An unplanned miss (a header, a zip's directory) fetches the bytes that follow it too, as many
     * as one round trip costs ({@link LinkModel#worthwhileGap}), at most this many.
     */
    static final long MAX_READ_AHEAD = 1 << 20;

    private final String name;
    private final RemoteFile file;
    private final Blob blob;
    private final HubClient client;
    private final boolean offline;
    private final AtomicLong transferred = new AtomicLong();
    private final LongConsumer alsoCount;
    /** Pieces handed to the fetch pool and not yet finished, so that closing can drop those not started. */
    private final List<Queued> queued = new ArrayList<>();
    /** {@link Blob#changes()} when this source first served bytes; -1 before. */
    private volatile int changesWhenServed = -1;
    private volatile boolean closed;

    HubFileSource(RemoteFile file, Blob blob, HubClient client, boolean offline, LongConsumer alsoCount) {
        this.name = file.name;
        this.file = file;
        this.blob = blob;
        this.client = client;
        this.offline = offline;
        this.alsoCount = alsoCount;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return file.size;
    }

    @Override
    public void read(long position, byte[] destination, int offset, int length) throws IOException {
        if (position < 0 || length < 0 || position > file.size - length) {
            throw new EOFException(name + ": read of " + length + " bytes at " + position
                    + " is past the end of the file (" + file.size + " bytes)");
        }
        long end = position + length;
        for (int round = 0; ; round++) {
            if (blob.covers(position, end) && blob.read(position, destination, offset, length)) {
                served();
                return;
            }
            if (offline) {
                throw new NeuroMfaException(name, "bytes " + position + "-" + (end - 1) + " "
                        + (blob.struck(position, end) ? "were found damaged on disk in the cache and struck out"
                        : "are not in the cache") + " (" + blob.directory + "), and HF_HUB_OFFLINE forbids downloading them");
            }
            if (round > 1000) {
                throw new NeuroMfaException(name, "bytes " + position + "-" + (end - 1) + " could not be cached");
            }
            long ahead = Math.min(MAX_READ_AHEAD, linkModel().readAhead());
            long want = Math.min(file.size, Math.max(end, position + ahead));
            Blob.Claim claim = blob.claim(position, want);
            for (int i = 0; i < claim.mine.size(); i++) {
                try {
                    fetchPiece(claim.mine.get(i), FetchListener.NONE);
                } catch (IOException | RuntimeException | Error failure) {
                    for (int j = i + 1; j < claim.mine.size(); j++) {
                        blob.abandon(claim.mine.get(j), failure);
                    }
                    throw failure;
                }
            }
            for (Blob.Piece p : claim.theirs) {
                await(p.done);
            }
        }
    }

    /** The content must not change between two reads of one source: its reads would mix two versions. */
    private void served() {
        int now = blob.changes();
        if (changesWhenServed < 0) {
            changesWhenServed = now;
        } else if (changesWhenServed != now) {
            throw new NeuroMfaException(name, "the file's content changed on the server while it was being read"
                    + " (its ETag changed); the cached bytes were dropped: run again");
        }
    }

    private LinkModel linkModel() {
        double[] fixed = client.settings().link();
        if (fixed != null) {
            return LinkModel.fixed(fixed[0], fixed[1]);
        }
        java.net.URI at = file.signed.get();
        return LinkModel.of(at != null ? at : file.resolve);
    }

    /** Fetches one claimed piece on this thread; the piece is completed or abandoned, never left pending. */
    private void fetchPiece(Blob.Piece piece, FetchListener listener) throws IOException {
        try {
            boolean done = client.fetchPiece(file, blob, piece, n -> {
                transferred.addAndGet(n);
                alsoCount.accept(n);
                listener.transferred(n);
            });
            if (!done) {
                blob.abandon(piece, new IOException("fetched by the whole-file transfer"));
                HubClient.awaitWholeTransfer(file);
            }
        } catch (IOException | RuntimeException | Error failure) {
            blob.abandon(piece, failure);
            throw failure;
        }
    }

    private static void await(CompletableFuture<Void> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a transfer");
        } catch (ExecutionException e) {
            // The other fetcher reports its own failure; this reader tries the range itself.
        }
    }

    /**
     * Fetches the planned ranges not yet cached: coalesced by the link's cost rule, the whole file
     * when that covers most of it, cut into pieces fetched in parallel. The future completes when
     * every piece is cached, or with the first failure (after that piece's retries).
     */
    @Override
    public CompletableFuture<Void> fetch(ByteRanges ranges, FetchListener listener) {
        if (offline || closed || ranges.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<Blob.Piece> mine = new ArrayList<>();
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        try {
            long[] planned = ranges.toArray();
            // Cached bytes are checked now rather than at their first read, so that damaged ones
            // are fetched again with the plan, not one read at a time.
            blob.verify(planned);
            List<long[]> missing = blob.uncovered(planned);
            if (missing.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            long[] merged = coalesce(missing, linkModel().worthwhileGap(client.settings().connections()));
            long total = 0;
            for (int i = 0; i < merged.length; i += 2) {
                total += merged[i + 1] - merged[i];
            }
            // What the file would hold afterwards: cached already, plus this fetch.
            long[] rest = flatten(blob.uncovered(new long[] {0, file.size}));
            long restBytes = 0;
            for (int i = 0; i < rest.length; i += 2) {
                restBytes += rest[i + 1] - rest[i];
            }
            if (file.size - restBytes + total >= WHOLE_FILE_SHARE * file.size) {
                merged = rest;
                total = restBytes;
            }
            long piece = LinkModel.pieceSize(total, client.settings().connections());
            if (TRACE) {
                LinkModel m = linkModel();
                System.err.printf(java.util.Locale.ROOT, "hub-plan %s: %d ranges missing, gap %d (round trip %.1f ms, %.2f MB/s"
                        + " shared, %.1f alone), %d bytes in %d ranges to fetch, pieces of %d%n", name, missing.size(),
                        m.worthwhileGap(client.settings().connections()), m.latencySeconds() * 1e3,
                        m.rateShared(client.settings().connections()) / 1e6, m.rateAlone() / 1e6, total, merged.length / 2, piece);
            }
            for (int i = 0; i < merged.length; i += 2) {
                for (long at = merged[i]; at < merged[i + 1]; at += piece) {
                    Blob.Claim c = blob.claim(at, Math.min(merged[i + 1], at + piece));
                    mine.addAll(c.mine);
                    for (Blob.Piece p : c.theirs) {
                        waits.add(p.done.exceptionally(t -> null));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            for (Blob.Piece p : mine) {
                blob.abandon(p, e);
            }
            return CompletableFuture.failedFuture(e);
        }
        long planned = 0;
        for (Blob.Piece p : mine) {
            planned += p.length();
        }
        listener.planned(planned);
        ThreadPoolExecutor pool = pool(client.settings().connections());
        boolean parallel = mine.size() >= Math.max(2, client.settings().connections() / 2);
        List<CompletableFuture<Void>> all = new ArrayList<>(waits);
        synchronized (queued) {
            for (Blob.Piece p : mine) {
                Queued q = new Queued(p);
                all.add(q.done);
                // A running piece keeps the blob open even if this source is closed meanwhile.
                blob.retain();
                q.future = pool.submit(() -> {
                    if (!q.started.compareAndSet(false, true)) {
                        return; // dropped by close() before it started
                    }
                    ((FetchThread) Thread.currentThread()).parallel = parallel;
                    try {
                        fetchPiece(p, listener);
                        q.done.complete(null);
                    } catch (Throwable t) {
                        q.done.completeExceptionally(t);
                    } finally {
                        blob.release();
                        synchronized (queued) {
                            queued.remove(q);
                        }
                    }
                });
                queued.add(q);
            }
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    /** A piece in the fetch pool. */
    private static final class Queued {
        final Blob.Piece piece;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        /** Set by whoever gets the piece first: its task (which then fetches it) or close() (which drops it). */
        final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        Future<?> future;

        Queued(Blob.Piece piece) {
            this.piece = piece;
        }
    }

    /** Ranges {@code [start, end]} (ascending, disjoint) merged across gaps below {@code gap}, as {@code [s0, e0, ...]}. */
    static long[] coalesce(List<long[]> ranges, long gap) {
        long[] out = new long[2 * ranges.size()];
        int n = 0;
        for (long[] r : ranges) {
            if (n > 0 && r[0] - out[n - 1] <= gap) {
                out[n - 1] = Math.max(out[n - 1], r[1]);
            } else {
                out[n++] = r[0];
                out[n++] = r[1];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static long[] flatten(List<long[]> ranges) {
        long[] out = new long[2 * ranges.size()];
        for (int i = 0; i < ranges.size(); i++) {
            out[2 * i] = ranges.get(i)[0];
            out[2 * i + 1] = ranges.get(i)[1];
        }
        return out;
    }

    /** The most of a file's beginning and end {@link #warm} fetches. */
    static final long WARM_HEAD = 256 << 10;
    static final long WARM_TAIL = 128 << 10;

    /**
     * Starts fetching what opening the file will read, before it is read: all of it ({@code whole},
     * for small JSON files), else its beginning (a safetensors header, a zip's {@code data.pkl}) and,
     * for a zip, its end (the directory), each as much as a round trip is worth on this link, at most
     * {@link #WARM_HEAD} and {@link #WARM_TAIL}. On a link where a round trip costs nothing, nothing.
     */
    CompletableFuture<Void> warm(boolean whole, boolean zipTail) {
        long worth = linkModel().readAhead();
        ByteRanges r = new ByteRanges();
        if (whole) {
            r.add(0, Math.min(file.size, HubCheckpointFiles.MAX_WHOLE_FILE));
        } else if (worth > 0) {
            r.add(0, Math.min(file.size, Math.min(WARM_HEAD, worth)));
            if (zipTail) {
                r.add(Math.max(0, file.size - Math.min(WARM_TAIL, worth)), file.size);
            }
        }
        return fetch(r, FetchListener.NONE);
    }

    /** Fetches the ranges now and waits (failures are left to the reads that follow). */
    @Override
    public void prefetch(long[] positions, int length) {
        if (offline || positions.length < 2) {
            return;
        }
        ByteRanges r = new ByteRanges();
        for (long p : positions) {
            if (p >= 0 && p <= file.size - length) {
                r.add(p, p + length);
            }
        }
        try {
            fetch(r, FetchListener.NONE).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // the reads that follow fetch the ranges again and report the failure
        }
    }

    /** Concurrent range requests per process, one pool per connection count. */
    private static final Map<Integer, ThreadPoolExecutor> POOLS = new ConcurrentHashMap<>();

    private static ThreadPoolExecutor pool(int connections) {
        return POOLS.computeIfAbsent(connections, n -> {
            ThreadPoolExecutor p = new ThreadPoolExecutor(n, n, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new FetchThread(r);
                t.setDaemon(true);
                return t;
            });
            p.allowCoreThreadTimeOut(true);
            return p;
        });
    }

    /**
     * A thread of the fetch pool. {@link #parallel} says whether its current piece belongs to a
     * fetch of enough pieces to keep the connections busy: then its rate is a connection's share of
     * the link ({@link LinkModel}); a few header pieces fetched ahead are not.
     */
    static final class FetchThread extends Thread {
        volatile boolean parallel;

        FetchThread(Runnable r) {
            super(r, "neuromfa-hub-fetch");
        }
    }

    /** Bytes received over HTTP by this source. */
    @Override
    public long bytesRead() {
        return transferred.get();
    }

    /** Pieces not yet started are dropped; the cache keeps what is complete. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Queued> dropped = new ArrayList<>();
        synchronized (queued) {
            for (Queued q : queued) {
                // A running task's future is still cancellable, so its start is what decides.
                if (q.started.compareAndSet(false, true)) {
                    q.future.cancel(false);
                    dropped.add(q);
                }
            }
            queued.removeAll(dropped);
        }
        for (Queued q : dropped) {
            IOException closedFailure = new IOException(name + ": closed before it was fetched");
            blob.abandon(q.piece, closedFailure);
            q.done.completeExceptionally(closedFailure);
            blob.release();
        }
        blob.release();
    }
}

package org.neuromfa.source;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The byte ranges that a piece of work is going to read, per file, known before any of them is
 * read. An analysis knows every row that all its seeds need before it reads one (drawing a sample
 * plan costs microseconds), so it can hand the whole set to each file at once: a remote file then
 * coalesces neighbouring ranges and fetches them with many requests in flight, where reading them
 * one row at a time would cost a round trip per row; a local file reads them ahead.
 *
 * <p>Ranges are kept merged per source ({@link ByteRanges}); sources are told apart by identity.
 * Thread-safe.
 */
public final class ReadPlan {
    private final Map<ByteSource, ByteRanges> ranges = new IdentityHashMap<>();
    private final List<ByteSource> order = new ArrayList<>();

    /** Adds {@code [start, start + length)} of {@code source}. */
    public synchronized void add(ByteSource source, long start, long length) {
        if (length <= 0) {
            return;
        }
        ByteRanges r = ranges.get(source);
        if (r == null) {
            r = new ByteRanges();
            ranges.put(source, r);
            order.add(source);
        }
        r.add(start, start + length);
    }

    /** The sources with planned ranges, in the order first added. */
    public synchronized List<ByteSource> sources() {
        return List.copyOf(order);
    }

    /** The planned ranges of {@code source} (empty when none). */
    public synchronized ByteRanges ranges(ByteSource source) {
        ByteRanges r = ranges.get(source);
        return r == null ? new ByteRanges() : r;
    }

    /** Distinct bytes planned, over all sources. */
    public synchronized long bytes() {
        long sum = 0;
        for (ByteRanges r : ranges.values()) {
            sum += r.covered();
        }
        return sum;
    }

    /**
     * Starts fetching every source's ranges at once ({@link ByteSource#fetch}); the future completes
     * when all have been fetched, or with the first failure.
     */
    public CompletableFuture<Void> fetchAsync(FetchListener listener) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (ByteSource s : sources()) {
            all.add(s.fetch(ranges(s), listener));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    /** Fetches every source's ranges and waits; a failure is thrown as it happened. */
    public void fetch(FetchListener listener) throws IOException {
        await(fetchAsync(listener));
    }

    /** Waits for a fetch, rethrowing its failure as the fetching thread saw it. */
    public static void await(CompletableFuture<Void> fetch) throws IOException {
        try {
            fetch.get();
        } catch (InterruptedException e) {
            fetch.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching");
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    private static IOException rethrow(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof UncheckedIOException) {
            return ((UncheckedIOException) t).getCause();
        }
        if (t instanceof IOException) {
            return (IOException) t;
        }
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new IOException(t);
    }
}

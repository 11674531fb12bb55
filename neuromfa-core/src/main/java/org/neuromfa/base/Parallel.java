package org.neuromfa.base;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one piece of work per item (a seed, a checkpoint) on a number of threads and returns the
 * results in the items' order, so that what is reported never depends on the thread count. The first
 * failure in that order is rethrown as it was thrown (an IOException stays one, so the command line
 * reports input problems the same way with one thread or many).
 */
public final class Parallel {
    private Parallel() {
    }

    /** The work for one item. */
    public interface Task<I, O> {
        O run(I item) throws IOException;
    }

    /** {@code task} of every item, on up to {@code threads} daemon threads named {@code threadName}. */
    public static <I, O> List<O> map(List<I> items, int threads, String threadName, Task<I, O> task) throws IOException {
        List<O> results = new ArrayList<>(items.size());
        if (threads <= 1 || items.size() <= 1) {
            for (I item : items) {
                results.add(task.run(item));
            }
            return results;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, items.size()), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<O>> futures = new ArrayList<>();
            for (I item : items) {
                futures.add(pool.submit(() -> task.run(item)));
            }
            for (Future<O> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw thrownBy(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * What the work behind {@code e} threw, to be thrown again on the waiting thread as it was thrown:
     * an IOException (or the one inside an UncheckedIOException) is returned for the caller to
     * throw, an unchecked exception or error is thrown from here, anything else is an internal error.
     */
    public static IOException thrownBy(ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException) {
            return (IOException) cause;
        }
        if (cause instanceof UncheckedIOException) {
            return ((UncheckedIOException) cause).getCause();
        }
        if (cause instanceof RuntimeException) {
            throw (RuntimeException) cause;
        }
        if (cause instanceof Error) {
            throw (Error) cause;
        }
        throw new IllegalStateException(cause);
    }
}

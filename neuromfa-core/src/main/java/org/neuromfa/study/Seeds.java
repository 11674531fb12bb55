package org.neuromfa.study;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one piece of work per seed on a number of threads and returns the results in seed order, so
 * that what is reported never depends on the thread count. The first failure is rethrown as it was
 * thrown (an IOException stays one, so the command line reports input problems the same way with
 * one thread or many).
 */
final class Seeds {
    private Seeds() {
    }

    /** The work for one seed. */
    interface Task<T> {
        T run(long seed) throws IOException;
    }

    static <T> List<T> map(List<Long> seeds, int threads, String threadName, Task<T> task) throws IOException {
        List<T> results = new ArrayList<>(seeds.size());
        if (threads <= 1 || seeds.size() <= 1) {
            for (long seed : seeds) {
                results.add(task.run(seed));
            }
            return results;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, seeds.size()), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (long seed : seeds) {
                futures.add(pool.submit(() -> task.run(seed)));
            }
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof UncheckedIOException) {
                throw ((UncheckedIOException) cause).getCause();
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The seeds of an analysis: firstSeed .. firstSeed + samples - 1. */
    static List<Long> of(AnalysisOptions options) {
        List<Long> seeds = new ArrayList<>(options.samples());
        for (int i = 0; i < options.samples(); i++) {
            seeds.add(options.firstSeed() + i);
        }
        return seeds;
    }
}

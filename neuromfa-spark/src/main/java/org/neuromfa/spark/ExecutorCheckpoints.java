package org.neuromfa.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.neuromfa.arch.Architecture;
import org.neuromfa.arch.QkvLayout;
import org.neuromfa.locate.CheckpointLocator;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointAnalysis;
import org.neuromfa.tensor.TensorStore;

/**
 * The checkpoints opened in this executor JVM, shared by its task threads: a checkpoint's header
 * (and, for Hub checkpoints, its connection and range cache) is read once per executor rather than
 * once per seed. At most {@link #CAPACITY} idle checkpoints stay open, least recently used closed
 * first; one in use by a task is never closed under it. Keyed by the checkpoint's identity, which for
 * a local checkpoint includes its files' sizes and modification times, so a rewritten checkpoint is
 * opened afresh.
 */
final class ExecutorCheckpoints {
    static final int CAPACITY = Integer.getInteger("neuromfa.spark.openCheckpoints", 4);

    private static final LinkedHashMap<String, Entry> OPEN = new LinkedHashMap<>(16, 0.75f, true);

    private ExecutorCheckpoints() {
    }

    /** An opened checkpoint, held until {@link #close}. */
    static final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        Checkpoint checkpoint() {
            return entry.checkpoint;
        }

        /** The checkpoint's wiring under {@code options} (the QKV layout), made once per executor. */
        Architecture architecture(AnalysisOptions options) {
            return entry.architectures.computeIfAbsent(options.qkvLayout(),
                    k -> CheckpointAnalysis.architecture(entry.checkpoint, options));
        }

        /**
         * The weights under {@code options}, made once per executor: normalised weights compute each
         * matrix's standard deviation once, and every seed of the checkpoint then shares it.
         */
        TensorStore tensors(AnalysisOptions options) {
            return entry.tensors.computeIfAbsent(options.normalizeWeights(),
                    k -> CheckpointAnalysis.tensors(entry.checkpoint, options));
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                release(entry);
            }
        }
    }

    private static final class Entry {
        final String identity;
        final String model;
        int users;
        Checkpoint checkpoint;
        final Map<QkvLayout, Architecture> architectures = new ConcurrentHashMap<>();
        final Map<Boolean, TensorStore> tensors = new ConcurrentHashMap<>();

        Entry(String identity, String model) {
            this.identity = identity;
            this.model = model;
        }

        synchronized void ensureOpen(Map<String, String> environment) throws IOException {
            if (checkpoint != null) {
                return;
            }
            checkpoint = open(model, environment);
        }
    }

    /**
     * Opens {@code model} on this executor; {@code environment} is the Hub environment
     * ({@link ExecutorSettings#environment}: the executor's own, overridden by the shipped settings).
     */
    private static Checkpoint open(String model, Map<String, String> environment) throws IOException {
        return CheckpointLocator.fromEnvironment(environment).open(model, null);
    }

    static Lease acquire(SampleTask task, Map<String, String> environment) throws IOException {
        Entry entry;
        synchronized (OPEN) {
            entry = OPEN.computeIfAbsent(task.identity, k -> new Entry(task.identity, task.source));
            entry.users++;
        }
        try {
            // Opened outside the map's lock: other threads keep working while a slow (Hub) open runs.
            entry.ensureOpen(environment);
        } catch (IOException | RuntimeException | Error e) {
            release(entry);
            throw e;
        }
        return new Lease(entry);
    }

    private static void release(Entry entry) throws IOException {
        List<Entry> idle = new ArrayList<>();
        synchronized (OPEN) {
            entry.users--;
            int excess = OPEN.size() - CAPACITY;
            for (Iterator<Entry> it = OPEN.values().iterator(); it.hasNext() && excess > 0; ) {
                Entry e = it.next();
                if (e.users == 0) {
                    it.remove();
                    idle.add(e);
                    excess--;
                }
            }
            if (entry.users == 0 && entry.checkpoint == null) {
                // A failed open is not kept: the retry opens again.
                OPEN.remove(entry.identity, entry);
            }
        }
        closeAll(idle);
    }

    /** Closes every idle checkpoint (the end of a local-mode run, where executors live in the driver). */
    static void closeIdle() throws IOException {
        List<Entry> idle = new ArrayList<>();
        synchronized (OPEN) {
            for (Iterator<Entry> it = OPEN.values().iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (e.users == 0) {
                    it.remove();
                    idle.add(e);
                }
            }
        }
        closeAll(idle);
    }

    private static void closeAll(List<Entry> entries) throws IOException {
        IOException first = null;
        for (Entry e : entries) {
            synchronized (e) {
                if (e.checkpoint != null) {
                    try {
                        e.checkpoint.close();
                    } catch (IOException x) {
                        first = first == null ? x : first;
                    }
                    e.checkpoint = null;
                    e.architectures.clear();
                    e.tensors.clear();
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}

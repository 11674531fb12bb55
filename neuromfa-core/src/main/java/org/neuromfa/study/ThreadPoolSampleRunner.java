package org.neuromfa.study;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointAnalysis;
import org.neuromfa.analysis.CheckpointInfo;
import org.neuromfa.analysis.CheckpointReads;
import org.neuromfa.analysis.SampleAnalysis;
import org.neuromfa.arch.Architecture;
import org.neuromfa.base.Parallel;
import org.neuromfa.locate.CheckpointLocator;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.source.FetchListener;
import org.neuromfa.source.ReadPlan;
import org.neuromfa.tensor.TensorStore;

/**
 * The command line's runner: checkpoints computed one after another, each one's missing seeds
 * spread over a pool of {@code threads} threads that share the opened checkpoint. {@link #run} is
 * where a trajectory's checkpoint is opened and its seeds are run (as {@link CheckpointAnalysis#run}
 * is for one analysis). While a checkpoint is computed, the next {@link #LOOKAHEAD} are opened and
 * their planned reads fetched (every row their missing seeds need, {@link CheckpointReads}), so
 * that over a network the transfers of the next checkpoints overlap the computation of this one.
 * Problems of a checkpoint are reported when its turn comes, after the results before it were
 * handed on, as without the lookahead.
 */
public final class ThreadPoolSampleRunner implements SampleRunner {
    /** Checkpoints opened and fetched ahead of the one being computed. */
    static final int LOOKAHEAD = 2;

    private final int threads;
    private final CheckpointLocator locator;
    private final FetchListener fetching;

    /** A runner on {@code threads} threads that opens checkpoints with {@code locator}. */
    public ThreadPoolSampleRunner(int threads, CheckpointLocator locator) {
        this(threads, locator, FetchListener.NONE);
    }

    /** As above, telling {@code fetching} how the transfers go (progress). */
    public ThreadPoolSampleRunner(int threads, CheckpointLocator locator, FetchListener fetching) {
        this.threads = threads;
        this.locator = locator;
        this.fetching = fetching;
    }

    /** A checkpoint opened, checked and planned, its reads being fetched. */
    private static final class Prepared implements AutoCloseable {
        final Batch work;
        final Checkpoint checkpoint;
        final Architecture architecture;
        final CompletableFuture<Void> fetch;

        Prepared(Batch work, Checkpoint checkpoint, Architecture architecture, CompletableFuture<Void> fetch) {
            this.work = work;
            this.checkpoint = checkpoint;
            this.architecture = architecture;
            this.fetch = fetch;
        }

        @Override
        public void close() throws IOException {
            checkpoint.close();
        }
    }

    /**
     * Opens the batch's checkpoint once for every variant and plans one read of the union of their
     * rows (a variant may sample another number of neurons per layer); the variants share the
     * architecture and the weights' view (they differ in what is done with the rows read).
     */
    private Prepared prepare(Batch w, List<AnalysisOptions> variants) throws IOException {
        AnalysisOptions options = variants.get(0);
        Checkpoint checkpoint = locator.open(w.checkpoint());
        try {
            Architecture architecture = checked(checkpoint, options);
            TensorStore tensors = CheckpointAnalysis.tensors(checkpoint, options);
            ReadPlan plan = new ReadPlan();
            for (int v = 0; v < variants.size(); v++) {
                if (v > 0) {
                    architecture.samplePlan(variants.get(v).firstSeed(), variants.get(v).nodesPerLayer());
                }
                CheckpointReads.plan(plan, architecture, tensors, w.seeds(v), variants.get(v).nodesPerLayer());
            }
            if (w.describe()) {
                CheckpointReads.plan(plan, architecture, checkpoint.tensors(), List.of(0L), CheckpointInfo.PROBE_NODES);
            }
            return new Prepared(w, checkpoint, architecture, plan.fetchAsync(fetching));
        } catch (IOException | RuntimeException | Error e) {
            try {
                checkpoint.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public void run(List<Work> work, AnalysisOptions options, Sink sink) throws IOException {
        List<Batch> batches = new java.util.ArrayList<>();
        for (Work w : work) {
            batches.add(new Batch(w.checkpoint(), w.describe(), List.of(w.seeds())));
        }
        runVariants(batches, List.of(options), new VariantSink() {
            @Override
            public void described(org.neuromfa.locate.CheckpointRef checkpoint, CheckpointInfo info) throws IOException {
                sink.described(checkpoint, info);
            }

            @Override
            public void computed(org.neuromfa.locate.CheckpointRef checkpoint, int variant, long seed,
                                 org.neuromfa.analysis.SampleResult sample) throws IOException {
                sink.computed(checkpoint, seed, sample);
            }
        });
    }

    /**
     * Every variant of a checkpoint on the one opened checkpoint and its one fetch: a null model or a
     * sweep costs no byte more than the analysis whose rows cover the others'.
     */
    @Override
    public void runVariants(List<Batch> work, List<AnalysisOptions> variants, VariantSink sink) throws IOException {
        ExecutorService opener = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "neuromfa-open-ahead");
            t.setDaemon(true);
            return t;
        });
        Deque<Future<Prepared>> ahead = new ArrayDeque<>();
        int next = 0;
        try {
            while (next < work.size() && ahead.size() <= LOOKAHEAD) {
                Batch w = work.get(next++);
                ahead.add(opener.submit(() -> prepare(w, variants)));
            }
            while (!ahead.isEmpty()) {
                try (Prepared p = take(ahead.poll())) {
                    if (next < work.size()) {
                        Batch w = work.get(next++);
                        ahead.add(opener.submit(() -> prepare(w, variants)));
                    }
                    ReadPlan.await(p.fetch);
                    Batch w = p.work;
                    if (w.describe()) {
                        sink.described(w.checkpoint(), CheckpointInfo.of(p.checkpoint, p.architecture));
                    }
                    TensorStore tensors = CheckpointAnalysis.tensors(p.checkpoint, variants.get(0));
                    for (int v = 0; v < variants.size(); v++) {
                        int variant = v;
                        AnalysisOptions options = variants.get(v);
                        Parallel.map(w.seeds(v), threads, "neuromfa-trajectory", seed -> {
                            sink.computed(w.checkpoint(), variant, seed,
                                    SampleAnalysis.run(p.architecture, tensors, seed, options));
                            return null;
                        });
                    }
                }
            }
        } finally {
            opener.shutdown();
            for (Future<Prepared> f : ahead) {
                // Opened ahead but never reached (an earlier checkpoint failed): close them, which
                // also drops their transfers not yet started.
                try {
                    f.get().close();
                } catch (Exception ignored) {
                    // its own failure does not matter any more
                }
            }
        }
    }

    private static Prepared take(Future<Prepared> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            throw Parallel.thrownBy(e);
        }
    }

    /**
     * The checkpoint's architecture under {@code options}, with {@code k} checked against its shapes:
     * what this runner gets past before computing anything of a checkpoint. Bad input is a
     * {@link org.neuromfa.NeuroMfaException} naming the file.
     */
    static Architecture checked(Checkpoint checkpoint, AnalysisOptions options) {
        Architecture architecture = CheckpointAnalysis.architecture(checkpoint, options);
        architecture.samplePlan(options.firstSeed(), options.nodesPerLayer());
        return architecture;
    }

    /** Threads for {@link #check}: opening is mostly waiting (for the disk, or the Hub). */
    private static final int CHECK_THREADS = 8;

    /**
     * Opens every checkpoint of {@code work} and checks it as {@link #run} does before computing it
     * (files present, headers and config readable, architecture recognised, {@code k} within its
     * shapes), all before anything is computed, and throws the first problem in the order of
     * {@code work}, as the command line reports it. A runner whose work runs elsewhere (Spark) calls
     * this first, so bad input ends the run at once with the command line's message rather than as
     * failed tasks. Reads only headers and {@code config.json}.
     */
    public static void check(List<Work> work, AnalysisOptions options, CheckpointLocator locator) throws IOException {
        Parallel.map(work, CHECK_THREADS, "neuromfa-check", w -> {
            try (Checkpoint checkpoint = locator.open(w.checkpoint())) {
                checked(checkpoint, options);
            }
            return null;
        });
    }
}

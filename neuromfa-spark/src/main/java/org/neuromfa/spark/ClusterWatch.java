package org.neuromfa.spark;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;

/**
 * What the driver learns about its executors: their cores as they register (to size the tasks, see
 * {@link SeedGroups}) and, for those lost, the reason Spark gives (for the message when a job fails).
 * Registered through {@code spark.extraListeners} for a context this tool starts, so that it hears
 * every executor from the first; added to a context given by the caller.
 */
public final class ClusterWatch extends SparkListener {
    /** How long no new executor must register before the cluster counts as started. */
    static final long SETTLE_MS = 1000;
    /** At most this long, after the first executor, for the others. */
    static final long SETTLE_MAX_MS = 5000;
    /** A line on stderr when no executor has registered after this long (Spark keeps waiting). */
    static final long NOTICE_MS = 30_000;

    private static volatile ClusterWatch latest;

    private final Map<String, Integer> cores = new LinkedHashMap<>();
    private final List<String> lost = new ArrayList<>();
    private boolean anyAdded;
    private long lastAdded;

    /** Made by Spark ({@code spark.extraListeners}) or by {@link SparkSampleRunner} for a given context. */
    public ClusterWatch() {
        latest = this;
    }

    /** The watch Spark made for the context this JVM started last. */
    static ClusterWatch latest() {
        return latest;
    }

    @Override
    public synchronized void onExecutorAdded(SparkListenerExecutorAdded added) {
        cores.put(added.executorId(), added.executorInfo().totalCores());
        anyAdded = true;
        lastAdded = System.nanoTime();
        notifyAll();
    }

    @Override
    public synchronized void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        cores.remove(removed.executorId());
        lost.add("executor " + removed.executorId() + ": " + removed.reason());
        notifyAll();
    }

    synchronized int executors() {
        return cores.size();
    }

    /** Whether an executor ever registered (it may be lost since). */
    synchronized boolean anyRegistered() {
        return anyAdded;
    }

    /**
     * Why executors were removed, as Spark says it, oldest first: also those that never registered
     * (on a standalone cluster, the worker's error launching them).
     */
    synchronized List<String> lost() {
        return List.copyOf(lost);
    }

    /**
     * The task slots to plan for, divided by {@code spark.task.cpus}: in local mode, the master's
     * threads. On a cluster, once the first executor has registered (so that nothing is submitted
     * before the cluster can run it, and the job's time is the tasks' own), {@code
     * spark.default.parallelism} when set, else the cores of the executors registered by the time no
     * new one has come for a second. Throws when Spark stops meanwhile (the master gave up on the
     * application), so that nothing is submitted to a dead context.
     */
    int awaitSlots(SparkContext spark, PrintWriter err) throws SparkFailure {
        int taskCpus = Math.max(1, spark.conf().getInt("spark.task.cpus", 1));
        if (spark.isLocal()) {
            return Math.max(1, spark.defaultParallelism() / taskCpus);
        }
        boolean given = spark.conf().contains("spark.default.parallelism");
        long start = System.nanoTime();
        boolean noticed = false;
        synchronized (this) {
            try {
                while (cores.isEmpty()) {
                    if (spark.isStopped()) {
                        throw SparkFailure.stopped(spark, this, null, 0, 0);
                    }
                    if (!noticed && System.nanoTime() - start > NOTICE_MS * 1_000_000) {
                        noticed = true;
                        String cores = spark.conf().contains("spark.executor.cores")
                                ? "spark.executor.cores=" + spark.conf().get("spark.executor.cores") + " free cores"
                                : "a free core";
                        err.printf(Locale.ROOT, "spark: no executor has started after %d s; Spark keeps waiting for a worker"
                                + " with %s and spark.executor.memory=%s free memory (the master's web UI lists the"
                                + " workers)%n", NOTICE_MS / 1000, cores, spark.conf().get("spark.executor.memory", "1g"));
                        err.flush();
                    }
                    wait(100);
                }
                if (given) {
                    return Math.max(1, spark.defaultParallelism() / taskCpus);
                }
                long first = System.nanoTime();
                while (System.nanoTime() - lastAdded < SETTLE_MS * 1_000_000
                        && System.nanoTime() - first < SETTLE_MAX_MS * 1_000_000) {
                    wait(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SparkFailure("interrupted while waiting for executors", e);
            }
            int total = 0;
            for (int c : cores.values()) {
                total += c;
            }
            return Math.max(1, total / taskCpus);
        }
    }
}

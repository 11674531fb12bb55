package org.neuromfa.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.neuromfa.io.ResultJson;
import org.neuromfa.locate.CheckpointRef;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.study.SampleRunner;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * Computes a trajectory's missing pairs on Spark: one task per checkpoint (its seeds split only when
 * the cluster has more task slots than there are checkpoints, {@link SeedGroups}), each in its own
 * partition so that Spark schedules, retries and reports them one by one. All tasks form one job; the
 * driver stores each task's results the moment the task ends, so a driver or a cluster that dies loses
 * only the tasks in flight. Tasks whose seeds failed on every attempt are reported together at the
 * end ({@link FailedSamplesException}), after all other results are stored; a job that Spark cannot
 * finish is a {@link SparkFailure}.
 */
public final class SparkSampleRunner implements SampleRunner {
    private final JavaSparkContext spark;
    private final Map<String, String> settings;
    private final TaskHook hook;
    private final ClusterWatch watch;
    private final PrintWriter err;

    private int tasks;
    private int finishedTasks;
    private int computedSamples;
    private long jobNanos;

    public SparkSampleRunner(JavaSparkContext spark, Map<String, String> settings) {
        this(spark, settings, TaskHook.NONE, null, new PrintWriter(System.err, true));
    }

    /**
     * @param watch the context's {@link ClusterWatch}, or null to add one (a context given by the caller)
     */
    SparkSampleRunner(JavaSparkContext spark, Map<String, String> settings, TaskHook hook, ClusterWatch watch,
                      PrintWriter err) {
        this.spark = spark;
        this.settings = Map.copyOf(settings);
        this.hook = hook;
        this.err = err;
        SparkLogCapture.get();
        if (watch == null) {
            watch = new ClusterWatch();
            spark.sc().addSparkListener(watch);
        }
        this.watch = watch;
    }

    @Override
    public void run(List<Work> work, AnalysisOptions options, Sink sink) throws IOException {
        SparkContext sc = spark.sc();
        int slots = watch.awaitSlots(sc, err);
        List<CheckpointTask> planned = SeedGroups.plan(work, slots);
        tasks = planned.size();
        if (planned.isEmpty()) {
            return;
        }
        CheckpointTaskFunction function = new CheckpointTaskFunction(OptionsRecipe.of(options), settings,
                SparkRuntime.maxFailures(sc), hook);
        Map<String, CheckpointRef> refs = new HashMap<>();
        for (Work w : work) {
            refs.put(w.checkpoint().identity(), w.checkpoint());
        }
        // Results are handed over by Spark's scheduler thread as each task ends; storing them is this
        // thread's work, so the scheduler never waits for the disk.
        BlockingQueue<TaskOutcome> done = new LinkedBlockingQueue<>();
        List<FailedSamplesException.Failure> failures = new ArrayList<>();
        long start = System.nanoTime();
        SimpleFutureAction<BoxedUnit> job;
        try {
            RDD<CheckpointTask> rdd = spark.parallelize(planned, planned.size()).rdd();
            List<Object> partitions = new ArrayList<>();
            for (int i = 0; i < planned.size(); i++) {
                partitions.add(i);
            }
            Seq<Object> all = CollectionConverters.asScala(partitions).toSeq();
            job = sc.submitJob(rdd, function, all, (index, outcome) -> {
                done.add(outcome);
                return BoxedUnit.UNIT;
            }, () -> BoxedUnit.UNIT);
        } catch (RuntimeException e) {
            // A context that stopped (or cannot run jobs) before anything was submitted.
            throw SparkFailure.stopped(sc, watch, e, 0, planned.size());
        }
        try {
            while (finishedTasks < planned.size()) {
                TaskOutcome outcome = done.poll(200, TimeUnit.MILLISECONDS);
                if (outcome == null) {
                    if (job.isCompleted() && done.isEmpty()) {
                        break;
                    }
                    continue;
                }
                finishedTasks++;
                jobNanos = System.nanoTime() - start;
                deliver(outcome, refs.get(outcome.task.identity), sink, failures);
            }
            Try<BoxedUnit> result = job.value().isDefined() ? job.value().get() : null;
            if (finishedTasks < planned.size() || (result != null && result.isFailure())) {
                Throwable error = result != null && result.isFailure() ? result.failed().get() : null;
                if (error == null && !job.isCompleted()) {
                    job.cancel();
                }
                throw SparkFailure.stopped(sc, watch, error, finishedTasks, planned.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.cancel();
            throw new IOException("interrupted", e);
        } catch (IOException | RuntimeException e) {
            if (!job.isCompleted()) {
                job.cancel();
            }
            throw e;
        }
        if (!failures.isEmpty()) {
            throw new FailedSamplesException(failures, samples(planned));
        }
    }

    private static int samples(List<CheckpointTask> planned) {
        int n = 0;
        for (CheckpointTask t : planned) {
            n += Math.max(1, t.size());
        }
        return n;
    }

    /** Tasks of the last {@link #run}, and how many of them finished. */
    int tasks() {
        return tasks;
    }

    int finishedTasks() {
        return finishedTasks;
    }

    /** Samples computed and handed to the sink by the last {@link #run}. */
    int computedSamples() {
        return computedSamples;
    }

    /** From the job's submission to the last result handed to the sink. */
    double jobSeconds() {
        return jobNanos / 1e9;
    }

    private void deliver(TaskOutcome outcome, CheckpointRef ref, Sink sink, List<FailedSamplesException.Failure> failures)
            throws IOException {
        if (ref == null) {
            throw new IllegalStateException("a result came back for an unknown checkpoint " + outcome.task.model);
        }
        if (outcome.infoJson != null) {
            sink.described(ref, ResultJson.readCheckpointInfo(object(outcome.infoJson)));
        }
        for (int i = 0; i < outcome.seeds.length; i++) {
            sink.computed(ref, outcome.seeds[i], ResultJson.readStoredSample(object(outcome.samples[i])));
            computedSamples++;
        }
        for (TaskOutcome.Failed f : outcome.failures) {
            failures.add(new FailedSamplesException.Failure(outcome.task.model, f.seed, f.error, outcome.attempts));
        }
    }

    private static ObjectNode object(String json) throws IOException {
        JsonNode node = ResultJson.MAPPER.readTree(json);
        if (!(node instanceof ObjectNode)) {
            throw new IllegalStateException("a task sent back " + node.getNodeType() + " instead of a JSON object");
        }
        return (ObjectNode) node;
    }
}

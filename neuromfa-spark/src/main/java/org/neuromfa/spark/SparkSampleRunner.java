package org.neuromfa.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.neuromfa.io.ResultJson;
import org.neuromfa.locate.CheckpointRef;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.study.SampleRunner;

/**
 * Computes a trajectory's missing pairs on Spark: one task per (checkpoint, seed), each in its own
 * partition so that Spark schedules, retries and reports them one by one. Tasks are submitted as
 * consecutive jobs of {@link #batchSize} tasks, all at once (Spark's FIFO scheduler runs them back to
 * back, so no executor idles between jobs); the driver stores each job's results as soon as that job
 * ends, so a driver that dies loses at most the jobs in flight. Tasks that failed on every attempt are
 * reported together at the end, after all other results are stored.
 */
public final class SparkSampleRunner implements SampleRunner {
    private final JavaSparkContext spark;
    private final Map<String, String> settings;
    private final TaskHook hook;

    public SparkSampleRunner(JavaSparkContext spark, Map<String, String> settings) {
        this(spark, settings, TaskHook.NONE);
    }

    SparkSampleRunner(JavaSparkContext spark, Map<String, String> settings, TaskHook hook) {
        this.spark = spark;
        this.settings = Map.copyOf(settings);
        this.hook = hook;
    }

    /** Tasks per job: enough to keep every executor thread busy while the next job queues. */
    int batchSize() {
        return Math.max(16, 4 * spark.defaultParallelism());
    }

    @Override
    public void run(List<Work> work, AnalysisOptions options, Sink sink) throws IOException {
        List<SampleTask> tasks = tasks(work);
        SampleTaskFunction function = new SampleTaskFunction(OptionsRecipe.of(options), settings,
                SparkRuntime.maxFailures(spark.sc()), hook);
        int batch = batchSize();
        List<JavaFutureAction<List<TaskOutcome>>> jobs = new ArrayList<>();
        for (int from = 0; from < tasks.size(); from += batch) {
            List<SampleTask> part = tasks.subList(from, Math.min(tasks.size(), from + batch));
            jobs.add(spark.parallelize(new ArrayList<>(part), part.size()).map(function).collectAsync());
        }
        Map<String, CheckpointRef> refs = new HashMap<>();
        for (Work w : work) {
            refs.put(w.checkpoint().identity(), w.checkpoint());
        }
        List<FailedSamplesException.Failure> failures = new ArrayList<>();
        try {
            for (JavaFutureAction<List<TaskOutcome>> job : jobs) {
                for (TaskOutcome outcome : job.get()) {
                    if (outcome.failed()) {
                        SampleTask t = outcome.task;
                        failures.add(new FailedSamplesException.Failure(t.model,
                                t.seed == SampleTask.DESCRIBE_ONLY ? null : t.seed, outcome.error, outcome.attempts));
                    } else {
                        deliver(outcome, refs.get(outcome.task.identity), sink);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel(jobs);
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            // Not a task's failure (those come back as records) but the job's: executors lost, Spark stopped.
            cancel(jobs);
            throw new IOException("Spark job failed: " + e.getCause().getMessage(), e.getCause());
        } catch (IOException | RuntimeException e) {
            cancel(jobs);
            throw e;
        }
        if (!failures.isEmpty()) {
            throw new FailedSamplesException(failures, tasks.size());
        }
    }

    private static void cancel(List<JavaFutureAction<List<TaskOutcome>>> jobs) {
        for (JavaFutureAction<List<TaskOutcome>> job : jobs) {
            job.cancel(true);
        }
    }

    /** One task per missing seed, the description riding on a checkpoint's first task. */
    static List<SampleTask> tasks(List<Work> work) {
        List<SampleTask> tasks = new ArrayList<>();
        for (Work w : work) {
            CheckpointRef ref = w.checkpoint();
            if (w.seeds().isEmpty()) {
                tasks.add(new SampleTask(ref.model(), ref.source(), ref.identity(), ref.revision(), SampleTask.DESCRIBE_ONLY, true));
            }
            boolean describe = w.describe();
            for (long seed : w.seeds()) {
                tasks.add(new SampleTask(ref.model(), ref.source(), ref.identity(), ref.revision(), seed, describe));
                describe = false;
            }
        }
        return tasks;
    }

    private static void deliver(TaskOutcome outcome, CheckpointRef ref, Sink sink) throws IOException {
        if (ref == null) {
            throw new IllegalStateException("a result came back for an unknown checkpoint " + outcome.task.model);
        }
        if (outcome.infoJson != null) {
            sink.described(ref, ResultJson.readCheckpointInfo(object(outcome.infoJson)));
        }
        if (outcome.sampleJson != null) {
            sink.computed(ref, outcome.task.seed, ResultJson.readStoredSample(object(outcome.sampleJson)));
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

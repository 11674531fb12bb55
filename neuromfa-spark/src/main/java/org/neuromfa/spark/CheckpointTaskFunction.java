package org.neuromfa.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.io.ResultJson;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointInfo;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.locate.CheckpointLocator;
import org.neuromfa.locate.CheckpointRef;
import org.neuromfa.study.SampleRunner;
import org.neuromfa.study.ThreadPoolSampleRunner;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * The body of a task, run on an executor: all the task's seeds of its checkpoint in one call of the
 * command line's own per-checkpoint runner ({@link ThreadPoolSampleRunner}, on the task's
 * {@code spark.task.cpus} threads), so the checkpoint is opened once and its reads cover every seed,
 * and each sample is exactly what the command line computes.
 *
 * <p>Failures: an I/O error or any other unexpected failure is rethrown while attempts remain, so Spark
 * runs the task again (on another executor when it can). On the last attempt, and at once for bad
 * input ({@link NeuroMfaException}: a damaged file, a row that is not finite, which fails the same way
 * every time), the samples already computed go back and each remaining seed is computed on its own:
 * only the seeds that fail are reported, each with its own error, and one bad seed or checkpoint does
 * not fail the whole job.
 */
final class CheckpointTaskFunction extends AbstractFunction1<Iterator<CheckpointTask>, TaskOutcome>
        implements Serializable {
    private static final long serialVersionUID = 1L;

    private final OptionsRecipe options;
    private final Map<String, String> settings;
    private final int maxFailures;
    private final TaskHook hook;

    CheckpointTaskFunction(OptionsRecipe options, Map<String, String> settings, int maxFailures, TaskHook hook) {
        this.options = options;
        this.settings = Map.copyOf(settings);
        this.maxFailures = maxFailures;
        this.hook = hook;
    }

    /** One partition holds one task. */
    @Override
    public TaskOutcome apply(Iterator<CheckpointTask> partition) {
        CheckpointTask task = partition.next();
        try {
            return call(task);
        } catch (Exception e) {
            // Thrown as it is: Spark reports the failed attempt with the exception's own class and message.
            throw SparkFailure.<RuntimeException>rethrow(e);
        }
    }

    TaskOutcome call(CheckpointTask task) throws Exception {
        TaskContext context = TaskContext.get();
        int attempt = context == null ? 0 : context.attemptNumber();
        int threads = context == null ? 1 : Math.max(1, context.cpus());
        AnalysisOptions analysis = options.toOptions();
        Results results = new Results();
        SampleRunner.Sink sink = hook.sink(results, task, attempt);
        try {
            run(task, task.describe, task.seeds(), threads, analysis, sink);
        } catch (Exception e) {
            if (!(e instanceof NeuroMfaException) && attempt + 1 < maxFailures) {
                throw e;
            }
            // Bad input, or the last attempt: each seed still missing is computed on its own, so that
            // only the seeds that fail are reported, each with its own error, and the others go back.
            List<Long> missing = results.missing(task);
            boolean describe = missing.remove(null);
            if (missing.isEmpty() && describe) {
                missing.add(null);
            }
            for (Long seed : missing) {
                try {
                    // A missing description rides on the first seed, as it did in the whole run.
                    run(task, describe, seed == null ? List.of() : List.of(seed), 1, analysis, sink);
                } catch (NeuroMfaException bad) {
                    results.failed(seed, bad.getMessage());
                } catch (Exception other) {
                    if (attempt + 1 < maxFailures) {
                        throw other;
                    }
                    results.failed(seed, other.toString());
                }
                describe = describe && results.missing(task).contains(null);
            }
        }
        return results.outcome(task, attempt + 1);
    }

    private void run(CheckpointTask task, boolean describe, List<Long> seeds, int threads, AnalysisOptions analysis,
                     SampleRunner.Sink sink) throws IOException {
        // The executor's own reference to what the driver resolved: a local path, or a Hub model pinned
        // to its commit (no request). Results go back under the driver's identity, not this one's.
        CheckpointLocator locator = CheckpointLocator.fromEnvironment(ExecutorSettings.environment(settings));
        CheckpointRef ref = locator.reference(task.source, null);
        new ThreadPoolSampleRunner(threads, locator).run(List.of(new SampleRunner.Work(ref, describe, seeds)), analysis,
                sink);
    }

    /** A task's results as they arrive, from the runner's threads. */
    private static final class Results implements SampleRunner.Sink {
        private String info;
        private final Map<Long, String> samples = new HashMap<>();
        private final List<TaskOutcome.Failed> failures = new ArrayList<>();

        @Override
        public synchronized void described(CheckpointRef checkpoint, CheckpointInfo description) throws IOException {
            info = ResultJson.MAPPER.writeValueAsString(ResultJson.checkpointInfo(description));
        }

        @Override
        public synchronized void computed(CheckpointRef checkpoint, long seed, SampleResult sample) throws IOException {
            samples.put(seed, new String(ResultJson.bytes(ResultJson.sample(sample)), StandardCharsets.UTF_8));
        }

        synchronized void failed(Long seed, String error) {
            failures.add(new TaskOutcome.Failed(seed, error));
        }

        /** What the task still owes: null for its description, then its seeds without a sample. */
        synchronized List<Long> missing(CheckpointTask task) {
            List<Long> missing = new ArrayList<>();
            if (task.describe && info == null) {
                missing.add(null);
            }
            for (long seed : task.seeds()) {
                if (!samples.containsKey(seed)) {
                    missing.add(seed);
                }
            }
            return missing;
        }

        synchronized TaskOutcome outcome(CheckpointTask task, int attempts) {
            return new TaskOutcome(task, info, samples, failures, attempts);
        }
    }
}

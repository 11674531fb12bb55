package org.neuromfa.spark;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.arch.Architecture;
import org.neuromfa.cli.Flags;
import org.neuromfa.io.ResultJson;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointInfo;
import org.neuromfa.analysis.SampleAnalysis;
import org.neuromfa.tensor.TensorStore;

/**
 * The body of a task, run on an executor: open the checkpoint (once per executor JVM, see
 * {@link ExecutorCheckpoints}) and run {@link SampleAnalysis#run}, exactly what the command line runs.
 *
 * <p>Failures: an I/O error or any other unexpected failure is rethrown while attempts remain, so
 * Spark runs the task again (on another executor when it can); on the last attempt it becomes a
 * failure record instead, so that one bad pair does not fail the whole job and the others' results
 * reach the driver. Bad input ({@link NeuroMfaException}: a damaged file, a k the shapes do not allow)
 * fails the same way every time and is reported at once.
 */
final class SampleTaskFunction implements Function<SampleTask, TaskOutcome> {
    private static final long serialVersionUID = 1L;

    private final OptionsRecipe options;
    private final Map<String, String> settings;
    private final int maxFailures;
    private final TaskHook hook;

    SampleTaskFunction(OptionsRecipe options, Map<String, String> settings, int maxFailures, TaskHook hook) {
        this.options = options;
        this.settings = settings;
        this.maxFailures = maxFailures;
        this.hook = hook;
    }

    @Override
    public TaskOutcome call(SampleTask task) throws Exception {
        TaskContext context = TaskContext.get();
        int attempt = context == null ? 0 : context.attemptNumber();
        try {
            return compute(task, attempt);
        } catch (NeuroMfaException e) {
            return TaskOutcome.failure(task, Flags.message(e), attempt + 1);
        } catch (Exception e) {
            if (attempt + 1 < maxFailures) {
                throw e;
            }
            return TaskOutcome.failure(task, e.toString(), attempt + 1);
        }
    }

    private TaskOutcome compute(SampleTask task, int attempt) throws Exception {
        AnalysisOptions analysis = options.toOptions();
        try (ExecutorCheckpoints.Lease lease = ExecutorCheckpoints.acquire(task, ExecutorSettings.environment(settings))) {
            // The same wiring and weights as the command line's runner (CheckpointAnalysis).
            Architecture architecture = lease.architecture(analysis);
            String info = task.describe
                    ? ResultJson.MAPPER.writeValueAsString(ResultJson.checkpointInfo(CheckpointInfo.of(lease.checkpoint(), architecture)))
                    : null;
            String sample = null;
            if (task.seed != SampleTask.DESCRIBE_ONLY) {
                TensorStore tensors = hook.tensors(lease.tensors(analysis), task, attempt);
                sample = new String(ResultJson.bytes(ResultJson.sample(
                        SampleAnalysis.run(architecture, tensors, task.seed, analysis))), StandardCharsets.UTF_8);
            }
            return TaskOutcome.success(task, sample, info, attempt + 1);
        }
    }
}

package org.neuromfa.spark;

import java.io.Serializable;
import org.neuromfa.study.SampleRunner;

/**
 * Sees the results of a task as they are computed. Production runs use {@link #NONE}; the tests wrap
 * the sink to make chosen seeds fail on chosen attempts and check how retries deal with that.
 */
interface TaskHook extends Serializable {
    TaskHook NONE = (sink, task, attempt) -> sink;

    SampleRunner.Sink sink(SampleRunner.Sink sink, CheckpointTask task, int attempt);
}

package org.neuromfa.spark;

import java.io.Serializable;
import org.neuromfa.tensor.TensorStore;

/**
 * Sees the tensors a task is about to read. Production runs use {@link #NONE}; the tests wrap the
 * store to inject read failures on chosen attempts and check how Spark's retries deal with them.
 */
interface TaskHook extends Serializable {
    TaskHook NONE = (tensors, task, attempt) -> tensors;

    TensorStore tensors(TensorStore tensors, SampleTask task, int attempt);
}

package org.neuromfa.spark;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.neuromfa.tensor.TensorInfo;
import org.neuromfa.tensor.TensorStore;

/**
 * A {@link TaskHook} that makes the weight reads of one (checkpoint, seed) task fail with an
 * {@link IOException} on its first {@code failingAttempts} attempts, as a dropped connection would.
 * Every attempt of that task is recorded in {@link #ATTEMPTS} (local mode: executors share this JVM).
 */
final class FailingReads implements TaskHook {
    private static final long serialVersionUID = 1L;
    static final ConcurrentLinkedQueue<String> ATTEMPTS = new ConcurrentLinkedQueue<>();

    private final String checkpoint;
    private final long seed;
    private final int failingAttempts;

    FailingReads(String checkpoint, long seed, int failingAttempts) {
        this.checkpoint = checkpoint;
        this.seed = seed;
        this.failingAttempts = failingAttempts;
    }

    @Override
    public TensorStore tensors(TensorStore tensors, SampleTask task, int attempt) {
        if (!task.model().equals(checkpoint) || task.seed() != seed) {
            return tensors;
        }
        boolean fail = attempt < failingAttempts;
        ATTEMPTS.add("attempt " + attempt + (fail ? " failed" : " read"));
        return fail ? new Broken(tensors) : tensors;
    }

    private static final class Broken implements TensorStore {
        private final TensorStore inner;

        Broken(TensorStore inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public List<String> names() {
            return inner.names();
        }

        @Override
        public TensorInfo info(String tensor) {
            return inner.info(tensor);
        }

        @Override
        public float[] readRows(String tensor, int[] rows) throws IOException {
            throw new IOException(inner.name() + ": injected read failure (connection reset)");
        }

        @Override
        public long bytesRead() {
            return inner.bytesRead();
        }

        @Override
        public long bytesTotal() {
            return inner.bytesTotal();
        }

        @Override
        public TensorStore wrapped() {
            return inner;
        }
    }
}

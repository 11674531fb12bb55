package org.neuromfa.spark;

import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.neuromfa.analysis.CheckpointInfo;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.locate.CheckpointRef;
import org.neuromfa.study.SampleRunner;

/**
 * A {@link TaskHook} under which one (checkpoint, seed) fails with an {@link IOException}, as a
 * dropped connection would, on the first {@code failingAttempts} attempts of the task that holds it.
 * Every try of that seed is recorded in {@link #ATTEMPTS} (local mode: executors share this JVM).
 */
final class FailingSeed implements TaskHook {
    private static final long serialVersionUID = 1L;
    static final ConcurrentLinkedQueue<String> ATTEMPTS = new ConcurrentLinkedQueue<>();

    private final String checkpoint;
    private final long seed;
    private final int failingAttempts;

    FailingSeed(String checkpoint, long seed, int failingAttempts) {
        this.checkpoint = checkpoint;
        this.seed = seed;
        this.failingAttempts = failingAttempts;
    }

    @Override
    public SampleRunner.Sink sink(SampleRunner.Sink sink, CheckpointTask task, int attempt) {
        if (!task.model().equals(checkpoint) || !task.seeds().contains(seed)) {
            return sink;
        }
        return new SampleRunner.Sink() {
            @Override
            public void described(CheckpointRef ref, CheckpointInfo info) throws IOException {
                sink.described(ref, info);
            }

            @Override
            public void computed(CheckpointRef ref, long s, SampleResult sample) throws IOException {
                if (s == seed) {
                    boolean fail = attempt < failingAttempts;
                    ATTEMPTS.add("attempt " + attempt + (fail ? " failed" : " computed"));
                    if (fail) {
                        throw new IOException(checkpoint + ": injected failure (connection reset)");
                    }
                }
                sink.computed(ref, s, sample);
            }
        };
    }
}

package org.neuromfa.spark;

import java.io.IOException;
import java.util.List;

/**
 * Some (checkpoint, seed) pairs failed on every attempt of their task. The results of all others are
 * in the result store, so a rerun computes only these.
 */
public final class FailedSamplesException extends IOException {
    private static final long serialVersionUID = 1L;

    /** One failed task: its checkpoint (MODEL as given), seed (or null for a description), and error. */
    public static final class Failure {
        public final String checkpoint;
        public final Long seed;
        public final String error;
        public final int attempts;

        Failure(String checkpoint, Long seed, String error, int attempts) {
            this.checkpoint = checkpoint;
            this.seed = seed;
            this.error = error;
            this.attempts = attempts;
        }

        @Override
        public String toString() {
            return checkpoint + (seed == null ? " (description)" : ": seed " + seed) + ": " + error
                    + " (" + attempts + (attempts == 1 ? " attempt)" : " attempts)");
        }
    }

    private final transient List<Failure> failures;
    private final int tasks;

    FailedSamplesException(List<Failure> failures, int tasks) {
        super(failures.size() + " of " + tasks + " samples failed");
        this.failures = List.copyOf(failures);
        this.tasks = tasks;
    }

    public List<Failure> failures() {
        return failures;
    }

    /** Samples (and descriptions on their own) the run asked for. */
    public int tasks() {
        return tasks;
    }
}

package org.neuromfa.spark;

import java.io.Serializable;

/**
 * What a task sends back to the driver: the sample as {@code ResultJson.sample} writes it and the
 * checkpoint's description when asked (JSON text), or, for a task that failed on its last attempt,
 * the error.
 */
final class TaskOutcome implements Serializable {
    private static final long serialVersionUID = 1L;

    final SampleTask task;
    final String sampleJson;
    final String infoJson;
    final String error;
    final int attempts;

    private TaskOutcome(SampleTask task, String sampleJson, String infoJson, String error, int attempts) {
        this.task = task;
        this.sampleJson = sampleJson;
        this.infoJson = infoJson;
        this.error = error;
        this.attempts = attempts;
    }

    static TaskOutcome success(SampleTask task, String sampleJson, String infoJson, int attempts) {
        return new TaskOutcome(task, sampleJson, infoJson, null, attempts);
    }

    static TaskOutcome failure(SampleTask task, String error, int attempts) {
        return new TaskOutcome(task, null, null, error, attempts);
    }

    boolean failed() {
        return error != null;
    }
}

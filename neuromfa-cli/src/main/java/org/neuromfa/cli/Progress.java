package org.neuromfa.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long work: a bar on an interactive terminal, plain log lines (one per finished unit)
 * when asked for a log, and nothing at all otherwise (pipes and files stay clean).
 */
public final class Progress implements AutoCloseable {
    private final ProgressBar bar;
    private final PrintWriter log;
    private final long total;
    private long done;

    private Progress(ProgressBar bar, PrintWriter log, long total) {
        this.bar = bar;
        this.log = log;
        this.total = total;
    }

    /** A bar when stderr is a terminal, otherwise silent. */
    public static Progress start(String task, long total) {
        return start(task, total, null);
    }

    /**
     * A bar when stderr is a terminal; otherwise log lines to {@code log} if it is not null.
     */
    public static Progress start(String task, long total, PrintWriter log) {
        if (System.console() != null && System.getenv("NEUROMFA_NO_PROGRESS") == null) {
            ProgressBar bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(200)
                    .continuousUpdate()
                    .build();
            return new Progress(bar, null, total);
        }
        return new Progress(null, log, total);
    }

    /** One unit finished. */
    public synchronized void step(String what) {
        done++;
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(what);
        } else if (log != null) {
            log.println("[" + done + "/" + total + "] " + what);
            log.flush();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}

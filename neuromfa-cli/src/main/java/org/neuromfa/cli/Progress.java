package org.neuromfa.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long work: a bar on an interactive terminal, plain log lines when asked for a log
 * (one each time another {@link #LOG_PERCENT}% of the units is done, so a Pythia-sized study of
 * 1,540 samples logs 20 lines, not 1,540), and nothing at all otherwise (pipes and files stay clean).
 */
public final class Progress implements AutoCloseable {
    private final ProgressBar bar;
    private final PrintWriter log;
    private final long total;
    private long done;
    private final AtomicLong planned = new AtomicLong();
    private final AtomicLong transferred = new AtomicLong();
    private volatile long transferStart;
    private volatile String lastStep = "";
    /** A log line each time this share of the work more is done (and for the last unit). */
    static final int LOG_PERCENT = 5;
    private long logged = -1;
    /** Characters the bar's message may take so that the bar itself keeps some room (a terminal's width). */
    private int messageRoom = Integer.MAX_VALUE;

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
            Progress p = new Progress(bar, null, total);
            p.messageRoom = messageRoom(task, new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)
                    .getMaxRenderedLength());
            return p;
        }
        return new Progress(null, log, total);
    }

    /** One unit finished. */
    public synchronized void step(String what) {
        done++;
        lastStep = what;
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(extra());
        } else if (log != null) {
            long bucket = total <= 0 ? done : done * 100 / LOG_PERCENT / total;
            if (bucket != logged || done == total) {
                logged = bucket;
                log.println("[" + done + "/" + total + "] " + what
                        + (total > 0 ? String.format(Locale.ROOT, " (%d%%)", done * 100 / total) : ""));
                log.flush();
            }
        }
    }

    /**
     * What the transfers of planned reads report: on a terminal, bytes fetched of those planned and
     * the rate beside the bar; in a log, one line when they are done ({@link #close}).
     */
    public org.neuromfa.source.FetchListener transfers() {
        return new org.neuromfa.source.FetchListener() {
            @Override
            public void planned(long bytes) {
                if (bytes > 0 && transferStart == 0) {
                    transferStart = System.nanoTime();
                }
                planned.addAndGet(bytes);
                refresh();
            }

            @Override
            public void transferred(long bytes) {
                transferred.addAndGet(bytes);
                refresh();
            }
        };
    }

    private void refresh() {
        if (bar != null) {
            bar.setExtraMessage(extra());
        }
    }

    private String extra() {
        long got = transferred.get();
        if (got == 0) {
            return fit(lastStep, messageRoom);
        }
        return fit((lastStep.isEmpty() ? "" : lastStep + "; ") + "fetched " + AnalyzeCommand.bytes(got) + " of "
                + AnalyzeCommand.bytes(Math.max(got, planned.get())) + " at " + rate(got), messageRoom);
    }

    /**
     * Room for the message in a line of {@code width} characters: what the task name, the
     * percentage, the counts and the times take (about 40 characters) and at least 12 for the bar
     * itself are kept free, so that a narrow terminal (60 columns) shortens the message instead of
     * collapsing the bar to "[ ]" and cutting its label.
     */
    static int messageRoom(String task, int width) {
        if (width <= 0) {
            return Integer.MAX_VALUE;
        }
        return Math.max(0, width - task.length() - 40 - 12);
    }

    /** {@code message} cut to {@code room} characters, an ellipsis marking the cut. */
    static String fit(String message, int room) {
        if (message.length() <= room) {
            return message;
        }
        return room <= 1 ? "" : message.substring(0, room - 1) + "\u2026";
    }

    private String rate(long bytes) {
        double seconds = (System.nanoTime() - transferStart) / 1e9;
        return seconds <= 0 ? "-" : String.format(Locale.ROOT, "%.1f MB/s", bytes / seconds / 1e6);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        } else if (log != null && transferred.get() > 0) {
            log.println("fetched " + AnalyzeCommand.bytes(transferred.get()) + " at " + rate(transferred.get()));
            log.flush();
        }
    }
}

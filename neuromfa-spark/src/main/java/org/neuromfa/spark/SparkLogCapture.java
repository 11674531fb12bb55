package org.neuromfa.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.appender.RandomAccessFileAppender;
import org.apache.logging.log4j.core.appender.RollingFileAppender;
import org.apache.logging.log4j.core.appender.RollingRandomAccessFileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.filter.AbstractFilter;

/**
 * The cause a standalone cluster gives only in the driver's log: why the master removed the
 * application ({@code Application has been killed. Reason: Master removed our application: FAILED},
 * after its executors failed to start again and again, or {@code All masters are unresponsive}).
 * Spark then stops the context, and what it throws at the driver's code says only that the context is
 * stopped. This capture reads the lines of {@code StandaloneSchedulerBackend} whatever the level, and
 * passes on exactly the lines the configured level would have printed, so the log looks as before.
 * It lives in Spark's own logging (log4j 2); where the driver logs elsewhere, it captures nothing.
 * (Why the executors failed reaches the driver as listener events, {@link ClusterWatch}.)
 */
final class SparkLogCapture {
    static final String BACKEND = "org.apache.spark.scheduler.cluster.StandaloneSchedulerBackend";
    private static final String KILLED = "Application has been killed. Reason: ";

    private String killed;
    private boolean installed;

    private static SparkLogCapture current;

    private SparkLogCapture() {
    }

    /**
     * This JVM's capture, started on first use in its log4j configuration (and again whenever that is
     * reconfigured); call it before the SparkContext starts so that nothing the context logs is missed.
     */
    static synchronized SparkLogCapture get() {
        if (current == null) {
            current = new SparkLogCapture();
            try {
                current.installed = Log4j.install(current);
            } catch (LinkageError | RuntimeException e) {
                // Not log4j 2 (or not its core): no capture, and the messages say only what the exception says.
            }
        }
        return current;
    }

    /** Forgets what earlier contexts of this JVM logged (a new context starts). */
    synchronized void reset() {
        killed = null;
    }

    /** Why Spark says the master removed the application, or null. */
    synchronized String killReason() {
        return killed;
    }

    /** Where the driver's log goes: {@code stderr}, or its files; null when unknown. */
    String driverLog() {
        try {
            return installed ? Log4j.where() : null;
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    synchronized void seen(String message) {
        if (message == null) {
            return;
        }
        if (message.startsWith(KILLED)) {
            killed = message.substring(KILLED.length()).trim();
        }
    }

    /** Everything that touches log4j-core, loaded only when it is there. */
    private static final class Log4j {
        static boolean install(SparkLogCapture capture) {
            if (!(LogManager.getContext(false) instanceof LoggerContext)) {
                return false;
            }
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            apply(context, context.getConfiguration(), capture);
            // Spark replaces a default configuration with its own on its first log line: follow it.
            context.addPropertyChangeListener(event -> {
                if (LoggerContext.PROPERTY_CONFIG.equals(event.getPropertyName())
                        && event.getNewValue() instanceof Configuration) {
                    apply(context, (Configuration) event.getNewValue(), capture);
                }
            });
            return true;
        }

        private static void apply(LoggerContext context, Configuration config, SparkLogCapture capture) {
            LoggerConfig existing = config.getLoggerConfig(BACKEND);
            if (existing.getName().equals(BACKEND)) {
                // Configured by the user: capture what that configuration lets through, change nothing.
                if (!(existing.getFilter() instanceof Capture)) {
                    existing.addFilter(started(new Capture(capture, null)));
                }
                return;
            }
            // A logger of its own at ALL, passing on to its parents' appenders only what their level allows.
            LoggerConfig own = new LoggerConfig(BACKEND, Level.ALL, true);
            own.addFilter(started(new Capture(capture, own)));
            config.addLogger(BACKEND, own);
            own.start();
            context.updateLoggers();
        }

        private static Filter started(AbstractFilter filter) {
            filter.start();
            return filter;
        }

        static String where() {
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            List<String> places = new ArrayList<>();
            for (Appender a : context.getConfiguration().getRootLogger().getAppenders().values()) {
                String place;
                if (a instanceof ConsoleAppender) {
                    place = ((ConsoleAppender) a).getTarget() == ConsoleAppender.Target.SYSTEM_OUT ? "stdout" : "stderr";
                } else if (a instanceof FileAppender) {
                    place = ((FileAppender) a).getFileName();
                } else if (a instanceof RollingFileAppender) {
                    place = ((RollingFileAppender) a).getFileName();
                } else if (a instanceof RandomAccessFileAppender) {
                    place = ((RandomAccessFileAppender) a).getFileName();
                } else if (a instanceof RollingRandomAccessFileAppender) {
                    place = ((RollingRandomAccessFileAppender) a).getFileName();
                } else {
                    place = "log4j appender " + a.getName();
                }
                if (!places.contains(place)) {
                    places.add(place);
                }
            }
            return places.isEmpty() ? null : String.join(", ", places);
        }
    }

    /** Reads every event of the backend's logger; lets through what the level in force would have. */
    private static final class Capture extends AbstractFilter {
        private final SparkLogCapture capture;
        /** The logger this filter was added to at level ALL, or null when it keeps its own level. */
        private final LoggerConfig own;

        Capture(SparkLogCapture capture, LoggerConfig own) {
            this.capture = capture;
            this.own = own;
        }

        @Override
        public Result filter(LogEvent event) {
            capture.seen(event.getMessage() == null ? null : event.getMessage().getFormattedMessage());
            if (own == null || own.getParent() == null) {
                return Result.NEUTRAL;
            }
            return event.getLevel().isMoreSpecificThan(own.getParent().getLevel()) ? Result.NEUTRAL : Result.DENY;
        }
    }
}

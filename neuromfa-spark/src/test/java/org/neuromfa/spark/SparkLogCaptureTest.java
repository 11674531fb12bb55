package org.neuromfa.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

/** The master's reason is read from the backend's log lines; what the console shows does not change. */
class SparkLogCaptureTest {

    /** What reaches the root logger's appenders. */
    private static final class Seen extends AbstractAppender {
        final List<String> lines = new CopyOnWriteArrayList<>();

        Seen() {
            super("seen", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
        }
    }

    @Test
    void theReasonTheMasterGaveIsCapturedAndTheLogLevelStillDecidesWhatIsPrinted() {
        SparkLogCapture capture = SparkLogCapture.get();
        capture.reset();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Seen seen = new Seen();
        seen.start();
        // The root's console appender is set aside while the test logs its made-up ERROR, so that a
        // passing build does not print it; "seen" stands in for it.
        org.apache.logging.log4j.core.config.LoggerConfig root = context.getConfiguration().getRootLogger();
        assertThat(capture.driverLog()).isEqualTo("stderr");
        java.util.Map<String, org.apache.logging.log4j.core.Appender> consoles = new java.util.LinkedHashMap<>(root.getAppenders());
        consoles.keySet().forEach(root::removeAppender);
        root.addAppender(seen, Level.ALL, null);
        context.updateLoggers();
        try {
            // The test configuration (src/main/resources/log4j2.properties) logs at WARN.
            assertThat(context.getConfiguration().getRootLogger().getLevel()).isEqualTo(Level.WARN);
            Logger backend = LogManager.getLogger(SparkLogCapture.BACKEND);
            backend.info("Executor app-20260101000000-0000/0 removed: Error running executor: java.lang.IllegalStateException: x");
            backend.error("Application has been killed. Reason: Master removed our application: FAILED");
            assertThat(capture.killReason()).isEqualTo("Master removed our application: FAILED");
            assertThat(seen.lines).containsExactly("ERROR Application has been killed. Reason: Master removed our application: FAILED");
            assertThat(capture.driverLog()).isEqualTo("log4j appender seen");
            capture.reset();
            assertThat(capture.killReason()).isNull();
        } finally {
            root.removeAppender("seen");
            consoles.values().forEach(appender -> root.addAppender(appender, null, null));
            context.updateLoggers();
        }
    }
}

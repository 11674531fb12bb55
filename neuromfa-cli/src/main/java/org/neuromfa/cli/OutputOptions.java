package org.neuromfa.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.neuromfa.base.AtomicFiles;
import org.neuromfa.report.Chart;
import picocli.CommandLine.Option;

/**
 * The output options the commands share, as mixins: where the machine-readable result goes
 * ({@link Json}, {@link Csv}: a file written atomically, or standard output for {@code -}) and where
 * the plots go ({@link Plots}). Each command says what it writes in its own words:
 * {@code Options.properties} holds one description per command and option. When standard output
 * carries a result, the human summary goes to standard error ({@link #summary}).
 */
final class OutputOptions {
    private OutputOptions() {
    }

    /** An output that may be standard output. */
    interface Target {
        /** The FILE given, or null. */
        String target();

        default boolean given() {
            return target() != null;
        }

        /** Whether the output goes to standard output ({@code -}). */
        default boolean toStdout() {
            return "-".equals(target());
        }

        /** Writes {@code content} to the target when one was given. */
        default void write(byte[] content, PrintWriter out) throws IOException {
            if (given()) {
                OutputOptions.write(target(), content, out);
            }
        }
    }

    /** {@code --json FILE}: the result as JSON. */
    static final class Json implements Target {
        @Option(names = "--json", paramLabel = "FILE", descriptionKey = "json")
        String json;

        @Override
        public String target() {
            return json;
        }
    }

    /** {@code --csv FILE}: the result as CSV. */
    static final class Csv implements Target {
        @Option(names = "--csv", paramLabel = "FILE", descriptionKey = "csv")
        String csv;

        @Override
        public String target() {
            return csv;
        }
    }

    /** {@code --plots DIR}: the plots, each as PNG and SVG. */
    static final class Plots {
        @Option(names = "--plots", paramLabel = "DIR", descriptionKey = "plots")
        Path plots;

        boolean given() {
            return plots != null;
        }

        /**
         * Writes every chart to the directory when one was given. A directory that does not exist is
         * made (with its parents), and {@code notices} says so: the option names a directory to
         * write into, so making it is expected, but a mistyped name should not go unseen.
         */
        void save(List<Chart> charts, PrintWriter notices) throws IOException {
            if (plots != null) {
                savePlots(plots, charts, notices);
            }
        }
    }

    /**
     * Writes {@code content} to {@code target} atomically; "-" means standard output. The file's
     * directory must exist: a mistyped one is an error rather than a new directory.
     */
    static void write(String target, byte[] content, PrintWriter out) throws IOException {
        if (target.equals("-")) {
            out.print(new String(content, StandardCharsets.UTF_8));
            out.flush();
        } else {
            AtomicFiles.writeInExistingDirectory(Paths.get(target), content);
        }
    }

    /** Writes {@code charts} to {@code dir}, making it (and saying so on {@code notices}) when missing. */
    static void savePlots(Path dir, List<Chart> charts, PrintWriter notices) throws IOException {
        boolean existed = java.nio.file.Files.isDirectory(dir);
        for (Chart c : charts) {
            c.save(dir);
        }
        if (!existed && java.nio.file.Files.isDirectory(dir)) {
            notices.println("neuromfa: created the directory " + dir + " for the plots");
            notices.flush();
        }
    }

    /** Where the human summary goes: standard error when one of {@code outputs} is standard output. */
    static PrintWriter summary(PrintWriter out, PrintWriter err, Target... outputs) {
        for (Target t : outputs) {
            if (t.toStdout()) {
                return err;
            }
        }
        return out;
    }
}

package org.neuromfa.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Runs the command line in-process and captures what it prints. */
final class Cli {
    final int exitCode;
    final String out;
    final String err;

    private Cli(int exitCode, String out, String err) {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    /** Runs with the given environment variables instead of the process's. */
    static Cli runWithEnv(java.util.Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new Cli(code, out.toString(), err.toString());
    }

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }

    /** The golden fixture {@code name}, in the shared folder found as {@link #shared} says. */
    static Path golden(String name) {
        return shared().resolve("golden").resolve(name);
    }

    /**
     * The shared fixtures folder, by one rule for every module (as org.neuromfa.golden.Golden in core): the system property
     * {@code neuromfa.shared}, which the build sets to {@code <project root>/../shared}; outside
     * Maven (an IDE), the same folder beside the project root, the nearest folder above the
     * working directory that holds {@code neuromfa-core} (never some other {@code shared/golden}
     * further up). A missing folder is an error naming the path looked at and how to set another.
     */
    static Path shared() {
        String configured = System.getProperty("neuromfa.shared");
        Path shared;
        if (configured != null) {
            shared = Paths.get(configured).toAbsolutePath().normalize();
        } else {
            Path root = Paths.get("").toAbsolutePath();
            while (root != null && !Files.isDirectory(root.resolve("neuromfa-core"))) {
                root = root.getParent();
            }
            if (root == null) {
                throw new IllegalStateException("cannot find the project root (a folder holding neuromfa-core) above "
                        + Paths.get("").toAbsolutePath() + "; set -Dneuromfa.shared=DIR to the shared fixtures");
            }
            shared = root.resolveSibling("shared").normalize();
        }
        if (!Files.isDirectory(shared.resolve("golden"))) {
            throw new IllegalStateException("no golden fixtures at " + shared.resolve("golden")
                    + " (the shared folder beside the project checkout); set -Dneuromfa.shared=DIR to another");
        }
        return shared;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}

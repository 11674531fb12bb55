package org.neuromfa.cli;

import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.base.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code neuromfa} command. Exit codes: 0 success, 1 an internal error, 2 bad usage or bad input
 * (a file that cannot be read as a model, an invalid option value). Errors are one line on stderr;
 * {@code --verbose} adds the stack trace.
 */
@Command(name = "neuromfa",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Neuron-based multifractal analysis (NeuroMFA) of large neural networks. Turns a model's weights "
                + "into sampled neuron interaction networks, measures their multifractal spectrum (alpha0: "
                + "irregularity, width: heterogeneity), and follows it over training.",
        footer = {"", "Also: neuromfa spark trajectory ... computes a trajectory on Spark, embedded or on a cluster "
                + "(the neuromfa-spark module, built by ./neuromfa on first use; see the README, Running on Spark).%n"})
public final class Main {
    /**
     * The subcommands, in the order the command list shows them. They are registered in
     * {@link #commandLine}, not in the annotation, so that a run builds the model of only the one it
     * runs: picocli reflects over every option of every registered command, which took about a
     * third of the CPU time of a short analysis before it had read a single byte.
     */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(DemoCommand.class, AnalyzeCommand.class,
            InspectCommand.class, TrajectoryCommand.class, CorrelateCommand.class, ScalingCommand.class,
            CompareCommand.class, ReportCommand.class, CommandLine.HelpCommand.class);

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
    boolean verbose;

    /** The environment (Hub settings are read from it); tests pass their own. */
    Map<String, String> env = System.getenv();

    public static void main(String[] args) {
        Json.initialiseInBackground();
        for (String a : args) {
            if (org.neuromfa.source.hub.HubRepo.looksLikeRepo(a) && !java.nio.file.Files.exists(java.nio.file.Paths.get(a))) {
                org.neuromfa.source.hub.HubClient.initialiseInBackground(System.getenv());
                break;
            }
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * A mistake on the command line ({@code --samples abc}, an unknown option, a missing MODEL): the
     * cause on one line, picocli's suggestions for a misspelt name, and where the options are
     * listed, with exit code 2, rather than the whole usage text after the one line that matters.
     */
    static int usageError(CommandLine.ParameterException e, PrintWriter err) {
        err.println("neuromfa: " + NeuroMfaException.oneLine(e.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for the options.");
        err.flush();
        return 2;
    }

    /** Runs the command line with the given streams and returns the exit code (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, System.getenv());
    }

    /** Runs the command line with the given streams and environment variables. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        Main main = new Main();
        main.env = env;
        CommandLine cl = commandLine(main, args);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, main.verbose || hasVerbose(args), err));
        cl.setParameterExceptionHandler((e, given) -> usageError(e, err));
        return cl.execute(args);
    }

    /**
     * The command line for {@code args}: with only the subcommand they name when they name one
     * (its options are all a run needs), else with every subcommand (for the command list, help,
     * and suggestions for a misspelt name).
     */
    static CommandLine commandLine(Main main, String[] args) {
        CommandLine cl = new CommandLine(main);
        Class<?> named = namedSubcommand(args);
        for (Class<?> c : SUBCOMMANDS) {
            if (named == null || c == named) {
                cl.addSubcommand(c);
            }
        }
        return cl;
    }

    /** The subcommand class named by the first argument that is not one of this command's own options. */
    private static Class<?> namedSubcommand(String[] args) {
        for (String a : args) {
            if (a.equals("--verbose")) {
                continue;
            }
            if (a.startsWith("-")) {
                return null;
            }
            for (Class<?> c : SUBCOMMANDS) {
                Command command = c.getAnnotation(Command.class);
                if (c != CommandLine.HelpCommand.class && (command.name().equals(a) || java.util.Arrays.asList(command.aliases()).contains(a))) {
                    return c;
                }
            }
            return null;
        }
        return null;
    }

    private static boolean hasVerbose(String[] args) {
        for (String a : args) {
            if (a.equals("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** One line for the user; exit 2 for problems with the input, 1 for anything else. */
    public static int report(Exception e, boolean verbose, PrintWriter err) {
        Throwable t = e;
        if (t instanceof UncheckedIOException && t.getCause() != null) {
            t = t.getCause();
        }
        int code;
        String message;
        if (t instanceof NeuroMfaException) {
            code = 2;
            message = Flags.message((NeuroMfaException) t);
        } else if (t instanceof NoSuchFileException) {
            code = 2;
            message = ((NoSuchFileException) t).getFile() + ": no such file";
        } else if (t instanceof EOFException) {
            code = 2;
            message = t.getMessage();
        } else if (t instanceof IOException) {
            code = 2;
            message = t.getMessage() == null ? t.toString() : t.getMessage();
        } else if (t instanceof OutOfMemoryError) {
            code = 1;
            message = "out of memory";
        } else {
            code = 1;
            message = "internal error: " + t;
        }
        err.println("neuromfa: " + NeuroMfaException.oneLine(message));
        if (verbose) {
            t.printStackTrace(err);
        } else if (code == 1) {
            err.println("neuromfa: run with --verbose for details");
        }
        err.flush();
        return code;
    }

    /** The version line, "neuromfa 0.1.0" (or "neuromfa development" outside a packaged jar). */
    static String version() {
        return new Version().getVersion()[0];
    }

    /**
     * The command line as the user typed it, for the report's record of how it was made: the
     * arguments after "neuromfa", each quoted when the shell would need it.
     */
    static String commandLine(picocli.CommandLine.Model.CommandSpec spec) {
        StringBuilder b = new StringBuilder("neuromfa");
        picocli.CommandLine.ParseResult parsed = spec.root().commandLine().getParseResult();
        List<String> args = parsed == null ? List.of() : parsed.originalArgs();
        for (String a : args) {
            b.append(' ').append(a.matches("[A-Za-z0-9_./:=@%+,-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }

    /** The tool's version (the jar's Implementation-Version), for this command and {@code neuromfa spark}. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"neuromfa " + (v == null ? "development" : v)};
        }
    }
}

package org.neuromfa.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.neuromfa.NeuroMfaException;

/**
 * A checkpoint of a trajectory as the user named it: the MODEL text (a local path, or a Hub
 * {@code org/name@revision} opened by {@link org.neuromfa.model.ModelLocation}), the revision label
 * shown in results (a local checkpoint's directory name, or the Hub revision), the training step when
 * the label names one ({@code step1000}), and an identity under which its results are stored.
 */
public final class CheckpointRef {
    private static final Pattern STEP = Pattern.compile("(?i)(?:^|.*[^a-z0-9])step[-_]?(\\d{1,18})$");

    private final String model;
    private final String revision;
    private final Long step;
    private final String identity;

    private CheckpointRef(String model, String revision, Long step, String identity) {
        this.model = model;
        this.revision = revision;
        this.step = step;
        this.identity = identity;
    }

    /**
     * Describes {@code model}. A local checkpoint's identity is its real path with the names, sizes
     * and modification times of its files, so a checkpoint rewritten in place is never mistaken for
     * its old results; a Hub checkpoint's identity is {@code org/name@revision} as typed.
     */
    public static CheckpointRef of(String model) throws IOException {
        Path path = Paths.get(model);
        if (Files.exists(path)) {
            Path real = path.toRealPath();
            // The label is the directory as named (a symlink's own name), the identity what it points to.
            Path named = path.toAbsolutePath().normalize();
            Path dir = Files.isDirectory(real) ? named : named.getParent();
            String label = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
            return new CheckpointRef(model, label, stepOf(label), "local:" + real + "\n" + listing(real));
        }
        if (looksLocal(model)) {
            // Found before any work starts, rather than after the checkpoints before it were analysed.
            throw new NeuroMfaException(model, "no such file or directory");
        }
        int at = model.lastIndexOf('@');
        String revision = at >= 0 ? model.substring(at + 1) : model;
        return new CheckpointRef(model, revision, stepOf(revision), "hub:" + model);
    }

    /** Paths that can never be Hub names (those are {@code org/name[@revision]}). */
    private static boolean looksLocal(String model) {
        return model.startsWith("/") || model.startsWith(".") || model.startsWith("~") || model.contains("\\")
                || model.chars().filter(c -> c == '/').count() > 1;
    }

    private static String listing(Path real) throws IOException {
        List<String> lines = new ArrayList<>();
        if (Files.isDirectory(real)) {
            try (Stream<Path> s = Files.list(real)) {
                for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                    if (Files.isRegularFile(p)) {
                        lines.add(describe(p));
                    }
                }
            }
        } else {
            lines.add(describe(real));
        }
        return String.join("\n", lines);
    }

    private static String describe(Path p) throws IOException {
        return p.getFileName() + " " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis();
    }

    /** The training step a label names ({@code step1000}, {@code pythia-160m-step1000}), or null. */
    public static Long stepOf(String label) {
        Matcher m = STEP.matcher(label);
        return m.matches() ? Long.valueOf(m.group(1)) : null;
    }

    /** What the user typed, passed unchanged to {@code ModelLocation.open}. */
    public String model() {
        return model;
    }

    public String revision() {
        return revision;
    }

    /** The training step, or null when the label names none. */
    public Long step() {
        return step;
    }

    public String identity() {
        return identity;
    }
}

package org.neuromfa.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.source.hub.HubCheckpointFiles;
import org.neuromfa.source.hub.HubRepo;
import org.neuromfa.source.hub.HubSettings;

/**
 * A checkpoint of a trajectory as the user named it: the MODEL text (a local path, or a Hub
 * {@code org/name@revision} opened by {@link org.neuromfa.model.ModelLocation}), the revision label
 * shown in results (a local checkpoint's directory name, or the Hub revision), the training step when
 * the label names one ({@code step1000}), and an identity under which its results are stored.
 *
 * <p>A Hub revision that is a branch or a tag moves: {@code main} today is not {@code main} next week.
 * {@link #of(String, Supplier)} therefore resolves it to the commit it names now, keys the results by
 * that commit, and has the weights read from that commit ({@link #source()}), so that what is stored
 * under a key is always computed from the content the key names.
 */
public final class CheckpointRef {
    private static final Pattern STEP = Pattern.compile("(?i)(?:^|.*[^a-z0-9])step[-_]?(\\d{1,18})$");

    private final String model;
    private final String revision;
    private final Long step;
    private final String identity;
    private final String source;
    private final String commit;

    private CheckpointRef(String model, String revision, Long step, String identity, String source, String commit) {
        this.model = model;
        this.revision = revision;
        this.step = step;
        this.identity = identity;
        this.source = source;
        this.commit = commit;
    }

    /**
     * Describes {@code model} as {@link #of(String)} does, and resolves a Hub revision to its commit:
     * the identity of a Hub checkpoint becomes {@code hub:org/name@<commit>} and its {@link #source()}
     * {@code org/name@<commit>}. Resolution is one request for the revision's commit and file list
     * ({@link HubCheckpointFiles#open}, which caches both); offline, or when the Hub cannot be reached,
     * the revision resolves to the commit it resolved to last time in the Hub cache, and is an error
     * when it never was. A revision that is a full commit id resolves to itself without a request.
     *
     * @param hub how to reach the Hub, or null for the process environment
     */
    public static CheckpointRef of(String model, Supplier<HubSettings> hub) throws IOException {
        CheckpointRef ref = of(model);
        if (ref.isLocal()) {
            return ref;
        }
        if (!HubRepo.looksLikeRepo(model)) {
            // What opening it would say, said before any work starts.
            throw new NeuroMfaException(model, "no such file or directory");
        }
        HubRepo repo = HubRepo.parse(model, null);
        String commit;
        if (repo.revisionIsCommit()) {
            commit = repo.revision();
        } else {
            HubSettings settings = hub != null ? hub.get() : HubSettings.fromEnvironment(System.getenv());
            commit = HubCheckpointFiles.open(repo, settings).commit();
        }
        String pinned = repo.id() + "@" + commit;
        return new CheckpointRef(ref.model, ref.revision, ref.step, "hub:" + pinned, pinned, commit);
    }

    /**
     * Describes {@code model}. A local checkpoint's identity is its real path with the names, sizes
     * and modification times of its files, so a checkpoint rewritten in place is never mistaken for
     * its old results; a Hub checkpoint's identity is {@code org/name@revision} as typed, without
     * resolving the revision (see {@link #of(String, Supplier)}, which trajectories use).
     */
    public static CheckpointRef of(String model) throws IOException {
        Path path = Paths.get(model);
        if (Files.exists(path)) {
            Path real = path.toRealPath();
            // The label is the directory as named (a symlink's own name), the identity what it points to.
            Path named = path.toAbsolutePath().normalize();
            Path dir = Files.isDirectory(real) ? named : named.getParent();
            String label = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
            return new CheckpointRef(model, label, stepOf(label), "local:" + real + "\n" + listing(real), model, null);
        }
        if (looksLocal(model)) {
            // Found before any work starts, rather than after the checkpoints before it were analysed.
            throw new NeuroMfaException(model, "no such file or directory");
        }
        int at = model.lastIndexOf('@');
        String revision = at >= 0 ? model.substring(at + 1) : model;
        return new CheckpointRef(model, revision, stepOf(revision), "hub:" + model, model, null);
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

    /**
     * What to open for the weights: a Hub checkpoint resolved to a commit is opened at that commit
     * (so a branch that moves during the run cannot mix two commits under one key); otherwise
     * {@link #model()}.
     */
    public String source() {
        return source;
    }

    /** The commit a Hub revision was resolved to, or null (local, or not resolved). */
    public String commit() {
        return commit;
    }

    private boolean isLocal() {
        return identity.startsWith("local:");
    }
}

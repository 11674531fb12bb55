package org.neuromfa.locate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.source.hub.HubCheckpointFiles;
import org.neuromfa.source.hub.HubRepo;
import org.neuromfa.source.hub.HubRevisions;
import org.neuromfa.source.hub.HubSettings;

/**
 * Finds checkpoints: turns what a user typed as MODEL into a {@link CheckpointRef}, and a reference
 * into an opened {@link Checkpoint}. Every command that names checkpoints (analyze, inspect,
 * trajectory, demo, the Spark runner on the driver and on its executors) goes through one locator,
 * built once with the way to reach the Hub, so that the rules are decided in one place:
 *
 * <ol>
 *   <li>an existing path is a local checkpoint: a checkpoint directory, or a weights file with its
 *       {@code config.json} beside it (a revision cannot be asked for);</li>
 *   <li>otherwise MODEL of the shape {@code org/name} or {@code org/name@revision} is a model
 *       repository on the Hugging Face Hub;</li>
 *   <li>anything else does not exist, which is said before any work starts.</li>
 * </ol>
 */
public final class CheckpointLocator {
    private final Map<String, String> environment;
    private final java.util.function.UnaryOperator<HubSettings> adjustments;
    private HubSettings settings;

    private CheckpointLocator(Map<String, String> environment, java.util.function.UnaryOperator<HubSettings> adjustments,
                              HubSettings settings) {
        this.environment = environment;
        this.adjustments = adjustments;
        this.settings = settings;
    }

    /** A locator that reaches the Hub with {@code settings}. */
    public static CheckpointLocator of(HubSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("no Hub settings");
        }
        return new CheckpointLocator(null, s -> s, settings);
    }

    /**
     * A locator that reaches the Hub as the environment variables say ({@code HF_ENDPOINT},
     * {@code HF_TOKEN}, ..., see {@link HubSettings#fromEnvironment}): {@code System.getenv()}, a
     * test's map, or the Spark executors' settings. They are read when a Hub model is first named, so
     * an unusual Hub setting never stands in the way of a local analysis.
     */
    public static CheckpointLocator fromEnvironment(Map<String, String> environment) {
        return fromEnvironment(environment, s -> s);
    }

    /**
     * As {@link #fromEnvironment(Map)}, the settings then adjusted by {@code adjustments} (the command
     * line's {@code --connections}, where notices are printed) when they are first needed.
     */
    public static CheckpointLocator fromEnvironment(Map<String, String> environment,
                                                    java.util.function.UnaryOperator<HubSettings> adjustments) {
        return new CheckpointLocator(Collections.unmodifiableMap(new HashMap<>(environment)), adjustments, null);
    }

    /** The Hub settings this locator uses. */
    public synchronized HubSettings hubSettings() {
        if (settings == null) {
            settings = adjustments.apply(HubSettings.fromEnvironment(environment));
        }
        return settings;
    }

    /**
     * What {@code model} names, without any network request. {@code revision} is a revision asked for
     * separately from {@code org/name@revision} (it must agree), or null.
     */
    public CheckpointRef reference(String model, String revision) throws IOException {
        Path path = local(model, revision);
        if (path != null) {
            Path real = path.toRealPath();
            // The label is the checkpoint as named (a symlink's own name, Checkpoint.label), the
            // identity what it points to.
            return CheckpointRef.local(model, Checkpoint.label(path), "local:" + real + "\n" + listing(real));
        }
        HubRepo repo = hub(model, revision);
        // The label is the revision as typed after '@' (what a trajectory names its checkpoints by).
        int at = model.lastIndexOf('@');
        String label = at >= 0 ? model.substring(at + 1) : revision != null ? revision : model;
        return CheckpointRef.hub(model, label, revision == null ? model : repo.toString());
    }

    /**
     * {@link #reference} with a Hub revision resolved to its commit: the identity of a Hub checkpoint
     * becomes {@code hub:org/name@<commit>} and its {@link CheckpointRef#source()}
     * {@code org/name@<commit>}. Resolution is one request for the revision's commit and file list
     * ({@link HubCheckpointFiles#open}, which caches both); offline, or when the Hub cannot be reached,
     * the revision resolves to the commit it resolved to last time in the Hub cache, and is an error
     * when it never was. A revision that is a full commit id resolves to itself without a request.
     */
    public CheckpointRef resolve(String model) throws IOException {
        CheckpointRef ref = reference(model, null);
        if (ref.isLocal()) {
            return ref;
        }
        HubRepo repo = HubRepo.parse(model, null);
        String commit = repo.revisionIsCommit() ? repo.revision() : openHub(model, repo).commit();
        return ref.pinned(repo.id(), commit);
    }

    /**
     * Resolves the branches and tags named among {@code models} with one request per Hub repository
     * ({@link HubRevisions}: Pythia's 154 step branches, one request), so that {@link #resolve} then
     * finds them resolved; repositories named with a single revision are left to {@link #resolve},
     * whose one request also gives the file list. Local paths and commit ids need nothing.
     */
    public void resolveRevisions(List<String> models) throws IOException {
        Map<String, java.util.Set<String>> byRepo = new java.util.LinkedHashMap<>();
        for (String m : models) {
            if (local(m, null) != null || !HubRepo.looksLikeRepo(m)) {
                continue;
            }
            HubRepo repo = HubRepo.parse(m, null);
            if (!repo.revisionIsCommit()) {
                byRepo.computeIfAbsent(repo.id(), r -> new java.util.LinkedHashSet<>()).add(repo.revision());
            }
        }
        for (Map.Entry<String, java.util.Set<String>> e : byRepo.entrySet()) {
            if (e.getValue().size() > 1) {
                HubRevisions.resolve(e.getKey(), e.getValue(), hubSettings());
            }
        }
    }

    /** Opens what {@code model} names; {@code revision} as for {@link #reference}. */
    public Checkpoint open(String model, String revision) throws IOException {
        // The rules of reference, without the identity (a listing of the checkpoint's files) it needs.
        Path path = local(model, revision);
        if (path != null) {
            return Checkpoint.open(path);
        }
        return Checkpoint.open(openHub(model, hub(model, revision)), null);
    }

    /**
     * The Hub repository {@code repo}, which the user typed as {@code model}. Text without an
     * {@code @revision} (such as {@code ckpts/step1000}) may just as well be a mistyped local path as
     * a model id, so when the Hub cannot give it, the message says both readings, the local one
     * first, rather than leave the user with a Hub error about a path they meant to be local.
     */
    private HubCheckpointFiles openHub(String model, HubRepo repo) throws IOException {
        try {
            return HubCheckpointFiles.open(repo, hubSettings());
        } catch (NeuroMfaException e) {
            if (model.contains("@")) {
                throw e;
            }
            String hub = e.getMessage();
            String label = repo + ": ";
            if (hub.startsWith(label)) {
                hub = hub.substring(label.length());
            }
            throw new NeuroMfaException(model, Message.of(model + ": no such local path, and as a Hub model ("
                    + repo + "): " + hub), e);
        }
    }

    /** Opens the checkpoint {@code ref} names: a pinned Hub checkpoint at its commit. */
    public Checkpoint open(CheckpointRef ref) throws IOException {
        if (ref.isLocal()) {
            return Checkpoint.open(Paths.get(ref.source()));
        }
        return Checkpoint.open(HubCheckpointFiles.open(HubRepo.parse(ref.source(), null), hubSettings()), null);
    }

    /**
     * The first rule: the path {@code model} names when it exists (where no revision can be asked
     * for), else null (also for text no path can be).
     */
    private static Path local(String model, String revision) {
        Path path;
        try {
            path = Paths.get(model);
        } catch (InvalidPathException e) {
            return null;
        }
        if (!Files.exists(path)) {
            return null;
        }
        if (revision != null) {
            throw new NeuroMfaException(model, Message.setting("revision") + " applies to Hub models, not to a local path");
        }
        return path;
    }

    /** The second and third rules: a Hub repository and the revision asked for, or no such file. */
    private static HubRepo hub(String model, String revision) {
        if (!HubRepo.looksLikeRepo(model)) {
            throw new NeuroMfaException(model, "no such file or directory");
        }
        return HubRepo.parse(model, revision);
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
}

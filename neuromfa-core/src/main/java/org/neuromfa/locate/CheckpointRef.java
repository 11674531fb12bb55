package org.neuromfa.locate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A checkpoint as the user named it, made by a {@link CheckpointLocator}: the MODEL text (a local
 * path, or a Hub {@code org/name@revision}), the revision label shown in results (a local
 * checkpoint's directory name, or the Hub revision), the training step when the label names one
 * ({@code step1000}), an identity under which its results are stored, and what to open for its
 * weights ({@link #source()}).
 *
 * <p>A Hub revision that is a branch or a tag moves: {@code main} today is not {@code main} next week.
 * {@link CheckpointLocator#resolve} therefore resolves it to the commit it names now, keys the results
 * by that commit, and has the weights read from that commit, so that what is stored under a key is
 * always computed from the content the key names.
 */
public final class CheckpointRef {
    private static final Pattern STEP = Pattern.compile("(?i)(?:^|.*[^a-z0-9])step[-_]?(\\d{1,18})$");

    private final String model;
    private final String revision;
    private final Long step;
    private final String identity;
    private final String source;
    private final String commit;
    private final boolean local;

    private CheckpointRef(String model, String revision, Long step, String identity, String source, String commit,
                          boolean local) {
        this.model = model;
        this.revision = revision;
        this.step = step;
        this.identity = identity;
        this.source = source;
        this.commit = commit;
        this.local = local;
    }

    /** A local checkpoint: {@code label} is its directory as named, {@code identity} what it really is. */
    static CheckpointRef local(String model, String label, String identity) {
        return new CheckpointRef(model, label, stepOf(label), identity, model, null, true);
    }

    /** A Hub checkpoint named {@code source} ({@code org/name@revision}), its revision not resolved. */
    static CheckpointRef hub(String model, String revision, String source) {
        return new CheckpointRef(model, revision, stepOf(revision), "hub:" + source, source, null, false);
    }

    /** This Hub checkpoint pinned to {@code commit}: identity and source name the commit, label and step stay. */
    CheckpointRef pinned(String repository, String commit) {
        String pinned = repository + "@" + commit;
        return new CheckpointRef(model, revision, step, "hub:" + pinned, pinned, commit, false);
    }

    /** The training step a label names ({@code step1000}, {@code pythia-160m-step1000}), or null. */
    public static Long stepOf(String label) {
        Matcher m = STEP.matcher(label);
        return m.matches() ? Long.valueOf(m.group(1)) : null;
    }

    /** What the user typed. */
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

    /**
     * What the checkpoint's results are stored under. A local checkpoint's identity is its real path
     * with the names, sizes and modification times of its files, so a checkpoint rewritten in place is
     * never mistaken for its old results; a Hub checkpoint's is {@code hub:org/name@<commit>} once
     * resolved, else {@code hub:} and the name as typed.
     */
    public String identity() {
        return identity;
    }

    /**
     * What to open for the weights: a Hub checkpoint resolved to a commit is opened at that commit
     * (so a branch that moves during the run cannot mix two commits under one key); otherwise
     * {@link #model()}, with the revision asked for.
     */
    public String source() {
        return source;
    }

    /** The commit a Hub revision was resolved to, or null (local, or not resolved). */
    public String commit() {
        return commit;
    }

    /** Whether this is a checkpoint on local disk (not on the Hub). */
    public boolean isLocal() {
        return local;
    }
}

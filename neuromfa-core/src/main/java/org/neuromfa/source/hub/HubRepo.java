package org.neuromfa.source.hub;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;

/**
 * A model repository on the Hub and the revision asked for: {@code org/name} or
 * {@code org/name@revision} as typed for MODEL, with {@code --revision} as the alternative way to
 * name the revision (default {@code main}). Names follow the Hub's rules for repository ids
 * (letters, digits, {@code - _ .}; no {@code --} or {@code ..}).
 */
public final class HubRepo {
    private static final Pattern ID = Pattern.compile(
            "([A-Za-z0-9][A-Za-z0-9._-]{0,95})/([A-Za-z0-9][A-Za-z0-9._-]{0,95})(?:@([^@\\s]+))?");
    public static final String DEFAULT_REVISION = "main";

    private final String org;
    private final String name;
    private final String revision;

    private HubRepo(String org, String name, String revision) {
        this.org = org;
        this.name = name;
        this.revision = revision;
    }

    /** Whether {@code model} has the shape of a Hub repository id (with an optional {@code @revision}). */
    public static boolean looksLikeRepo(String model) {
        Matcher m = ID.matcher(model);
        return m.matches() && validName(m.group(1)) && validName(m.group(2));
    }

    /**
     * Parses {@code model}; {@code revisionOption} is the value of {@code --revision} or null. Naming
     * two different revisions is an error.
     */
    public static HubRepo parse(String model, String revisionOption) {
        Matcher m = ID.matcher(model);
        if (!m.matches() || !validName(m.group(1)) || !validName(m.group(2))) {
            throw new NeuroMfaException(model, "not a Hub model id (expected org/name or org/name@revision)");
        }
        String revision = m.group(3);
        if (revision != null && revisionOption != null && !revision.equals(revisionOption)) {
            throw new NeuroMfaException(model, "names revision '" + revision + "' but " + Message.setting("revision") + " says '"
                    + revisionOption + "'");
        }
        if (revision == null) {
            revision = revisionOption != null ? revisionOption : DEFAULT_REVISION;
        }
        if (revision.isEmpty() || revision.contains("..") || revision.startsWith("/")) {
            throw new NeuroMfaException(model, "invalid revision '" + revision + "'");
        }
        return new HubRepo(m.group(1), m.group(2), revision);
    }

    private static boolean validName(String s) {
        return !s.contains("--") && !s.contains("..") && !s.endsWith(".") && !s.endsWith("-");
    }

    /** {@code org/name}. */
    public String id() {
        return org + "/" + name;
    }

    public String org() {
        return org;
    }

    public String name() {
        return name;
    }

    /** The revision as asked for: a branch, a tag or a commit. */
    public String revision() {
        return revision;
    }

    /** Whether the revision is already a full commit id (and so names immutable content). */
    public boolean revisionIsCommit() {
        return revision.matches("[0-9a-f]{40}");
    }

    /** {@code org/name@revision}: the label of results. */
    @Override
    public String toString() {
        return id() + "@" + revision;
    }
}

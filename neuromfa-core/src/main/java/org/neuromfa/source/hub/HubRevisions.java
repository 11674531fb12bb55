package org.neuromfa.source.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.neuromfa.NeuroMfaException;

/**
 * Resolves many revisions of one repository with one request: {@code GET
 * {endpoint}/api/models/{org}/{name}/refs} lists every branch and tag with its commit
 * ({@code branches[]} and {@code tags[]}: {@code name}, {@code targetCommit}). A trajectory over
 * Pythia's 154 step branches thus costs one API call to resolve, not 154 (the Hub allows 500 API
 * calls per 5 minutes without an account).
 *
 * <p>What it resolved is remembered in the process for {@link #FRESH_MILLIS}, so that opening each
 * revision afterwards ({@link HubCheckpointFiles#open}) needs no request of its own for the commit,
 * and written to NeuroMFA's cache as each revision's ref (for offline runs).
 */
public final class HubRevisions {
    static final long FRESH_MILLIS = 10 * 60 * 1000;

    private static final Map<String, Resolved> RECENT = new ConcurrentHashMap<>();

    private static final class Resolved {
        final String commit;
        final long at;

        Resolved(String commit, long at) {
            this.commit = commit;
            this.at = at;
        }
    }

    private HubRevisions() {
    }

    /**
     * The commits of {@code revisions} of {@code repoId} ({@code org/name}) that the repository's refs
     * name; revisions that are not a branch or tag (a commit id, {@code refs/pr/1}) are left out, to
     * be resolved one by one. Offline, nothing is asked and nothing resolved here.
     */
    public static Map<String, String> resolve(String repoId, Collection<String> revisions, HubSettings settings)
            throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        if (settings.offline() || revisions.isEmpty()) {
            return out;
        }
        HubRepo repo = HubRepo.parse(repoId, null);
        URI api = URI.create(settings.endpoint() + "/api/models/" + repo.org() + "/" + repo.name() + "/refs");
        byte[] body;
        try {
            body = new HubClient(settings).getWhole(api, repo.id(), HubCheckpointFiles.MAX_WHOLE_FILE).body;
        } catch (NeuroMfaException e) {
            if (e.getCause() instanceof IOException) {
                return out; // unreachable: each revision falls back to its cached ref when opened
            }
            throw e;
        }
        JsonNode root;
        try {
            root = org.neuromfa.base.Json.MAPPER.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new NeuroMfaException(api.toString(), "not valid JSON: " + e.getOriginalMessage());
        }
        Map<String, String> refs = new LinkedHashMap<>();
        for (String kind : new String[] {"branches", "tags"}) {
            JsonNode list = root == null ? null : root.get(kind);
            if (list == null || !list.isArray()) {
                continue;
            }
            for (JsonNode r : list) {
                String name = r.path("name").asText(null);
                String commit = r.path("targetCommit").asText(null);
                if (name != null && commit != null && commit.matches("[0-9a-f]{40}")) {
                    refs.putIfAbsent(name, commit);
                }
            }
        }
        HubCache cache = new HubCache(settings.cacheDirectory(), repo);
        long now = System.currentTimeMillis();
        for (String rev : revisions) {
            String commit = refs.get(rev);
            if (commit != null) {
                out.put(rev, commit);
                RECENT.put(key(settings, repo.id(), rev), new Resolved(commit, now));
                HubCache.writeAtomically(cache.refFile(rev), commit.getBytes(StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The commit {@code repo}'s revision was resolved to by {@link #resolve} in the last minutes, or null. */
    static String recent(HubRepo repo, HubSettings settings) {
        Resolved r = RECENT.get(key(settings, repo.id(), repo.revision()));
        return r != null && System.currentTimeMillis() - r.at < FRESH_MILLIS ? r.commit : null;
    }

    private static String key(HubSettings settings, String repo, String revision) {
        return settings.endpoint() + " " + repo + "@" + revision;
    }
}

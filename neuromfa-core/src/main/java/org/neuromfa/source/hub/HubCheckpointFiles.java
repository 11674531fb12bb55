package org.neuromfa.source.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.base.Json;
import org.neuromfa.model.CheckpointFileInfo;
import org.neuromfa.model.CheckpointFiles;
import org.neuromfa.source.ByteSource;

/**
 * A revision of a model repository on the Hugging Face Hub, read without downloading it.
 *
 * <p>The revision (branch, tag or commit) is resolved once to a commit id and the repository's file
 * list with {@code GET {endpoint}/api/models/{org}/{name}/revision/{revision}} (fields {@code sha}
 * and {@code siblings[].rfilename}); each file opened gets its size and ETag from
 * {@code HEAD {endpoint}/{org}/{name}/resolve/{commit}/{file}} ({@code X-Linked-Size} /
 * {@code X-Linked-Etag} on the redirect of an LFS file, else {@code Content-Length} / {@code ETag}).
 * Content is then read by ranges through {@link HubFileSource}. Everything learnt is cached by
 * commit, so a run with a commit id, or any run with {@code HF_HUB_OFFLINE=1}, needs no network
 * for what an earlier run read; when the Hub cannot be reached, a branch or tag resolves to the
 * commit it resolved to last time.
 *
 * <p>{@link #bytesRead()} counts the file content received over HTTP (config, index, headers,
 * rows); the small metadata answers above are not counted.
 */
public final class HubCheckpointFiles implements CheckpointFiles {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final int MAX_WHOLE_FILE = 256 << 20;

    private final HubRepo repo;
    private final HubSettings settings;
    private final HubHttp http;
    private final HubCache cache;
    private final String commit;
    private final Set<String> files;
    private final AtomicLong transferred = new AtomicLong();
    private final Map<String, CheckpointFileInfo> metadata = new LinkedHashMap<>();
    private final Map<String, CheckpointFileInfo> filesRead = new LinkedHashMap<>();

    private HubCheckpointFiles(HubRepo repo, HubSettings settings, HubHttp http, HubCache cache, String commit,
                               Set<String> files) {
        this.repo = repo;
        this.settings = settings;
        this.http = http;
        this.cache = cache;
        this.commit = commit;
        this.files = files;
        // Leftovers of runs killed mid-write; the directories of the files' blocks are cleaned as
        // each file is opened (HubCache.extents).
        cache.removeStaleTemporaries(commit);
    }

    /** Resolves {@code repo}'s revision to a commit and its file list (from the cache when possible). */
    public static HubCheckpointFiles open(HubRepo repo, HubSettings settings) throws IOException {
        HubHttp http = new HubHttp(settings);
        HubCache cache = new HubCache(settings.cacheDirectory(), repo);
        String label = repo.toString();
        String commit = repo.revisionIsCommit() ? repo.revision() : null;
        Set<String> files = commit == null ? null : cachedFileList(cache, commit);
        if (files == null && settings.offline()) {
            byte[] ref = HubCache.readIfPresent(cache.refFile(repo.revision()));
            commit = ref == null ? commit : new String(ref, StandardCharsets.UTF_8).trim();
            files = commit == null ? null : cachedFileList(cache, commit);
            if (files == null) {
                throw new NeuroMfaException(label, "not in the cache (" + cache.repoDirectory()
                        + "), and HF_HUB_OFFLINE is set; run once online first");
            }
        }
        if (files == null) {
            URI api = URI.create(settings.endpoint() + "/api/models/" + repo.org() + "/" + repo.name()
                    + "/revision/" + segment(repo.revision()));
            byte[] body;
            try {
                body = http.get(api, label, n -> { });
            } catch (NeuroMfaException e) {
                if (e.getMessage().contains("HTTP 404")) {
                    throw new NeuroMfaException(label, "not a local path, and " + settings.endpoint()
                            + " has no such model repository or revision (HTTP 404)");
                }
                // The Hub is unreachable (not a definite answer such as 401): like huggingface_hub,
                // use the commit this revision last resolved to, when it is cached.
                byte[] ref = e.getCause() instanceof IOException
                        ? HubCache.readIfPresent(cache.refFile(repo.revision())) : null;
                String cachedCommit = ref == null ? null : new String(ref, StandardCharsets.UTF_8).trim();
                Set<String> cachedFiles = cachedCommit == null ? null : cachedFileList(cache, cachedCommit);
                if (cachedFiles == null) {
                    throw e;
                }
                return new HubCheckpointFiles(repo, settings, http, cache, cachedCommit,
                        Collections.unmodifiableSet(cachedFiles));
            }
            JsonNode root;
            try {
                root = JSON.readTree(new String(body, StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new NeuroMfaException(api.toString(), "not valid JSON: " + e.getOriginalMessage());
            }
            JsonNode sha = root == null ? null : root.get("sha");
            JsonNode siblings = root == null ? null : root.get("siblings");
            if (sha == null || !sha.isTextual() || !sha.asText().matches("[0-9a-f]{40}")
                    || siblings == null || !siblings.isArray()) {
                throw new NeuroMfaException(api.toString(), "answer lacks a commit 'sha' or a 'siblings' list");
            }
            commit = sha.asText();
            files = new LinkedHashSet<>();
            for (JsonNode s : siblings) {
                JsonNode f = s.get("rfilename");
                if (f != null && f.isTextual()) {
                    files.add(f.asText());
                }
            }
            ObjectNode list = JSON.createObjectNode();
            list.put("sha", commit);
            ArrayNode names = list.putArray("files");
            files.forEach(names::add);
            HubCache.writeAtomically(cache.fileListFile(commit), JSON.writeValueAsBytes(list));
            HubCache.writeAtomically(cache.refFile(repo.revision()), commit.getBytes(StandardCharsets.UTF_8));
        }
        return new HubCheckpointFiles(repo, settings, http, cache, commit, Collections.unmodifiableSet(files));
    }

    private static Set<String> cachedFileList(HubCache cache, String commit) throws IOException {
        byte[] bytes = HubCache.readIfPresent(cache.fileListFile(commit));
        if (bytes == null) {
            return null;
        }
        JsonNode names = JSON.readTree(bytes).get("files");
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode n : names) {
            out.add(n.asText());
        }
        return out;
    }

    /** URL encoding of one path segment (spaces as %20, slashes encoded). */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** URL path of a file inside the repository: each segment encoded, slashes kept. */
    private static String filePath(String file) {
        StringBuilder b = new StringBuilder();
        for (String part : file.split("/", -1)) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(segment(part));
        }
        return b.toString();
    }

    private URI resolveUri(String revision, String file) {
        return URI.create(settings.endpoint() + "/" + repo.org() + "/" + repo.name() + "/resolve/"
                + segment(revision) + "/" + filePath(file));
    }

    @Override
    public String label() {
        return repo.toString();
    }

    /** The file's Hub URL with the revision as the user named it. */
    @Override
    public String location(String file) {
        return settings.endpoint() + "/" + repo.id() + "/resolve/" + repo.revision() + "/" + file;
    }

    @Override
    public List<String> list() {
        List<String> top = new ArrayList<>();
        for (String f : files) {
            if (!f.contains("/")) {
                top.add(f);
            }
        }
        top.sort(null);
        return top;
    }

    @Override
    public boolean exists(String file) {
        return files.contains(file);
    }

    @Override
    public ByteSource open(String file) throws IOException {
        if (!files.contains(file)) {
            throw new NeuroMfaException(location(file), "no such file in " + label() + " (commit " + commit + ")");
        }
        CheckpointFileInfo info = metadata(file);
        synchronized (filesRead) {
            filesRead.putIfAbsent(file, info);
        }
        return new HubFileSource(location(file), resolveUri(commit, file), info.size(),
                cache.fileDirectory(commit, file), http, settings.offline(), transferred::addAndGet);
    }

    /** Size, ETag and LFS sha256 of {@code file}: from the cache, else from a HEAD request. */
    private CheckpointFileInfo metadata(String file) throws IOException {
        synchronized (metadata) {
            CheckpointFileInfo known = metadata.get(file);
            if (known != null) {
                return known;
            }
        }
        java.nio.file.Path metaFile = cache.fileDirectory(commit, file).resolve("meta.json");
        byte[] cached = HubCache.readIfPresent(metaFile);
        CheckpointFileInfo info;
        if (cached != null) {
            JsonNode m = JSON.readTree(cached);
            info = new CheckpointFileInfo(file, m.get("size").asLong(), text(m, "etag"), text(m, "sha256"));
        } else if (settings.offline()) {
            throw new NeuroMfaException(location(file), "not in the cache, and HF_HUB_OFFLINE forbids downloading it");
        } else {
            HubHttp.Head head = http.head(resolveUri(commit, file), location(file));
            String linkedSize = head.header("X-Linked-Size");
            String length = linkedSize != null ? linkedSize : head.header("Content-Length");
            long size;
            try {
                size = Long.parseLong(length == null ? "" : length.trim());
            } catch (NumberFormatException e) {
                throw new NeuroMfaException(location(file), "the Hub did not report the file's size"
                        + " (no X-Linked-Size or Content-Length)");
            }
            String linkedEtag = unquote(head.header("X-Linked-Etag"));
            String etag = linkedEtag != null ? linkedEtag : unquote(head.header("ETag"));
            // For LFS files the linked ETag is the sha256 of the content (Git LFS object id).
            String sha256 = linkedEtag != null && linkedEtag.matches("[0-9a-f]{64}") ? linkedEtag : null;
            info = new CheckpointFileInfo(file, size, etag, sha256);
            ObjectNode m = JSON.createObjectNode();
            m.put("size", size);
            m.put("etag", etag);
            m.put("sha256", sha256);
            HubCache.writeAtomically(metaFile, JSON.writeValueAsBytes(m));
        }
        synchronized (metadata) {
            metadata.putIfAbsent(file, info);
            return metadata.get(file);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static String unquote(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e.isEmpty() ? null : e;
    }

    @Override
    public byte[] readAll(String file) throws IOException {
        try (ByteSource source = open(file)) {
            if (source.size() > MAX_WHOLE_FILE) {
                throw new NeuroMfaException(location(file), "is " + source.size() + " bytes, too large to read whole");
            }
            return source.read(0, (int) source.size());
        }
    }

    @Override
    public long bytesRead() {
        return transferred.get();
    }

    @Override
    public List<CheckpointFileInfo> filesRead() {
        synchronized (filesRead) {
            return List.copyOf(filesRead.values());
        }
    }

    @Override
    public String commit() {
        return commit;
    }
}

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.base.Json;
import org.neuromfa.model.CheckpointFileInfo;
import org.neuromfa.model.CheckpointFiles;
import org.neuromfa.model.LocalCheckpointFiles;
import org.neuromfa.source.ByteSource;
import org.neuromfa.source.LocalFileSource;

/**
 * A revision of a model repository on the Hugging Face Hub, read without downloading it.
 *
 * <p>Where a revision's files come from, in this order:
 * <ol>
 * <li>the standard {@code huggingface_hub} cache ({@link StandardHubCache}): a revision it has a
 *     usable snapshot of is read from there, with no request at all;</li>
 * <li>NeuroMFA's cache ({@link HubCache}): a commit's file list, once fetched, is kept for good
 *     (a commit is immutable), and offline a branch or tag is the commit it resolved to last;</li>
 * <li>the Hub: {@code GET {endpoint}/api/models/{org}/{name}/revision/{revision}?blobs=true} gives
 *     the commit ({@code sha}) and every file with its size and content id ({@code siblings[]}:
 *     {@code rfilename}, {@code size}, {@code blobId}, {@code lfs.sha256}), one request for the
 *     whole checkpoint. A file the answer does not describe is asked for with a HEAD of
 *     {@code {endpoint}/{org}/{name}/resolve/{commit}/{file}} ({@code X-Linked-Size},
 *     {@code X-Linked-Etag}; else {@code Content-Length}, {@code ETag}).</li>
 * </ol>
 * File bytes are then read by ranges through {@link HubFileSource}, cached by content: two
 * revisions that serve the same file (same sha256) share its cached bytes, so it is fetched once.
 * A file present in the standard cache's {@code blobs/} under its sha256 is read from there.
 *
 * <p>{@link #bytesRead()} counts the file content received over HTTP (config, index, headers,
 * rows); the small metadata answers above are not counted.
 */
public final class HubCheckpointFiles implements CheckpointFiles {
    private static final ObjectMapper JSON = Json.MAPPER;
    /** Answers and files read whole: the same limit as for local files. */
    static final long MAX_WHOLE_FILE = LocalCheckpointFiles.MAX_SMALL_FILE_BYTES;

    private final HubRepo repo;
    private final HubSettings settings;
    private final HubClient client;
    private final HubCache cache;
    private final StandardHubCache standard;
    private final String commit;
    /** File name to what the listing says of it (size and content ids may be unknown: -1 / null). */
    private final Map<String, Entry> files;
    /** The standard cache's snapshot of this commit, or null. */
    private final Path snapshot;
    private final AtomicLong transferred = new AtomicLong();
    private final Map<String, CheckpointFileInfo> metadata = new LinkedHashMap<>();
    private final Map<String, RemoteFile> remotes = new LinkedHashMap<>();
    private final Map<String, CheckpointFileInfo> filesRead = new LinkedHashMap<>();

    /** One file of a commit's listing. */
    static final class Entry {
        final String name;
        final long size;
        final String sha256;
        final String blobId;

        Entry(String name, long size, String sha256, String blobId) {
            this.name = name;
            this.size = size;
            this.sha256 = sha256;
            this.blobId = blobId;
        }
    }

    private HubCheckpointFiles(HubRepo repo, HubSettings settings, HubClient client, HubCache cache, String commit,
                               Map<String, Entry> files, Path snapshot) {
        this.repo = repo;
        this.settings = settings;
        this.client = client;
        this.cache = cache;
        this.standard = new StandardHubCache(settings.hubCache(), repo);
        this.commit = commit;
        this.files = files;
        this.snapshot = snapshot;
        cache.removeStaleTemporaries(commit);
    }

    /** Resolves {@code repo}'s revision to a commit and its file list (from a cache when possible). */
    public static HubCheckpointFiles open(HubRepo repo, HubSettings settings) throws IOException {
        HubClient client = new HubClient(settings);
        HubCache cache = new HubCache(settings.cacheDirectory(), repo);
        StandardHubCache standard = new StandardHubCache(settings.hubCache(), repo);
        String label = repo.toString();

        // 1. A usable snapshot of huggingface_hub's: no request.
        String standardCommit = standard.commitOf(repo.revision());
        Path snapshot = standardCommit == null ? null : standard.snapshot(standardCommit);
        if (snapshot != null) {
            List<String> names = StandardHubCache.files(snapshot);
            if (StandardHubCache.usable(snapshot, names)) {
                Map<String, Entry> listing = new LinkedHashMap<>();
                for (String n : names) {
                    listing.put(n, new Entry(n, -1, null, null));
                }
                return new HubCheckpointFiles(repo, settings, client, cache, standardCommit,
                        Collections.unmodifiableMap(listing), snapshot);
            }
        }

        // 2. NeuroMFA's cache: a commit's listing, or offline the commit a revision last resolved to.
        String commit = repo.revisionIsCommit() ? repo.revision() : HubRevisions.recent(repo, settings);
        Map<String, Entry> listing = commit == null ? null : cachedListing(cache, commit);
        if (listing == null && settings.offline()) {
            commit = cachedRef(cache, repo.revision(), commit);
            listing = commit == null ? null : cachedListing(cache, commit);
            if (listing == null) {
                throw new NeuroMfaException(label, "not in the cache (" + cache.repoDirectory()
                        + "), and HF_HUB_OFFLINE is set; run once online first");
            }
        }

        // 3. The Hub.
        if (listing == null) {
            String asked = commit != null ? commit : repo.revision();
            URI api = URI.create(settings.endpoint() + "/api/models/" + repo.org() + "/" + repo.name()
                    + "/revision/" + segment(asked) + "?blobs=true");
            byte[] body;
            try {
                body = client.getWhole(api, label, MAX_WHOLE_FILE).body;
            } catch (NeuroMfaException e) {
                if (e.getMessage().endsWith("not found (HTTP 404)")) {
                    throw new NeuroMfaException(label, "no such model repository or revision on "
                            + settings.endpoint() + " (HTTP 404)");
                }
                // The Hub is unreachable (not a definite answer such as 401): like huggingface_hub,
                // use the commit this revision last resolved to, when it is cached.
                String cachedCommit = e.getCause() instanceof IOException
                        ? cachedRef(cache, repo.revision(), null) : null;
                Map<String, Entry> cachedFiles = cachedCommit == null ? null : cachedListing(cache, cachedCommit);
                if (cachedFiles == null) {
                    throw e;
                }
                return new HubCheckpointFiles(repo, settings, client, cache, cachedCommit, cachedFiles, null);
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
            Map<String, Entry> parsed = new LinkedHashMap<>();
            for (JsonNode s : siblings) {
                JsonNode f = s.get("rfilename");
                if (f == null || !f.isTextual()) {
                    continue;
                }
                JsonNode lfs = s.get("lfs");
                String sha256 = lfs != null && lfs.path("sha256").isTextual() && lfs.path("sha256").asText().matches("[0-9a-f]{64}")
                        ? lfs.path("sha256").asText() : null;
                long size = s.path("size").canConvertToLong() && s.path("size").isIntegralNumber()
                        && s.path("size").asLong() >= 0 ? s.path("size").asLong() : -1;
                String blobId = s.path("blobId").isTextual() && s.path("blobId").asText().matches("[0-9a-f]{40}")
                        ? s.path("blobId").asText() : null;
                parsed.put(f.asText(), new Entry(f.asText(), size, sha256, blobId));
            }
            listing = Collections.unmodifiableMap(parsed);
            HubCache.writeAtomically(cache.fileListFile(commit), listingJson(commit, listing));
            HubCache.writeAtomically(cache.refFile(repo.revision()), commit.getBytes(StandardCharsets.UTF_8));
        }
        Path standardSnapshot = standard.snapshot(commit);
        return new HubCheckpointFiles(repo, settings, client, cache, commit, listing, standardSnapshot);
    }

    private static String cachedRef(HubCache cache, String revision, String fallback) throws IOException {
        byte[] ref = HubCache.readIfPresent(cache.refFile(revision));
        String c = ref == null ? null : new String(ref, StandardCharsets.UTF_8).trim();
        return c != null && c.matches("[0-9a-f]{40}") ? c : fallback;
    }

    private static byte[] listingJson(String commit, Map<String, Entry> listing) throws IOException {
        ObjectNode list = JSON.createObjectNode();
        list.put("sha", commit);
        ArrayNode names = list.putArray("files");
        ObjectNode entries = list.putObject("entries");
        for (Entry e : listing.values()) {
            names.add(e.name);
            ObjectNode o = entries.putObject(e.name);
            o.put("size", e.size);
            o.put("sha256", e.sha256);
            o.put("blob", e.blobId);
        }
        return JSON.writeValueAsBytes(list);
    }

    /** A commit's cached listing (older caches have names only: sizes and ids are then asked for per file). */
    static Map<String, Entry> cachedListing(HubCache cache, String commit) throws IOException {
        byte[] bytes = HubCache.readIfPresent(cache.fileListFile(commit));
        if (bytes == null) {
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            return null; // damaged: asked for again
        }
        JsonNode names = root == null ? null : root.get("files");
        if (names == null || !names.isArray()) {
            return null;
        }
        JsonNode entries = root.path("entries");
        Map<String, Entry> out = new LinkedHashMap<>();
        for (JsonNode n : names) {
            JsonNode e = entries.path(n.asText());
            String sha256 = e.path("sha256").isTextual() ? e.path("sha256").asText() : null;
            String blob = e.path("blob").isTextual() ? e.path("blob").asText() : null;
            out.put(n.asText(), new Entry(n.asText(), e.path("size").asLong(-1), sha256, blob));
        }
        return Collections.unmodifiableMap(out);
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

    /** The file's Hub URL with the revision as the user named it (its path, for a file of the standard cache). */
    @Override
    public String location(String file) {
        Path local = localFile(file);
        if (local != null) {
            return local.toString();
        }
        return settings.endpoint() + "/" + repo.id() + "/resolve/" + repo.revision() + "/" + file;
    }

    @Override
    public List<String> list() {
        List<String> top = new ArrayList<>();
        for (String f : files.keySet()) {
            if (!f.contains("/")) {
                top.add(f);
            }
        }
        top.sort(null);
        return top;
    }

    @Override
    public boolean exists(String file) {
        return files.containsKey(file);
    }

    /** Whether this revision is read from the standard huggingface_hub cache, with no request. */
    public boolean fromStandardCache() {
        return snapshot != null && files.values().stream().allMatch(e -> e.size < 0 && e.sha256 == null);
    }

    /** The file in huggingface_hub's cache (the snapshot's link, or the blob by sha256), or null. */
    private Path localFile(String file) {
        if (snapshot != null) {
            Path p = snapshot.resolve(file).normalize();
            if (p.startsWith(snapshot) && Files.isRegularFile(p)) {
                return p;
            }
        }
        Entry e = files.get(file);
        return e == null ? null : standard.blob(e.sha256 != null ? e.sha256 : e.blobId);
    }

    @Override
    public ByteSource open(String file) throws IOException {
        if (!files.containsKey(file)) {
            throw new NeuroMfaException(location(file), "no such file in " + label() + " (commit " + commit + ")");
        }
        Path local = localFile(file);
        if (local != null) {
            if (!Files.isRegularFile(local)) {
                throw new NeuroMfaException(local.toString(), "not a regular file");
            }
            LocalFileSource source = new LocalFileSource(local);
            record(new CheckpointFileInfo(file, source.size(), null, files.get(file).sha256));
            return source;
        }
        CheckpointFileInfo info = metadata(file);
        record(info);
        String contentId = info.sha256() != null ? "sha256-" + info.sha256()
                : files.get(file).blobId != null ? "git-" + files.get(file).blobId
                : info.etag() != null ? "etag-" + info.etag()
                : "commit-" + commit + "-" + file;
        // One per file, so that every source of it reuses the signed URL the first answer came from.
        RemoteFile remote;
        synchronized (remotes) {
            remote = remotes.computeIfAbsent(file, f -> new RemoteFile(location(f), resolveUri(commit, f), info.size(),
                    info.sha256()));
        }
        Blob blob = Blob.acquire(cache.blobDirectory(contentId), info.size());
        return new HubFileSource(remote, blob, client, settings.offline(), transferred::addAndGet);
    }

    /** Starts fetching the files' headers at once (small files whole); each source closes when done. */
    @Override
    public void warm(List<String> names) {
        if (settings.offline()) {
            return;
        }
        for (String n : names) {
            if (!files.containsKey(n) || localFile(n) != null) {
                continue;
            }
            try {
                ByteSource s = open(n);
                boolean zip = n.endsWith(".bin") || n.endsWith(".pt") || n.endsWith(".pth");
                ((HubFileSource) s).warm(n.endsWith(".json"), zip).whenComplete((v, t) -> {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // only a head start
                    }
                });
            } catch (IOException | RuntimeException e) {
                // opening it for real reports the problem
            }
        }
    }

    private void record(CheckpointFileInfo info) {
        synchronized (filesRead) {
            filesRead.putIfAbsent(info.name(), info);
        }
    }

    /** Size, ETag and LFS sha256 of {@code file}: from the listing, the cache, else a HEAD request. */
    private CheckpointFileInfo metadata(String file) throws IOException {
        synchronized (metadata) {
            CheckpointFileInfo known = metadata.get(file);
            if (known != null) {
                return known;
            }
        }
        Entry listed = files.get(file);
        CheckpointFileInfo info;
        Path metaFile = cache.metaFile(commit, file);
        byte[] cached = listed.size >= 0 ? null : HubCache.readIfPresent(metaFile);
        if (listed.size >= 0) {
            info = new CheckpointFileInfo(file, listed.size, listed.sha256 != null ? listed.sha256 : listed.blobId,
                    listed.sha256);
        } else if (cached != null) {
            JsonNode m = JSON.readTree(cached);
            info = new CheckpointFileInfo(file, m.get("size").asLong(), text(m, "etag"), text(m, "sha256"));
        } else if (settings.offline()) {
            throw new NeuroMfaException(location(file), "not in the cache, and HF_HUB_OFFLINE forbids downloading it");
        } else {
            info = head(file);
            ObjectNode m = JSON.createObjectNode();
            m.put("size", info.size());
            m.put("etag", info.etag());
            m.put("sha256", info.sha256());
            HubCache.writeAtomically(metaFile, JSON.writeValueAsBytes(m));
        }
        synchronized (metadata) {
            metadata.putIfAbsent(file, info);
            return metadata.get(file);
        }
    }

    /**
     * Size and ids from a HEAD of the file's resolve URL. The size is the Hub's {@code X-Linked-Size}
     * (on the redirect of an LFS file); a redirect to another host without it is followed (HEAD of
     * the target), because the redirect's own {@code Content-Length} is that of its empty body.
     */
    private CheckpointFileInfo head(String file) throws IOException {
        HubClient.Answer head = client.head(resolveUri(commit, file), location(file));
        String linkedSize = head.header("X-Linked-Size");
        String length = linkedSize;
        if (length == null && head.status / 100 == 3) {
            length = client.head(resolveUri(commit, file), location(file), true).header("Content-Length");
        } else if (length == null) {
            length = head.header("Content-Length");
        }
        long size;
        try {
            size = Long.parseLong(length == null ? "" : length.trim());
            if (size < 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new NeuroMfaException(location(file), "the Hub did not report the file's size"
                    + " (no X-Linked-Size or Content-Length)");
        }
        String linkedEtag = unquote(head.header("X-Linked-Etag"));
        String etag = linkedEtag != null ? linkedEtag : unquote(head.header("ETag"));
        // For LFS files the linked ETag is the sha256 of the content (Git LFS object id).
        String sha256 = linkedEtag != null && linkedEtag.matches("[0-9a-f]{64}") ? linkedEtag : null;
        return new CheckpointFileInfo(file, size, etag, sha256);
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
                throw new NeuroMfaException(location(file), "file of " + source.size() + " bytes is larger than the limit of "
                        + MAX_WHOLE_FILE + " for a JSON file read whole");
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

    /** The LFS sha256 of a file as the listing gives it, or null (not listed with one). */
    public String sha256(String file) {
        Entry e = files.get(file);
        return e == null ? null : e.sha256;
    }
}

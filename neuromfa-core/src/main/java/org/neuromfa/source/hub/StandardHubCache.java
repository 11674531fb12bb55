package org.neuromfa.source.hub;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The standard cache of {@code huggingface_hub}, read only: what its downloads left, so that a
 * model already on this machine is analysed without a request. Its layout (as documented for
 * {@code huggingface_hub}'s cache system):
 *
 * <pre>
 * {hub cache}/models--{org}--{name}/
 *   refs/{revision}                    the commit a branch or tag resolved to when downloaded
 *   snapshots/{commit}/{file}          the files of that commit (symbolic links into blobs/)
 *   blobs/{etag}                       file contents, by sha256 for LFS files, git blob id otherwise
 * </pre>
 *
 * A blob is renamed into place when its download is complete ({@code .incomplete} before), so a
 * present file is whole.
 */
final class StandardHubCache {
    private final Path repoDir;

    StandardHubCache(Path hubCache, HubRepo repo) {
        this.repoDir = hubCache.resolve("models--" + repo.org() + "--" + repo.name());
    }

    /** The commit {@code revision} names here: itself for a commit id, else the cached ref; null when unknown. */
    String commitOf(String revision) {
        if (revision.matches("[0-9a-f]{40}")) {
            return revision;
        }
        Path ref = repoDir.resolve("refs").resolve(revision).normalize();
        if (!ref.startsWith(repoDir.resolve("refs")) || !Files.isRegularFile(ref)) {
            return null;
        }
        try {
            String commit = new String(Files.readAllBytes(ref), StandardCharsets.UTF_8).trim();
            return commit.matches("[0-9a-f]{40}") ? commit : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The snapshot folder of {@code commit}, or null. */
    Path snapshot(String commit) {
        Path s = repoDir.resolve("snapshots").resolve(commit);
        return Files.isDirectory(s) ? s : null;
    }

    /** A cached blob by its ETag (sha256 or git blob id), or null. */
    Path blob(String etag) {
        if (etag == null || !etag.matches("[0-9a-f]{40}|[0-9a-f]{64}")) {
            return null;
        }
        Path b = repoDir.resolve("blobs").resolve(etag);
        return Files.isRegularFile(b) ? b : null;
    }

    /** Files of a snapshot (relative names with '/'), following its links; dangling links are left out. */
    static List<String> files(Path snapshot) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(snapshot)) {
            s.filter(Files::isRegularFile).forEach(p -> out.add(snapshot.relativize(p).toString().replace('\\', '/')));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.sort(null);
        return out;
    }

    /**
     * Whether a snapshot holds weights an analysis can use whole: a weights file, and for a sharded
     * index every shard it names. A partial download (only {@code config.json}, some shards) is not
     * used on its own.
     */
    static boolean usable(Path snapshot, List<String> files) {
        boolean weights = false;
        for (String f : files) {
            if (f.contains("/")) {
                continue;
            }
            if (f.endsWith(".index.json")) {
                if (!shardsPresent(snapshot.resolve(f), files)) {
                    return false;
                }
                weights = true;
            } else if (f.endsWith(".safetensors") || f.endsWith(".bin") || f.endsWith(".pt") || f.endsWith(".pth")
                    || f.endsWith(".onnx")) {
                weights = true;
            }
        }
        return weights;
    }

    private static boolean shardsPresent(Path index, List<String> files) {
        try {
            if (Files.size(index) > HubCheckpointFiles.MAX_WHOLE_FILE) {
                return false;
            }
            JsonNode map = org.neuromfa.base.Json.MAPPER.readTree(Files.readAllBytes(index)).get("weight_map");
            if (map == null || !map.isObject()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = map.properties().iterator(); it.hasNext(); ) {
                if (!files.contains(it.next().getValue().asText())) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}

package org.neuromfa.source.hub;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.neuromfa.base.AtomicFiles;

/**
 * NeuroMFA's on-disk cache of Hub content, inside {@code <hub cache>/neuromfa/}:
 *
 * <pre>
 * models--{org}--{name}/
 *   refs/{revision}                      commit id the revision resolved to (for offline runs)
 *   commits/{commit}/files.json          the commit's file list, with each file's size and content id
 *   commits/{commit}/files/{file}/meta.json   size and ETag of a file the list did not describe
 * blobs/{content id}/                    the bytes of one file's content ({@link Blob})
 * </pre>
 *
 * Content ids name immutable content: {@code sha256-<hex>} (Git LFS files: the weights),
 * {@code git-<hex>} (the git blob id of a small file), {@code etag-<ETag>} when only an ETag is
 * known, else {@code commit-<commit>-<file>}. Revisions of the same weights share one blob, so
 * they are fetched once. Small entries are written to a temporary file and renamed into place
 * ({@link AtomicFiles}). File and revision names are URL-encoded into one path segment each.
 *
 * <p>Earlier versions kept one block file per range under {@code commits/{commit}/files/{file}/};
 * those blocks are no longer read (delete them to reclaim the space).
 */
final class HubCache {
    private final Path root;
    private final Path repoDir;

    HubCache(Path cacheDirectory, HubRepo repo) {
        this.root = cacheDirectory;
        this.repoDir = cacheDirectory.resolve("models--" + repo.org() + "--" + repo.name());
    }

    Path repoDirectory() {
        return repoDir;
    }

    static String segment(String name) {
        String s = URLEncoder.encode(name, StandardCharsets.UTF_8);
        // "." and ".." would be path navigation; encode them (URLEncoder leaves dots alone).
        return s.equals(".") ? "%2E" : s.equals("..") ? "%2E%2E" : s;
    }

    Path refFile(String revision) {
        return repoDir.resolve("refs").resolve(segment(revision));
    }

    Path commitDirectory(String commit) {
        return repoDir.resolve("commits").resolve(segment(commit));
    }

    Path fileListFile(String commit) {
        return commitDirectory(commit).resolve("files.json");
    }

    Path metaFile(String commit, String file) {
        return commitDirectory(commit).resolve("files").resolve(segment(file)).resolve("meta.json");
    }

    /** The folder of one content's bytes. */
    Path blobDirectory(String contentId) {
        return root.resolve("blobs").resolve(segment(contentId));
    }

    /** The content of a cache entry, or null when it is not cached. */
    static byte[] readIfPresent(Path p) throws IOException {
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    static void writeAtomically(Path p, byte[] content) throws IOException {
        AtomicFiles.write(p, content);
    }

    /**
     * Deletes the stale temporary files of the small entries of a commit (the revision's ref and
     * the file list).
     */
    void removeStaleTemporaries(String commit) {
        AtomicFiles.removeStaleTemporaries(repoDir.resolve("refs"));
        AtomicFiles.removeStaleTemporaries(commitDirectory(commit));
    }
}

package org.neuromfa.model;

import java.io.IOException;
import java.util.List;
import org.neuromfa.source.ByteSource;

/**
 * Where a checkpoint's files live: a local directory, or a revision of a repository on the Hugging
 * Face Hub. Readers ask for files by their name within the checkpoint (for example
 * {@code config.json} or {@code model-00001-of-00002.safetensors}).
 */
public interface CheckpointFiles {

    /** A short label for results: the directory name, or {@code org/name@revision}. */
    String label();

    /** Full location of a file, for messages. */
    String location(String file);

    /** File names present (top level). */
    List<String> list() throws IOException;

    boolean exists(String file) throws IOException;

    /** Random access to a file. */
    ByteSource open(String file) throws IOException;

    /** A small file (JSON) read whole. */
    byte[] readAll(String file) throws IOException;

    /**
     * Bytes read through this object so far (every {@link #open opened} source and every
     * {@link #readAll}): for local files the bytes read from disk, for the Hub the bytes received
     * over HTTP (zero when everything came from the cache). -1 when not tracked.
     */
    default long bytesRead() {
        return -1;
    }

    /** The files read so far, in the order first read, with their size and (remote) ETag. */
    default List<CheckpointFileInfo> filesRead() {
        return List.of();
    }

    /**
     * A hint that {@code files} (config.json, the weights file or index) are about to be opened and
     * their headers read: a remote source starts fetching their beginnings and ends at once, so their
     * round trips overlap instead of following one another. The default does nothing.
     */
    default void warm(List<String> files) {
    }

    /** The commit id the revision resolved to (Hub), or null for local files. */
    default String commit() {
        return null;
    }
}

package org.neuromfa.model;

/**
 * Provenance of one file a checkpoint was read from: its name within the checkpoint, its size, and
 * when the source knows them the server's ETag and the LFS sha256 of the content (the Hub reports
 * it in {@code X-Linked-Etag} for files stored with Git LFS).
 */
public final class CheckpointFileInfo {
    private final String name;
    private final long size;
    private final String etag;
    private final String sha256;

    public CheckpointFileInfo(String name, long size, String etag, String sha256) {
        this.name = name;
        this.size = size;
        this.etag = etag;
        this.sha256 = sha256;
    }

    public String name() {
        return name;
    }

    public long size() {
        return size;
    }

    /** The ETag without quotes or weak prefix, or null. */
    public String etag() {
        return etag;
    }

    /** The LFS sha256 of the whole file (hex), or null. */
    public String sha256() {
        return sha256;
    }
}

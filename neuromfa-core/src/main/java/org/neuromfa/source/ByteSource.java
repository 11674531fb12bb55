package org.neuromfa.source;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Random-access bytes of one file: a local file or a remote one read by ranges. The first stage of
 * the pipeline; tensor readers see nothing else, so a checkpoint on the Hub and one on disk are
 * read by the same code.
 *
 * <p>Every source counts the bytes it delivers, because the number of bytes a sample needs (and not
 * the checkpoint size) is what makes analysing large checkpoints cheap, and users want that figure.
 */
public interface ByteSource extends Closeable {

    /** Path or URL, used in messages. */
    String name();

    /** Size of the whole file in bytes. */
    long size();

    /**
     * Reads exactly {@code length} bytes starting at {@code position}.
     *
     * @throws java.io.EOFException if the range extends past the end of the file
     */
    void read(long position, byte[] destination, int offset, int length) throws IOException;

    /** Reads {@code length} bytes at {@code position} into a new array. */
    default byte[] read(long position, int length) throws IOException {
        byte[] out = new byte[length];
        read(position, out, 0, length);
        return out;
    }

    /**
     * A hint that the ranges {@code [positions[i], positions[i] + length)} are about to be read. A
     * remote source fetches them concurrently (a row read is otherwise one round trip); a local
     * source ignores it. Failures are not reported here but by the reads that follow.
     */
    default void prefetch(long[] positions, int length) {
    }

    /**
     * Makes the given ranges fast to read, before they are read: a remote source fetches them into
     * its cache (coalesced, many requests in flight), a local source may read them ahead. Returns at
     * once; the future completes when the ranges are ready, or with the failure that prevented it
     * (which a later {@link #read} would meet too). The default does nothing.
     */
    default CompletableFuture<Void> fetch(ByteRanges ranges, FetchListener listener) {
        return CompletableFuture.completedFuture(null);
    }

    /** Bytes delivered by {@link #read} so far (for a remote source: bytes transferred). */
    long bytesRead();

    @Override
    default void close() throws IOException {
    }
}

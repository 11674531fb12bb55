package org.neuromfa.source;

/**
 * Told how a {@link ByteSource#fetch} goes, for progress: how many bytes it is going to transfer
 * (once it knows, after leaving out what is cached and coalescing), and each piece as it arrives.
 * Called from the fetching threads.
 */
public interface FetchListener {
    /** No progress wanted. */
    FetchListener NONE = new FetchListener() {
    };

    /** {@code bytes} more are going to be transferred. */
    default void planned(long bytes) {
    }

    /** {@code bytes} have been transferred. */
    default void transferred(long bytes) {
    }
}

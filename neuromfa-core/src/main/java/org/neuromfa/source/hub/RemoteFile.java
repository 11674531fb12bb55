package org.neuromfa.source.hub;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One file of a Hub repository at a commit, as the client fetches it: where to ask for it, its size
 * and content identity as the repository listing gave them, and what the client has learnt about
 * its server along the way (the signed URL the Hub redirected to, whether the server honours Range).
 */
final class RemoteFile {
    /** The file's Hub URL as the user would know it, for messages. */
    final String name;
    /** {@code {endpoint}/{repo}/resolve/{commit}/{file}}. */
    final URI resolve;
    final long size;
    /** The LFS sha256 the listing gave, checked against {@code X-Linked-Etag} of the Hub's redirect; or null. */
    final String sha256;
    /**
     * The URL the last answer came from: the Hub redirects LFS files to a signed CDN URL (valid
     * about an hour), and asking it directly saves a round trip per request. Forgotten when it stops
     * working (the Hub is then asked again, once).
     */
    final AtomicReference<URI> signed = new AtomicReference<>();
    /** The server answered a Range request with the whole file: it is streamed once, never per range. */
    volatile boolean rangesIgnored;
    /** The one whole-file transfer of a server that ignores Range, once started. Guarded by this. */
    CompletableFuture<Void> wholeTransfer;
    final AtomicBoolean toldRangesIgnored = new AtomicBoolean();
    /**
     * The content id the Hub's last redirect named ({@code X-Linked-Etag}), the listing's sha256
     * until then: part of the content generation, with the answer's own ETag (a CDN's ETag is not
     * the sha256, and either may be the one that changes).
     */
    volatile String linkedEtag;

    RemoteFile(String name, URI resolve, long size, String sha256) {
        this.name = name;
        this.resolve = resolve;
        this.size = size;
        this.sha256 = sha256;
        this.linkedEtag = sha256;
    }

    /** The generation of bytes that arrive with {@code etag} (see {@link Blob#generationOf}). */
    String generation(String etag) {
        if (linkedEtag == null && (etag == null || etag.isEmpty())) {
            return Blob.NO_ETAG;
        }
        return Blob.generationOf((linkedEtag == null ? "" : linkedEtag) + "|" + (etag == null ? "" : etag));
    }
}

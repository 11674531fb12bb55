package org.neuromfa.source.hub;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neuromfa.NeuroMfaException;

/**
 * HTTP for the Hub ({@link Http1} underneath), and the one place where what a server can do wrong is handled: every request,
 * small or a byte range, goes through {@link #exchange}, and every failure is either retried with
 * back-off or ends as a one-line {@link NeuroMfaException} naming the URL and the cause.
 *
 * <ul>
 * <li><b>Redirects</b> are followed by hand, only to {@code http} and {@code https} URLs, and the
 *     token goes only to the scheme, host and port of {@code HF_ENDPOINT} (HttpClient would carry
 *     {@code Authorization} to whatever host a redirect names, and the Hub sends LFS files to a
 *     CDN).</li>
 * <li><b>Time</b> is bounded: headers within {@link HubSettings#headerTimeout}, then no pause of more
 *     than {@link HubSettings#idleTimeout} between body bytes, and {@link HubSettings#requestDeadline}
 *     for the whole request; a watchdog abandons a transfer that breaks either rule (and it is
 *     retried). Retries give up after {@link HubSettings#maxAttempts}.</li>
 * <li><b>Memory</b> is bounded: an answer read whole is refused beyond its limit, whatever its
 *     {@code Content-Length} says or omits; range bodies stream into the cache.</li>
 * <li><b>Retried:</b> HTTP 429 (waiting as {@code Retry-After} or the Hub's
 *     {@code RateLimit: "...";r=R;t=T} says), 5xx, refused or dropped connections, timeouts,
 *     bodies cut short. <b>Not retried:</b> other 4xx, a host name that does not resolve, a
 *     redirect to another scheme, an answer over its limit, a full disk.</li>
 * <li><b>Ranges:</b> a 206 must answer the range asked for ({@code Content-Range}); a 200 to a
 *     Range request means the server ignores Range, recognised once per file
 *     ({@link RemoteFile#rangesIgnored}): the file is then streamed whole into the cache once. A
 *     403 from a remembered signed URL means it expired: the Hub is asked again, once.</li>
 * <li><b>Content identity:</b> the ETag of every answer with file bytes selects the cached
 *     content's generation ({@link Blob#observe}), so bytes of two versions never mix; the
 *     {@code X-Linked-Etag} of the Hub's redirect must be the sha256 the listing gave.</li>
 * </ul>
 */
public final class HubClient {
    private static final int MAX_REDIRECTS = 10;
    /** Bodies of redirects and error answers are read up to this much (to reuse the connection), then dropped. */
    private static final long DISCARD_LIMIT = 64 << 10;
    /** A rate limit asking to wait longer than this is reported rather than waited out. */
    static final Duration MAX_RATE_LIMIT_WAIT = Duration.ofMinutes(10);
    /** A server ignoring Range streams the whole file; its bytes are recorded in segments of this size. */
    static final long WHOLE_FILE_SEGMENT = 8 << 20;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)");
    private static final Pattern RATE_LIMIT_RESET = Pattern.compile("(?:^|;)\\s*t\\s*=\\s*(\\d+)");
    private static final Pattern RATE_LIMIT_REMAINING = Pattern.compile("(?:^|;)\\s*r\\s*=\\s*(\\d+)");

    /** The buffer a thread reads bodies into. */
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[64 << 10]);

    /** {@code -Dneuromfa.hub.trace=true}: one line per exchange on stderr (start, headers, end in ms; status; bytes). */
    private static final boolean TRACE = Boolean.getBoolean("neuromfa.hub.trace");
    private static final long TRACE_ORIGIN = System.nanoTime();

    private final HubSettings settings;

    HubClient(HubSettings settings) {
        this.settings = settings;
    }

    HubSettings settings() {
        return settings;
    }

    /**
     * Starts TLS's one-time set-up (the default SSL context, its certificates and providers, a few
     * hundred milliseconds of a short run) on a background thread, when the Hub is reached over
     * https; the command line starts this as soon as it sees a Hub model among its arguments, so
     * it overlaps the JVM's start and parsing the command line.
     */
    public static void initialiseInBackground(java.util.Map<String, String> env) {
        String endpoint = env.getOrDefault("HF_ENDPOINT", HubSettings.DEFAULT_ENDPOINT);
        if (endpoint.isBlank() || endpoint.regionMatches(true, 0, "https:", 0, 6)) {
            Http1.initialiseTlsInBackground();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    // ---------------------------------------------------------------------------------------------
    // Answers

    /** Status, headers and the URL of an answer; the body when it was read whole. */
    static final class Answer {
        final int status;
        final Http1.Headers headers;
        final URI uri;
        final byte[] body;

        Answer(int status, Http1.Headers headers, URI uri, byte[] body) {
            this.status = status;
            this.headers = headers;
            this.uri = uri;
            this.body = body;
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /**
     * GET a resource read whole (API answers, configuration and index files), following redirects.
     * An answer over {@code limit} bytes is refused (one line, not retried), whatever its headers say.
     */
    Answer getWhole(URI uri, String what, long limit) throws IOException {
        return retrying(what, () -> {
            URI at = uri;
            for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
                URI here = at;
                Exchange ex = exchange("GET", at, null, info -> info.status / 100 == 2
                        ? new MemoryTransfer(here, what, limit, info) : new Discard(here));
                if (isRedirect(ex.status)) {
                    at = location(at, ex.headers, what);
                    continue;
                }
                check(ex.status, at, ex.headers, what);
                return new Answer(ex.status, ex.headers, at, ((MemoryTransfer) ex.transfer).bytes());
            }
            throw new NeuroMfaException(what, "more than " + MAX_REDIRECTS + " redirects");
        });
    }

    /**
     * HEAD {@code uri}. Redirects within the endpoint's origin are followed (the Hub uses them for
     * renamed repositories and small files); a redirect to another origin is not, because its answer
     * already carries the Hub's {@code X-Linked-Size}, {@code X-Linked-Etag} and {@code X-Repo-Commit}.
     */
    Answer head(URI uri, String what) throws IOException {
        return head(uri, what, false);
    }

    /** HEAD, following every redirect when {@code anyOrigin} (to learn the final answer's size). */
    Answer head(URI uri, String what, boolean anyOrigin) throws IOException {
        return retrying(what, () -> {
            URI at = uri;
            for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
                URI here = at;
                Exchange ex = exchange("HEAD", at, null, info -> new Discard(here));
                if (isRedirect(ex.status)) {
                    URI next = location(at, ex.headers, what);
                    if (!anyOrigin && !sameOrigin(next, settings.endpoint())) {
                        return new Answer(ex.status, ex.headers, at, null);
                    }
                    at = next;
                    continue;
                }
                check(ex.status, at, ex.headers, what);
                return new Answer(ex.status, ex.headers, at, null);
            }
            throw new NeuroMfaException(what, "more than " + MAX_REDIRECTS + " redirects");
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Ranges

    /**
     * Fetches {@code piece} of {@code file} into {@code blob} and completes it. Retries resume where
     * the last attempt stopped; an attempt that received something does not count against the
     * limit. Bytes received are reported to {@code transferred} as they arrive. Returns false when
     * the piece could not be completed because the server ignores Range and another transfer is
     * streaming the whole file (the caller waits for that and finds the bytes cached).
     */
    boolean fetchPiece(RemoteFile file, Blob blob, Blob.Piece piece, LongConsumer transferred) throws IOException {
        String what = file.name;
        int failures = 0;
        IOException last = null;
        boolean reResolved = false;
        while (true) {
            if (file.rangesIgnored && wholeTransferRunning(file)) {
                return false;
            }
            long before = piece.next;
            try {
                PieceOutcome outcome = attemptPiece(file, blob, piece, transferred, reResolved);
                if (outcome == PieceOutcome.EXPIRED) {
                    reResolved = true;
                    continue;
                }
                if (outcome == PieceOutcome.WHOLE_FILE_ELSEWHERE) {
                    return false;
                }
                if (piece.next >= piece.end) {
                    blob.complete(piece);
                    return true;
                }
                last = new EOFException("received " + (piece.next - piece.start) + " of " + piece.length()
                        + " bytes of " + describeRange(piece) + " before the answer ended");
            } catch (NeuroMfaException | InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                last = e;
            }
            if (piece.next > before) {
                failures = 0; // progress: a flaky connection that delivers something is not a dead one
            } else if (++failures >= settings.maxAttempts()) {
                throw new NeuroMfaException(what, "failed after " + settings.maxAttempts() + " attempts: "
                        + cause(last), last);
            }
            pause(failures, last, what);
        }
    }

    private enum PieceOutcome { DONE, EXPIRED, WHOLE_FILE_ELSEWHERE }

    private static String describeRange(Blob.Piece p) {
        return "bytes " + p.start + "-" + (p.end - 1);
    }

    private PieceOutcome attemptPiece(RemoteFile file, Blob blob, Blob.Piece piece, LongConsumer transferred,
                                      boolean reResolved) throws IOException {
        String what = file.name;
        URI remembered = reResolved ? null : file.signed.get();
        URI at = remembered != null ? remembered : file.resolve;
        boolean viaRemembered = remembered != null;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            long from = piece.next;
            String range = "bytes=" + from + "-" + (piece.end - 1);
            URI here = at;
            Exchange ex = exchange("GET", at, range, info -> {
                int status = info.status;
                if (status == 206 || status == 200) {
                    return new RangeTransfer(here, file, blob, piece, from, info, transferred);
                }
                return new Discard(here);
            });
            int status = ex.status;
            if (isRedirect(status)) {
                noteLinkedEtag(file, ex.headers);
                at = location(at, ex.headers, what);
                continue;
            }
            if (status == 206 || status == 200) {
                RangeTransfer t = (RangeTransfer) ex.transfer;
                if (!sameOrigin(at, settings.endpoint()) || file.signed.get() == null) {
                    file.signed.set(at);
                }
                if (t.deferredToWholeTransfer) {
                    return PieceOutcome.WHOLE_FILE_ELSEWHERE;
                }
                return PieceOutcome.DONE;
            }
            if (viaRemembered && (status == 403 || status == 401 || status == 404 || status == 410)) {
                // A signed URL that stopped working has expired: ask the Hub for a fresh one, once.
                file.signed.compareAndSet(remembered, null);
                return PieceOutcome.EXPIRED;
            }
            if (status == 403 && !sameOrigin(at, settings.endpoint())) {
                throw new NeuroMfaException(what, "access denied by the storage host " + hostPort(at)
                        + " (HTTP 403) even with a fresh URL from the Hub");
            }
            check(status, at, ex.headers, what);
            throw new NeuroMfaException(what, "unexpected HTTP " + status + " from " + at);
        }
        throw new NeuroMfaException(what, "more than " + MAX_REDIRECTS + " redirects");
    }

    /**
     * The Hub's redirect of an LFS file names its content ({@code X-Linked-Etag}); it becomes part of
     * the generation of the bytes that follow, so a changed file is never mixed with the cached one.
     */
    private static void noteLinkedEtag(RemoteFile file, Http1.Headers headers) {
        String linked = HubCheckpointFiles.unquote(headers.firstValue("X-Linked-Etag").orElse(null));
        if (linked != null) {
            file.linkedEtag = linked;
        }
    }

    /** Streams a 206 (or a 200: the whole file) into the blob. */
    private final class RangeTransfer extends Transfer {
        private final RemoteFile file;
        private final Blob blob;
        private final Blob.Piece piece;
        private final LongConsumer transferred;
        /** The server ignores Range and another transfer streams the whole file: this one took nothing. */
        boolean deferredToWholeTransfer;
        /** For a 200: the whole file, written segment by segment. */
        private Blob.Piece segment;
        private long position;
        private long limit;
        private boolean whole;

        RangeTransfer(URI uri, RemoteFile file, Blob blob, Blob.Piece piece, long from, Http1.Response info,
                      LongConsumer transferred) throws IOException {
            super(uri, file.name, info);
            this.file = file;
            this.blob = blob;
            this.piece = piece;
            this.transferred = transferred;
            String gen = file.generation(HubCheckpointFiles.unquote(info.headers.firstValue("ETag").orElse(null)));
            if (info.status == 206) {
                String cr = info.headers.firstValue("Content-Range").orElse("");
                Matcher m = CONTENT_RANGE.matcher(cr);
                if (!m.matches() || Long.parseLong(m.group(1)) != from || Long.parseLong(m.group(2)) < from
                        || (!m.group(3).equals("*") && Long.parseLong(m.group(3)) != file.size)) {
                    throw new NeuroMfaException(file.name, "server answered range bytes=" + from + "-" + (piece.end - 1)
                            + " with Content-Range '" + cr + "' (file of " + file.size + " bytes)");
                }
                blob.observe(gen, piece);
                if (piece.next != from) {
                    // The content changed and the piece starts over: this answer's bytes are of no use.
                    throw new Blob.ContentChanged(file.name + ": content changed; fetching again");
                }
                position = from;
                limit = Math.min(piece.end, Long.parseLong(m.group(2)) + 1);
                expected = limit - from;
            } else {
                // 200: the whole file, whatever was asked.
                whole = true;
                if (piece.start != 0 || piece.end != file.size) {
                    file.rangesIgnored = true;
                    synchronized (file) {
                        if (file.wholeTransfer != null) {
                            deferredToWholeTransfer = true;
                        } else {
                            file.wholeTransfer = new CompletableFuture<>();
                        }
                    }
                    if (deferredToWholeTransfer) {
                        expected = -1;
                        return;
                    }
                    if (file.toldRangesIgnored.compareAndSet(false, true)) {
                        settings.notices().accept(file.name + ": the server ignored Range requests; downloading the"
                                + " whole file (" + file.size + " bytes) once into the cache");
                    }
                }
                long declared = info.headers.firstValueAsLong("Content-Length").orElse(-1);
                if (declared >= 0 && declared != file.size) {
                    failWhole(null);
                    throw new NeuroMfaException(file.name, "server sent " + declared + " bytes for a file of "
                            + file.size + " bytes");
                }
                position = 0;
                limit = file.size;
                expected = file.size;
                blob.observe(gen, null);
                segment = nextSegment(0, gen);
            }
        }

        private Blob.Piece nextSegment(long start, String gen) throws IOException {
            if (start >= file.size) {
                return null;
            }
            if (piece.start == 0 && piece.end == file.size) {
                blob.observe(gen, piece);
                return piece;
            }
            Blob.Piece s = new Blob.Piece(start, Math.min(file.size, start + WHOLE_FILE_SEGMENT));
            blob.observe(gen, s);
            return s;
        }

        @Override
        boolean wantsBody() {
            return !deferredToWholeTransfer;
        }

        @Override
        void consume(ByteBuffer buffer) throws IOException {
            transferred.accept(buffer.remaining());
            if (!whole) {
                // Bytes beyond the piece (a server sending more than asked) are dropped.
                int keep = (int) Math.max(0, Math.min(buffer.remaining(), limit - position));
                if (keep == 0) {
                    buffer.position(buffer.limit());
                    return;
                }
                ByteBuffer part = buffer.duplicate();
                part.limit(part.position() + keep);
                blob.write(piece, part);
                position += keep;
                return;
            }
            while (buffer.hasRemaining()) {
                if (segment == null) {
                    throw new IOException("answer longer than the file's " + file.size + " bytes");
                }
                int keep = (int) Math.min(buffer.remaining(), segment.end - segment.next);
                ByteBuffer part = buffer.duplicate();
                part.limit(part.position() + keep);
                buffer.position(buffer.position() + keep);
                blob.write(segment, part);
                position += keep;
                if (segment.next == segment.end) {
                    if (segment != piece) {
                        blob.complete(segment);
                    }
                    segment = nextSegment(segment.end, segment.generation);
                }
            }
        }

        @Override
        void finish() throws IOException {
            if (whole) {
                if (position < file.size) {
                    failWhole(null);
                    throw new EOFException("received " + position + " of " + file.size + " bytes of the whole file");
                }
                if (piece.start != 0 || piece.end != file.size) {
                    // This piece's bytes are cached now (the segments); it needs no transfer of its own.
                    piece.next = piece.end;
                    piece.crc.reset();
                    deferredToWholeTransfer = true;
                    blob.abandon(piece, new IOException("fetched as part of the whole file"));
                    CompletableFuture<Void> w;
                    synchronized (file) {
                        w = file.wholeTransfer;
                    }
                    w.complete(null);
                }
            }
        }

        @Override
        void failed(Throwable t) {
            if (whole && !deferredToWholeTransfer) {
                failWhole(t);
            }
        }

        private void failWhole(Throwable t) {
            if (piece.start == 0 && piece.end == file.size) {
                return;
            }
            CompletableFuture<Void> w;
            synchronized (file) {
                w = file.wholeTransfer;
                file.wholeTransfer = null;
            }
            if (w != null) {
                w.completeExceptionally(t == null ? new IOException("whole-file transfer failed") : t);
            }
        }
    }

    private static boolean wholeTransferRunning(RemoteFile file) {
        synchronized (file) {
            return file.wholeTransfer != null && !file.wholeTransfer.isDone();
        }
    }

    /** Waits for the whole-file transfer of a server that ignores Range, if one is running. */
    static void awaitWholeTransfer(RemoteFile file) throws IOException {
        CompletableFuture<Void> w;
        synchronized (file) {
            w = file.wholeTransfer;
        }
        if (w == null) {
            return;
        }
        try {
            w.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + file.name);
        } catch (ExecutionException e) {
            // That transfer failed; the caller fetches the bytes itself (and reports its own failure).
        }
    }

    // ---------------------------------------------------------------------------------------------
    // One exchange

    private static final class Exchange {
        final int status;
        final Http1.Headers headers;
        final Transfer transfer;

        Exchange(int status, Http1.Headers headers, Transfer transfer) {
            this.status = status;
            this.headers = headers;
            this.transfer = transfer;
        }
    }

    /**
     * Sends one request and receives its whole answer into the transfer {@code body} picks for it
     * (from the status and headers), within the time limits ({@link Http1}). Any failure comes out
     * as an IOException (retryable) or a NeuroMfaException (definite).
     */
    private Exchange exchange(String method, URI uri, String range, BodyChooser body) throws IOException {
        checkScheme(uri, uri.toString());
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("User-Agent", "neuromfa");
        headers.put("Accept-Encoding", "identity");
        if (range != null) {
            headers.put("Range", range);
        }
        if (settings.token() != null && sameOrigin(uri, settings.endpoint())) {
            headers.put("Authorization", "Bearer " + settings.token());
        }
        long sent = System.nanoTime();
        Http1.Response r;
        try {
            r = Http1.send(method, uri, headers, millis(settings.headerTimeout()), millis(settings.idleTimeout()),
                    settings.requestDeadline().toNanos());
        } catch (IOException e) {
            throw unwrap(e, uri);
        }
        LinkModel.of(uri).answered(r.headerNanos);
        Transfer t;
        try {
            t = body.choose(r);
        } catch (IOException | RuntimeException e) {
            r.abort();
            if (e instanceof IOException) {
                throw unwrap(e, uri);
            }
            throw (RuntimeException) e;
        }
        try {
            if (t.wantsBody()) {
                byte[] buffer = BUFFER.get();
                int n;
                while (!t.enough() && (n = r.read(buffer, 0, buffer.length)) >= 0) {
                    if (n == 0) {
                        continue;
                    }
                    long now = System.nanoTime();
                    if (t.firstByteAt == 0) {
                        t.firstByteAt = now;
                    }
                    t.consume(ByteBuffer.wrap(buffer, 0, n));
                    t.received += n;
                    t.lastByteAt = now;
                }
                if (t.enough()) {
                    r.abort();
                } else {
                    t.finish();
                    r.close();
                }
            } else {
                r.abort();
            }
        } catch (IOException | RuntimeException e) {
            r.abort();
            if (e instanceof IOException) {
                IOException reported = unwrap(e, uri);
                t.failed(reported);
                throw reported;
            }
            t.failed(e);
            throw (RuntimeException) e;
        }
        if (TRACE) {
            System.err.printf(Locale.ROOT, "hub-trace %s %8.1f %8.1f %8.1f %d %d %s %s%n", Thread.currentThread().getName(),
                    (sent - TRACE_ORIGIN) / 1e6, t.firstByteAt == 0 ? -1.0 : (t.firstByteAt - TRACE_ORIGIN) / 1e6,
                    (System.nanoTime() - TRACE_ORIGIN) / 1e6, r.status, t.received,
                    range == null ? "-" : range, uri.getHost() + ":" + uri.getPort());
        }
        if (t.received >= LinkModel.MIN_RATE_SAMPLE && t.firstByteAt > 0) {
            LinkModel.of(uri).received(t.received, t.lastByteAt - t.firstByteAt,
                    Thread.currentThread() instanceof HubFileSource.FetchThread
                            && ((HubFileSource.FetchThread) Thread.currentThread()).parallel);
        }
        return new Exchange(r.status, r.headers, t);
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    private interface BodyChooser {
        Transfer choose(Http1.Response info) throws IOException;
    }

    private static IOException unwrap(Throwable t, URI uri) {
        if (t instanceof NeuroMfaException) {
            throw (NeuroMfaException) t;
        }
        if (t instanceof IdleTimeout || t instanceof RetryableStatus || t instanceof Blob.ContentChanged
                || t instanceof EOFException || t instanceof InterruptedIOException || t instanceof Http1.Silence
                || t instanceof Located || t instanceof HttpTimeoutException) {
            return (IOException) t;
        }
        if (t instanceof IOException) {
            // The JDK's connection failures rarely name the host (a refused connection has no message at all).
            return new Located(hostPort(uri), t);
        }
        return new IOException(t.toString(), t);
    }

    /**
     * What becomes of an answer's body: counted, handed to {@link #consume} a buffer at a time, and
     * checked at its end ({@link #finish}).
     */
    private abstract static class Transfer {
        final URI uri;
        final String what;
        long firstByteAt;
        long lastByteAt;
        long received;
        /** Bytes the answer should have, or -1 when unknown. */
        long expected;

        Transfer(URI uri, String what, Http1.Response info) {
            this.uri = uri;
            this.what = what;
            this.expected = info == null ? -1 : info.contentLength();
        }

        /** False: the body is not wanted (the connection is dropped at once). */
        boolean wantsBody() {
            return true;
        }

        /** True once nothing more of the body is wanted (the rest is dropped with the connection). */
        boolean enough() {
            return false;
        }

        abstract void consume(ByteBuffer buffer) throws IOException;

        void finish() throws IOException {
        }

        void failed(Throwable t) {
        }
    }

    /** A body read into memory, refused beyond {@code limit} bytes. */
    private static final class MemoryTransfer extends Transfer {
        private final long limit;
        private final ByteArrayOutputStream out;

        MemoryTransfer(URI uri, String what, long limit, Http1.Response info) {
            super(uri, what, info);
            this.limit = limit;
            if (expected > limit) {
                throw new NeuroMfaException(what, "the answer of " + expected + " bytes is larger than the limit of "
                        + limit + " bytes for a file read whole");
            }
            out = new ByteArrayOutputStream((int) Math.max(0, Math.min(expected, 1 << 20)));
        }

        @Override
        void consume(ByteBuffer buffer) {
            if (received + buffer.remaining() > limit) {
                throw new NeuroMfaException(what, "the answer is larger than the limit of " + limit
                        + " bytes for a file read whole");
            }
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            out.write(chunk, 0, chunk.length);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** A body not wanted (a redirect's, an error's): read up to a small limit so the connection can be reused. */
    private static final class Discard extends Transfer {
        Discard(URI uri) {
            super(uri, uri.toString(), null);
        }

        @Override
        void consume(ByteBuffer buffer) {
            buffer.position(buffer.limit());
        }

        @Override
        boolean enough() {
            return received > DISCARD_LIMIT;
        }
    }

    /** A transfer abandoned by the watchdog. */
    static final class IdleTimeout extends IOException {
        private static final long serialVersionUID = 1L;

        IdleTimeout(String message) {
            super(message);
        }
    }

    private static String seconds(long nanos) {
        double s = nanos / 1e9;
        return s == Math.rint(s) ? Long.toString((long) s) : String.format(Locale.ROOT, "%.1f", s);
    }

    // ---------------------------------------------------------------------------------------------
    // Retries and causes

    interface Attempt<T> {
        T run() throws IOException;
    }

    private <T> T retrying(String what, Attempt<T> attempt) throws IOException {
        IOException last = null;
        for (int i = 0; i < settings.maxAttempts(); i++) {
            if (i > 0) {
                pause(i, last, what);
            }
            try {
                return attempt.run();
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                // NeuroMfaException (a definite answer such as 404) is unchecked and passes through.
                last = e;
                definite(e, what);
            }
        }
        throw new NeuroMfaException(what, "failed after " + settings.maxAttempts() + " attempts: " + cause(last), last);
    }

    /** Failures no retry can mend end the request at once. */
    private static void definite(IOException e, String what) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                throw new NeuroMfaException(what, cause(e), e);
            }
        }
    }

    private void pause(int attempt, IOException last, String what) throws InterruptedIOException {
        definite(last, what);
        long first = settings.firstBackoff().toMillis();
        long max = settings.maxBackoff().toMillis();
        long delay = Math.min(max, first << Math.min(Math.max(0, attempt - 1), 20));
        delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        if (last instanceof RetryableStatus) {
            long asked = ((RetryableStatus) last).waitMillis;
            if (asked > MAX_RATE_LIMIT_WAIT.toMillis()) {
                throw new NeuroMfaException(what, "rate limited by " + hostPort(((RetryableStatus) last).uri)
                        + " for " + asked / 1000 + " s (HTTP " + ((RetryableStatus) last).status + "); try again later");
            }
            if (asked >= 0) {
                if (asked >= 2000) {
                    settings.notices().accept("rate limited by " + hostPort(((RetryableStatus) last).uri)
                            + "; waiting " + (asked + 999) / 1000 + " s as it asks");
                }
                delay = Math.max(delay, asked);
            }
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }

    /** What went wrong, in a user's words. */
    static String cause(Throwable original) {
        Throwable e = original;
        if (e == null) {
            return "unknown failure";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "cannot resolve host " + hostOf(e).replaceAll(":[0-9]+$", "");
            }
        }
        if (e instanceof Located && e.getCause() != null) {
            e = e.getCause() instanceof IOException || e.getCause() instanceof RuntimeException ? e.getCause() : e;
        }
        if (e instanceof RetryableStatus || e instanceof IdleTimeout || e instanceof EOFException
                || e instanceof Http1.Silence) {
            return e.getMessage();
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "connecting to " + hostOf(original) + " timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return e.getMessage();
        }
        if (e instanceof ConnectException) {
            return "connection refused by " + hostOf(original);
        }
        String m = e.getMessage();
        return "connection to " + hostOf(original) + " failed: "
                + (m == null || m.isBlank() ? e.getClass().getSimpleName() : m);
    }

    /** The host a connection failure was about: the JDK's messages rarely name it, so the request's URI does. */
    private static String hostOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Located) {
                return ((Located) t).hostPort;
            }
        }
        return "the server";
    }

    /** A connection failure tagged with the host and port it was for. */
    static final class Located extends IOException {
        private static final long serialVersionUID = 1L;
        final String hostPort;

        Located(String hostPort, Throwable cause) {
            super(cause.getMessage(), cause);
            this.hostPort = hostPort;
        }
    }

    static String hostPort(URI u) {
        return u.getHost() + ":" + port(u);
    }

    // ---------------------------------------------------------------------------------------------
    // Statuses, redirects, origins

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static URI location(URI from, Http1.Headers headers, String what) {
        String loc = headers.firstValue("Location").orElse(null);
        if (loc == null || loc.isBlank()) {
            throw new NeuroMfaException(what, "redirect from " + from + " has no Location header");
        }
        URI next;
        try {
            next = from.resolve(new URI(loc.trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new NeuroMfaException(what, "redirect from " + from + " to a malformed URL: " + loc.trim());
        }
        checkScheme(next, what);
        return next;
    }

    private static void checkScheme(URI uri, String what) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new NeuroMfaException(what, "redirected to a " + (scheme.isEmpty() ? "scheme-less" : scheme + ":")
                    + " URL; only http and https are followed");
        }
        if (uri.getHost() == null) {
            throw new NeuroMfaException(what, "redirected to a URL without a host: " + uri);
        }
    }

    /** Same scheme, host (case-insensitive) and effective port. */
    static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(lower(a.getScheme()), lower(b.getScheme()))
                && Objects.equals(lower(a.getHost()), lower(b.getHost()))
                && port(a) == port(b);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static int port(URI u) {
        if (u.getPort() != -1) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** Turns a final status into a retry (429, 5xx) or a one-line error (other 4xx). */
    private void check(int status, URI at, Http1.Headers headers, String what) throws IOException {
        if (status < 300) {
            return;
        }
        if (status == 429 || status >= 500) {
            throw new RetryableStatus(status, at, waitAsked(headers));
        }
        String problem;
        if (status == 401 || status == 403) {
            problem = "access denied (HTTP " + status + "); a private or gated repository needs HF_TOKEN"
                    + (settings.token() == null ? "" : " with access to it");
        } else if (status == 404) {
            problem = "not found (HTTP 404)";
        } else if (status == 416) {
            problem = "requested range not satisfiable (HTTP 416)";
        } else {
            problem = "HTTP " + status + " from " + at;
        }
        throw new NeuroMfaException(what, problem);
    }

    /**
     * Milliseconds the server asks to wait: the Hub's {@code RateLimit: "<policy>";r=<remaining>;t=<seconds>}
     * (when nothing remains) or {@code Retry-After} in seconds; -1 when it says nothing usable.
     */
    static long waitAsked(Http1.Headers headers) {
        long wait = -1;
        String rateLimit = headers.firstValue("RateLimit").orElse(null);
        if (rateLimit != null) {
            Matcher r = RATE_LIMIT_REMAINING.matcher(rateLimit);
            Matcher t = RATE_LIMIT_RESET.matcher(rateLimit);
            if (t.find() && (!r.find() || Long.parseLong(r.group(1)) == 0)) {
                try {
                    wait = Math.multiplyExact(Long.parseLong(t.group(1)), 1000L);
                } catch (ArithmeticException | NumberFormatException e) {
                    wait = Long.MAX_VALUE;
                }
            }
        }
        String retryAfter = headers.firstValue("Retry-After").orElse(null);
        if (retryAfter != null) {
            try {
                wait = Math.max(wait, Math.multiplyExact(Long.parseLong(retryAfter.trim()), 1000L));
            } catch (NumberFormatException e) {
                // An HTTP-date: keep what RateLimit said, else the exponential delay.
            } catch (ArithmeticException e) {
                wait = Long.MAX_VALUE;
            }
        }
        return wait;
    }

    /** An answer that a later attempt may not get: 429 or 5xx. */
    static final class RetryableStatus extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;
        final URI uri;
        final long waitMillis;

        RetryableStatus(int status, URI uri, long waitMillis) {
            super("HTTP " + status + " from " + uri);
            this.status = status;
            this.uri = uri;
            this.waitMillis = waitMillis;
        }
    }
}

package org.neuromfa.source.hub;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neuromfa.NeuroMfaException;

/**
 * HTTP for the Hub: GET and HEAD with redirects followed by hand, the token sent only to the
 * endpoint's own origin, and retries with exponential back-off.
 *
 * <p>Redirects are not left to {@link HttpClient}: it would carry the {@code Authorization} header
 * to whatever host a redirect names, and the Hub redirects large (LFS) files to a CDN on another
 * host. Here every hop is checked: the token goes only to the scheme, host and port of
 * {@code HF_ENDPOINT}.
 *
 * <p>Retried: HTTP 429 (honouring {@code Retry-After}), 5xx, and I/O failures including a body cut
 * short (a connection closed mid-transfer). Not retried: other 4xx, reported as one-line errors.
 */
final class HubHttp {
    private static final int MAX_REDIRECTS = 10;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    /**
     * One client for the process: it keeps connections alive across checkpoints (a trajectory opens
     * one repository revision after another) and its threads are not multiplied per checkpoint.
     */
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(30))
            .build();

    private final HubSettings settings;
    private final HttpClient client = CLIENT;

    HubHttp(HubSettings settings) {
        this.settings = settings;
    }

    /** Response headers of a HEAD request, stopped at the first redirect to another origin. */
    static final class Head {
        final int status;
        final HttpHeaders headers;
        final URI uri;

        Head(int status, HttpHeaders headers, URI uri) {
            this.status = status;
            this.headers = headers;
            this.uri = uri;
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /**
     * HEAD {@code uri}. Redirects within the endpoint's origin are followed (the Hub uses them for
     * renamed repositories); a redirect to another host is not, because its response already carries
     * the Hub's {@code X-Linked-Size}, {@code X-Linked-Etag} and {@code X-Repo-Commit}.
     */
    Head head(URI uri, String what) throws IOException {
        return retrying(what, () -> {
            URI at = uri;
            for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
                HttpResponse<InputStream> r = send("HEAD", at, null);
                try (InputStream ignored = r.body()) {
                    int status = r.statusCode();
                    if (isRedirect(status)) {
                        URI next = location(at, r);
                        if (!sameOrigin(next, settings.endpoint())) {
                            return new Head(status, r.headers(), at);
                        }
                        at = next;
                        continue;
                    }
                    check(status, at, r.headers(), what);
                    return new Head(status, r.headers(), at);
                }
            }
            throw new NeuroMfaException(what, "more than " + MAX_REDIRECTS + " redirects");
        });
    }

    /** GET a whole (small) resource, following redirects. */
    byte[] get(URI uri, String what, LongConsumer transferred) throws IOException {
        return retrying(what, () -> {
            HttpResponse<InputStream> r = follow(uri, null, what, null);
            try (InputStream in = r.body()) {
                long declared = r.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > Integer.MAX_VALUE - 8) {
                    throw new NeuroMfaException(what, "response of " + declared + " bytes is too large");
                }
                byte[] body = readAll(in, declared, transferred);
                if (declared >= 0 && body.length != declared) {
                    throw new EOFException("body ended after " + body.length + " of " + declared + " bytes");
                }
                return body;
            }
        });
    }

    /**
     * Reads {@code length} bytes at {@code start} with an HTTP Range request, following redirects.
     * A server that ignores Range (answers 200) is read up to the range and the connection dropped.
     * Every byte received is reported to {@code transferred}, including those of failed attempts.
     *
     * <p>{@code target} remembers where the last request for this file was redirected (the Hub
     * sends LFS files to a CDN with a signed URL), so later ranges go there directly, saving a
     * round trip per row; if that URL stops working (expired: 4xx) the Hub URL is asked again.
     */
    byte[] getRange(URI uri, AtomicReference<URI> target, long start, int length, String what,
                    LongConsumer transferred) throws IOException {
        String range = "bytes=" + start + "-" + (start + length - 1);
        return retrying(what, () -> {
            HttpResponse<InputStream> r = null;
            URI remembered = target.get();
            if (remembered != null) {
                try {
                    r = follow(remembered, range, what, target);
                } catch (NeuroMfaException expired) {
                    target.compareAndSet(remembered, null);
                }
            }
            if (r == null) {
                r = follow(uri, range, what, target);
            }
            try (InputStream in = r.body()) {
                byte[] out = new byte[length];
                if (r.statusCode() == 206) {
                    String cr = r.headers().firstValue("Content-Range").orElse("");
                    Matcher m = CONTENT_RANGE.matcher(cr);
                    if (!m.matches() || Long.parseLong(m.group(1)) != start
                            || Long.parseLong(m.group(2)) < start + length - 1) {
                        throw new NeuroMfaException(what, "server answered range " + range + " with Content-Range '"
                                + cr + "'");
                    }
                } else {
                    skip(in, start, transferred);
                }
                readFully(in, out, transferred);
                return out;
            }
        });
    }

    /**
     * Sends {@code GET}, following every redirect; the token only goes to the endpoint's origin.
     * When {@code landed} is given, it receives the URI that finally answered.
     */
    private HttpResponse<InputStream> follow(URI uri, String range, String what, AtomicReference<URI> landed)
            throws IOException {
        URI at = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<InputStream> r = send("GET", at, range);
            int status = r.statusCode();
            if (isRedirect(status)) {
                r.body().close();
                at = location(at, r);
                continue;
            }
            if (status == 200 || status == 206) {
                if (landed != null) {
                    landed.set(at);
                }
                return r;
            }
            r.body().close();
            check(status, at, r.headers(), what);
            throw new NeuroMfaException(what, "unexpected HTTP " + status + " from " + at);
        }
        throw new NeuroMfaException(what, "more than " + MAX_REDIRECTS + " redirects");
    }

    private HttpResponse<InputStream> send(String method, URI uri, String range) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofMinutes(2))
                .header("User-Agent", "neuromfa")
                .header("Accept-Encoding", "identity");
        if ("http".equals(uri.getScheme())) {
            // Plain-HTTP endpoints (mirrors, tests) speak HTTP/1.1; don't offer an h2c upgrade.
            b.version(HttpClient.Version.HTTP_1_1);
        }
        if (range != null) {
            b.header("Range", range);
        }
        if (settings.token() != null && sameOrigin(uri, settings.endpoint())) {
            b.header("Authorization", "Bearer " + settings.token());
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + uri);
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static URI location(URI from, HttpResponse<?> r) throws IOException {
        String loc = r.headers().firstValue("Location").orElse(null);
        if (loc == null) {
            throw new IOException("HTTP " + r.statusCode() + " from " + from + " without a Location header");
        }
        try {
            return from.resolve(loc);
        } catch (IllegalArgumentException e) {
            throw new IOException("HTTP " + r.statusCode() + " from " + from + " with a malformed Location: " + loc);
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
    private void check(int status, URI at, HttpHeaders headers, String what) throws IOException {
        if (status < 300) {
            return;
        }
        if (status == 429 || status >= 500) {
            throw new RetryableStatus(status, at, headers.firstValue("Retry-After").orElse(null));
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

    /** An answer that a later attempt may not get: 429 or 5xx. */
    static final class RetryableStatus extends IOException {
        private static final long serialVersionUID = 1L;
        final String retryAfter;

        RetryableStatus(int status, URI at, String retryAfter) {
            super("HTTP " + status + " from " + at);
            this.retryAfter = retryAfter;
        }
    }

    interface Attempt<T> {
        T run() throws IOException;
    }

    private <T> T retrying(String what, Attempt<T> attempt) throws IOException {
        IOException last = null;
        for (int i = 0; i < settings.maxAttempts(); i++) {
            if (i > 0) {
                pause(i, last);
            }
            try {
                return attempt.run();
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                // NeuroMfaException (a definite answer such as 404) is unchecked and passes through.
                last = e;
            }
        }
        throw new NeuroMfaException(what, "failed after " + settings.maxAttempts() + " attempts: " + last.getMessage(), last);
    }

    private void pause(int attempt, IOException last) throws InterruptedIOException {
        long first = settings.firstBackoff().toMillis();
        long max = settings.maxBackoff().toMillis();
        long delay = Math.min(max, first << Math.min(attempt - 1, 20));
        delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        if (last instanceof RetryableStatus && ((RetryableStatus) last).retryAfter != null) {
            try {
                delay = Math.max(delay, Math.min(max, Long.parseLong(((RetryableStatus) last).retryAfter.trim()) * 1000));
            } catch (NumberFormatException ignored) {
                // An HTTP-date Retry-After: keep the exponential delay.
            }
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }

    private static byte[] readAll(InputStream in, long declared, LongConsumer transferred) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
            transferred.accept(n);
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static void readFully(InputStream in, byte[] out, LongConsumer transferred) throws IOException {
        int done = 0;
        while (done < out.length) {
            int n = in.read(out, done, out.length - done);
            if (n < 0) {
                throw new EOFException("connection closed after " + done + " of " + out.length + " bytes");
            }
            transferred.accept(n);
            done += n;
        }
    }

    private static void skip(InputStream in, long count, LongConsumer transferred) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = count;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException("connection closed while skipping to the requested range");
            }
            transferred.accept(n);
            left -= n;
        }
    }
}

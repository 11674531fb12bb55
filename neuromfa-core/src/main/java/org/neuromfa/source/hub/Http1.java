package org.neuromfa.source.hub;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A small HTTP/1.1 client over blocking sockets, for the Hub's requests: one request at a time per
 * connection, connections kept alive and reused per origin, plain or TLS (the JDK's
 * {@link SSLSocketFactory}, with SNI and host-name verification).
 *
 * <p>Why not {@code java.net.http.HttpClient}: its asynchronous stack cost about 25 ns of CPU per
 * byte received here (a 170 MB plan took more CPU than the rest of the analysis, on a 2-core
 * machine where that CPU is taken from the transfer itself), a blocked body read cannot be
 * abandoned by closing its stream, and its idle and deadline rules would have to be built around
 * it anyway. Here a body is read straight from the socket into the caller's buffer; silence is a
 * socket read timeout; a request past its deadline is ended by closing its socket from a watchdog.
 *
 * <p>Only what the Hub needs: GET and HEAD, {@code Content-Length}, chunked and close-delimited
 * bodies, no proxies, no compression (requests say {@code Accept-Encoding: identity}). Answers are
 * parsed defensively: a status line and headers of at most {@link #MAX_HEADER_BYTES}, chunk sizes
 * within 64 bits; anything else is a protocol error.
 */
final class Http1 {
    static final int MAX_HEADER_BYTES = 64 << 10;
    /** Pooled connections idle longer than this are closed rather than reused (servers drop them). */
    static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(20);
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private static final Map<String, Deque<Connection>> IDLE = new HashMap<>();
    private static final Set<Deadline> DEADLINES = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "neuromfa-http-deadlines");
        t.setDaemon(true);
        return t;
    });

    static {
        WATCHDOG.scheduleWithFixedDelay(Http1::expire, 100, 100, TimeUnit.MILLISECONDS);
    }

    private Http1() {
    }

    /** Headers of an answer: names compared case-insensitively, values in the order received. */
    static final class Headers {
        private final Map<String, List<String>> values = new LinkedHashMap<>();

        void add(String name, String value) {
            values.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value);
        }

        Optional<String> firstValue(String name) {
            List<String> v = values.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
        }

        OptionalLong firstValueAsLong(String name) {
            Optional<String> v = firstValue(name);
            if (v.isEmpty()) {
                return OptionalLong.empty();
            }
            try {
                return OptionalLong.of(Long.parseLong(v.get().trim()));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
    }

    /** Thrown when a socket read times out: silence for {@code millis}. */
    static final class Silence extends IOException {
        private static final long serialVersionUID = 1L;

        Silence(String message) {
            super(message);
        }
    }

    /** A connection to one origin. */
    private static final class Connection implements Closeable {
        final String origin;
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final byte[] buffer = new byte[64 << 10];
        int position;
        int limit;
        long idleSince;

        Connection(String origin, Socket socket) throws IOException {
            this.origin = origin;
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** Refills the buffer; false at the end of the stream. */
        boolean fill() throws IOException {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a connection that failed
            }
        }
    }

    /** A request being timed by the watchdog. */
    private static final class Deadline {
        final Socket socket;
        final long at;
        volatile boolean expired;

        Deadline(Socket socket, long at) {
            this.socket = socket;
            this.at = at;
        }
    }

    private static void expire() {
        long now = System.nanoTime();
        for (Deadline d : DEADLINES) {
            if (now > d.at) {
                d.expired = true;
                DEADLINES.remove(d);
                try {
                    d.socket.close();
                } catch (IOException ignored) {
                    // the reader sees the socket closed
                }
            }
        }
    }

    /** An answer whose body is read from its connection. */
    static final class Response implements Closeable {
        final int status;
        final Headers headers;
        final URI uri;
        /** Nanoseconds from sending the request to having the headers. */
        final long headerNanos;
        private final Connection connection;
        private final Deadline deadline;
        private final int idleMillis;
        private final boolean head;
        private long remaining;
        private final boolean chunked;
        private final boolean untilClose;
        private boolean reusable;
        private boolean done;
        private boolean closed;
        long received;

        private Response(int status, Headers headers, URI uri, long headerNanos, Connection connection, Deadline deadline,
                         int idleMillis, boolean head) {
            this.status = status;
            this.headers = headers;
            this.uri = uri;
            this.headerNanos = headerNanos;
            this.connection = connection;
            this.deadline = deadline;
            this.idleMillis = idleMillis;
            this.head = head;
            boolean noBody = head || status / 100 == 1 || status == 204 || status == 304;
            String te = headers.firstValue("Transfer-Encoding").orElse("").trim().toLowerCase(Locale.ROOT);
            this.chunked = !noBody && te.endsWith("chunked");
            long length = headers.firstValueAsLong("Content-Length").orElse(-1);
            this.untilClose = !noBody && !chunked && length < 0;
            this.remaining = noBody ? 0 : chunked ? 0 : length;
            String conn = headers.firstValue("Connection").orElse("").toLowerCase(Locale.ROOT);
            this.reusable = !untilClose && !conn.contains("close");
            this.done = noBody || (!chunked && !untilClose && length == 0);
        }

        /** The body's length as declared, or -1 (chunked, until close, or none). */
        long contentLength() {
            return chunked || untilClose || head ? -1 : headers.firstValueAsLong("Content-Length").orElse(-1);
        }

        /**
         * Reads body bytes into {@code b}; -1 at the end of the body. A silence longer than the idle
         * limit is a {@link Silence}; a body that ends before its declared length an EOFException.
         */
        int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            try {
                if (chunked && remaining == 0) {
                    remaining = nextChunk();
                    if (remaining == 0) {
                        readTrailers();
                        done = true;
                        return -1;
                    }
                }
                Connection c = connection;
                if (c.position == c.limit && !c.fill()) {
                    if (untilClose) {
                        done = true;
                        return -1;
                    }
                    long declared = contentLength();
                    throw new EOFException("received " + received + (declared >= 0 ? " of " + declared : "")
                            + " bytes from " + HubClient.hostPort(uri) + " before the connection closed");
                }
                int n = Math.min(len, c.limit - c.position);
                if (!untilClose) {
                    n = (int) Math.min(n, remaining);
                }
                System.arraycopy(c.buffer, c.position, b, off, n);
                c.position += n;
                received += n;
                if (!untilClose) {
                    remaining -= n;
                    if (remaining == 0 && !chunked) {
                        done = true;
                    } else if (remaining == 0) {
                        expectCrlf();
                    }
                }
                return n;
            } catch (SocketTimeoutException e) {
                long declared = contentLength();
                throw new Silence("no data for " + seconds(idleMillis) + " s after " + received
                        + (declared >= 0 ? " of " + declared : "") + " bytes from " + HubClient.hostPort(uri));
            } catch (IOException e) {
                if (deadline.expired) {
                    throw new HubClient.IdleTimeout("the request took longer than its deadline; " + received
                            + " bytes received from " + HubClient.hostPort(uri));
                }
                throw e;
            }
        }

        private long nextChunk() throws IOException {
            String line = readLine(connection, 1024, uri);
            int semi = line.indexOf(';');
            String size = (semi >= 0 ? line.substring(0, semi) : line).trim();
            if (size.isEmpty() || size.length() > 15 || !size.matches("[0-9a-fA-F]+")) {
                throw new IOException("malformed chunk size '" + line + "' from " + HubClient.hostPort(uri));
            }
            return Long.parseLong(size, 16);
        }

        private void expectCrlf() throws IOException {
            String line = readLine(connection, 2, uri);
            if (!line.isEmpty()) {
                throw new IOException("malformed chunk end from " + HubClient.hostPort(uri));
            }
        }

        private void readTrailers() throws IOException {
            int total = 0;
            while (true) {
                String line = readLine(connection, MAX_HEADER_BYTES, uri);
                total += line.length() + 2;
                if (line.isEmpty()) {
                    return;
                }
                if (total > MAX_HEADER_BYTES) {
                    throw new IOException("trailers longer than " + MAX_HEADER_BYTES + " bytes from " + HubClient.hostPort(uri));
                }
            }
        }

        /** Reads and drops up to {@code limit} bytes of the body; true when that was all of it. */
        boolean drain(long limit) throws IOException {
            byte[] b = new byte[8192];
            long dropped = 0;
            int n;
            while (dropped <= limit && (n = read(b, 0, b.length)) >= 0) {
                dropped += n;
            }
            return done;
        }

        /** Ends the exchange: a connection whose answer was read to its end goes back to the pool. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            DEADLINES.remove(deadline);
            if (done && reusable && !deadline.expired && connection.position == connection.limit) {
                release(connection);
            } else {
                connection.close();
            }
        }

        /** Ends the exchange and drops the connection (the rest of the body is not wanted). */
        void abort() {
            closed = true;
            DEADLINES.remove(deadline);
            connection.close();
        }
    }

    private static String seconds(int millis) {
        return millis % 1000 == 0 ? Integer.toString(millis / 1000) : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }

    /**
     * Sends {@code method} {@code uri} with {@code headers} and reads the answer's headers (within
     * {@code headerMillis}); the body is then read within {@code idleMillis} of silence and
     * {@code deadlineNanos} for the whole request. A pooled connection that the server closed while
     * idle is replaced once, transparently (the request had not reached it).
     */
    static Response send(String method, URI uri, Map<String, String> headers, int headerMillis, int idleMillis,
                         long deadlineNanos) throws IOException {
        String origin = origin(uri);
        for (int fresh = 0; ; fresh++) {
            Connection c = fresh == 0 ? pooled(origin) : null;
            boolean reused = c != null;
            if (c == null) {
                c = connect(uri, origin);
            }
            long sent = System.nanoTime();
            Deadline deadline = new Deadline(c.socket, sent + deadlineNanos);
            DEADLINES.add(deadline);
            try {
                c.out.write(request(method, uri, headers));
                c.out.flush();
                c.socket.setSoTimeout(headerMillis);
                int status;
                Headers h = new Headers();
                try {
                    status = readHead(c, uri, h);
                } catch (EOFException e) {
                    if (reused && c.limit == 0) {
                        // The server closed the idle connection before our request reached it.
                        DEADLINES.remove(deadline);
                        c.close();
                        continue;
                    }
                    throw e;
                }
                long headerNanos = System.nanoTime() - sent;
                c.socket.setSoTimeout(idleMillis);
                return new Response(status, h, uri, headerNanos, c, deadline, idleMillis, method.equals("HEAD"));
            } catch (SocketTimeoutException e) {
                DEADLINES.remove(deadline);
                c.close();
                throw new java.net.http.HttpTimeoutException("no answer from " + HubClient.hostPort(uri) + " within "
                        + seconds(headerMillis) + " s");
            } catch (IOException | RuntimeException e) {
                DEADLINES.remove(deadline);
                c.close();
                if (reused && !(e instanceof ProtocolError) && fresh == 0 && c.limit == 0) {
                    continue; // a stale pooled connection (reset): once more on a fresh one
                }
                if (deadline.expired) {
                    throw new HubClient.IdleTimeout("the request took longer than its deadline (no answer from "
                            + HubClient.hostPort(uri) + ")");
                }
                throw e;
            }
        }
    }

    /** An answer that does not parse as HTTP/1.x. */
    static final class ProtocolError extends IOException {
        private static final long serialVersionUID = 1L;

        ProtocolError(String message) {
            super(message);
        }
    }

    private static byte[] request(String method, URI uri, Map<String, String> headers) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        StringBuilder b = new StringBuilder(256);
        b.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
        int port = uri.getPort();
        if (port != -1 && port != defaultPort(uri)) {
            b.append(':').append(port);
        }
        b.append("\r\n");
        headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
        b.append("\r\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int readHead(Connection c, URI uri, Headers headers) throws IOException {
        int budget = MAX_HEADER_BYTES;
        String status = readLine(c, budget, uri);
        // HTTP/1.x interim answers (100 Continue) are skipped.
        while (true) {
            if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
                throw new ProtocolError("not an HTTP/1.x answer from " + HubClient.hostPort(uri) + ": '"
                        + status.substring(0, Math.min(40, status.length())) + "'");
            }
            int code;
            try {
                code = Integer.parseInt(status.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new ProtocolError("malformed status line from " + HubClient.hostPort(uri));
            }
            budget -= status.length() + 2;
            while (true) {
                String line = readLine(c, budget, uri);
                budget -= line.length() + 2;
                if (budget < 0) {
                    throw new ProtocolError("headers longer than " + MAX_HEADER_BYTES + " bytes from "
                            + HubClient.hostPort(uri));
                }
                if (line.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                    throw new ProtocolError("malformed header line from " + HubClient.hostPort(uri));
                }
                headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
            if (code / 100 != 1) {
                return code;
            }
            status = readLine(c, budget, uri);
        }
    }

    /** A line ending in CRLF (or LF), without it; at most {@code limit} bytes. */
    private static String readLine(Connection c, int limit, URI uri) throws IOException {
        StringBuilder b = new StringBuilder(64);
        while (true) {
            if (c.position == c.limit && !c.fill()) {
                throw new EOFException("connection closed by " + HubClient.hostPort(uri) + " before the answer was complete");
            }
            byte x = c.buffer[c.position++];
            if (x == '\n') {
                int len = b.length();
                if (len > 0 && b.charAt(len - 1) == '\r') {
                    b.setLength(len - 1);
                }
                return b.toString();
            }
            b.append((char) (x & 0xff));
            if (b.length() > limit) {
                throw new ProtocolError("a line of the answer from " + HubClient.hostPort(uri) + " is longer than "
                        + limit + " bytes");
            }
        }
    }

    private static String origin(URI u) {
        return u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":"
                + (u.getPort() == -1 ? defaultPort(u) : u.getPort());
    }

    private static int defaultPort(URI u) {
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static Connection pooled(String origin) {
        synchronized (IDLE) {
            Deque<Connection> q = IDLE.get(origin);
            long now = System.nanoTime();
            while (q != null && !q.isEmpty()) {
                Connection c = q.pollLast();
                if (now - c.idleSince < MAX_IDLE_NANOS && !c.socket.isClosed()) {
                    c.position = 0;
                    c.limit = 0;
                    return c;
                }
                c.close();
            }
            return null;
        }
    }

    private static void release(Connection c) {
        c.idleSince = System.nanoTime();
        synchronized (IDLE) {
            IDLE.computeIfAbsent(c.origin, o -> new ArrayDeque<>()).addLast(c);
        }
    }

    private static Connection connect(URI uri, String origin) throws IOException {
        int port = uri.getPort() == -1 ? defaultPort(uri) : uri.getPort();
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), port);
        if (address.isUnresolved()) {
            throw new UnknownHostException(uri.getHost());
        }
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(address, CONNECT_TIMEOUT_MILLIS);
        } catch (SocketTimeoutException e) {
            plain.close();
            throw new java.net.http.HttpConnectTimeoutException("connecting to " + HubClient.hostPort(uri) + " timed out");
        } catch (ConnectException e) {
            plain.close();
            throw e;
        }
        Socket socket = plain;
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(plain, uri.getHost(), port, true);
            SSLParameters p = tls.getSSLParameters();
            // Verify the server's certificate names this host, as browsers and curl do.
            p.setEndpointIdentificationAlgorithm("HTTPS");
            try {
                p.setServerNames(List.of(new SNIHostName(uri.getHost())));
            } catch (IllegalArgumentException e) {
                // an IP address: no SNI
            }
            tls.setSSLParameters(p);
            tls.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
            tls.startHandshake();
            socket = tls;
        }
        return new Connection(origin, socket);
    }

    /** Starts TLS's one-time set-up (the default context, its certificates) in the background. */
    static void initialiseTlsInBackground() {
        Thread t = new Thread(() -> {
            try {
                SSLSocketFactory.getDefault();
            } catch (RuntimeException | LinkageError e) {
                // the first https connection reports any problem
            }
        }, "neuromfa-tls-init");
        t.setDaemon(true);
        t.start();
    }
}

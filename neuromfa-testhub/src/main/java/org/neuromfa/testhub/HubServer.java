package org.neuromfa.testhub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local, Hub-shaped HTTP server for tests and benchmarks, modelled on the Hugging Face Hub's public
 * behaviour:
 * <ul>
 * <li>{@code GET /api/models/{org}/{name}/revision/{rev}} (JSON with {@code sha} and
 *     {@code siblings[]}: {@code rfilename}, and with {@code ?blobs=true} also {@code size},
 *     {@code blobId} and for LFS files {@code lfs: {sha256, size, pointerSize}});</li>
 * <li>{@code GET /api/models/{org}/{name}/refs} ({@code branches[]} and {@code tags[]} with
 *     {@code name}, {@code ref}, {@code targetCommit});</li>
 * <li>{@code GET/HEAD /{org}/{name}/resolve/{rev}/{file}}: small files by a relative 307 to
 *     {@code /api/resolve-cache/...} (served with {@code ETag} and {@code X-Repo-Commit}); LFS files
 *     (weights) by a 302 to a second server, the "CDN", with {@code X-Linked-Size},
 *     {@code X-Linked-Etag} (the sha256) and {@code X-Repo-Commit}; the CDN URL is signed with an
 *     expiry ({@link #signedUrlLifetime}) after which the CDN answers 403.</li>
 * </ul>
 * The CDN listens on every local address and is addressed as {@code localhost}, the Hub as
 * {@code 127.0.0.1}: two origins. Both serve single Range requests from the files on disk
 * (positional reads: files of any size).
 *
 * <p><b>A simulated link</b> ({@link #link}): a delay before every answer (the round trip), a rate
 * per connection and a rate for the whole link, shared by all connections (token bucket).
 *
 * <p><b>Faults</b>, for tests of what a client must survive: statuses for the next content
 * requests, bodies cut short, answers stalled after their headers, a CDN that ignores Range, a
 * redirect to any location, no {@code X-Linked-Size}, an endless API answer, rate limits, content
 * replaced under the same commit.
 *
 * <p>{@link #main} runs it as a standalone server for benchmarks.
 */
public class HubServer implements AutoCloseable {
    public static final String TOKEN = "hf_test_secret_token";

    static {
        // Without TCP_NODELAY the JDK server's small responses wait ~40 ms for delayed ACKs.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer hub;
    private final HttpServer cdn;
    /** repo id, then revision (branch name or commit) to a directory. */
    private final Map<String, Map<String, Path>> repos = new ConcurrentHashMap<>();
    private final Map<String, Path> blobs = new ConcurrentHashMap<>();
    /** repo + "@" + revision to the commit it resolves to (a commit resolves to itself). */
    private final Map<String, String> commits = new ConcurrentHashMap<>();
    /** repo to its branch names, in the order served. */
    private final Map<String, List<String>> branches = new ConcurrentHashMap<>();
    private final Map<String, String> sha256s = new ConcurrentHashMap<>();

    public final AtomicLong contentBytesSent = new AtomicLong();
    public final AtomicInteger requests = new AtomicInteger();
    public final AtomicInteger apiRequests = new AtomicInteger();
    public final AtomicInteger rangeRequests = new AtomicInteger();
    public final AtomicInteger droppedConnections = new AtomicInteger();
    public final AtomicInteger injectedStatuses = new AtomicInteger();
    public final List<String> hubAuthorizations = new CopyOnWriteArrayList<>();
    public final List<String> cdnAuthorizations = new CopyOnWriteArrayList<>();
    public final List<String> cdnHosts = new CopyOnWriteArrayList<>();
    /** Content GETs (small files and ranges) received so far. */
    public final AtomicInteger contentGets = new AtomicInteger();
    /**
     * Asked with the running count of content GETs before each is answered; false leaves the
     * request unanswered (the connection is closed). Tests use it to kill a client at a chosen
     * request.
     */
    public volatile IntPredicate beforeContentGet = n -> true;
    private final List<Integer> statusesToInject = new CopyOnWriteArrayList<>();
    private final AtomicInteger dropsToInject = new AtomicInteger();
    private volatile boolean requireToken;

    /** The simulated network. */
    public final Link link = new Link();

    // Faults and variations, off by default.
    public volatile boolean ignoreRange;
    public volatile Duration stallAfterHeaders = Duration.ZERO;
    public volatile boolean stallApi;
    public volatile String cdnRedirectOverride;
    public volatile boolean omitLinkedSize;
    public volatile boolean blobsInApi = true;
    public volatile long apiFloodBytes;
    public volatile Duration signedUrlLifetime = Duration.ofHours(1);
    /** When not negative, every content body is cut after this many bytes (the connection closed). */
    public volatile long cutAfterBytes = -1;
    /** CDN answers refused because their signed URL had expired. */
    public final AtomicInteger expiredAnswers = new AtomicInteger();
    /** The next content requests answered 429 with these RateLimit headers. */
    private final List<String> rateLimitsToInject = new CopyOnWriteArrayList<>();

    public HubServer() throws IOException {
        hub = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        cdn = HttpServer.create(new InetSocketAddress(0), 0);
        hub.createContext("/", this::handleHub);
        cdn.createContext("/", this::handleCdn);
        hub.setExecutor(Executors.newCachedThreadPool(daemon()));
        cdn.setExecutor(Executors.newCachedThreadPool(daemon()));
        hub.start();
        cdn.start();
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r, "local-hub");
            t.setDaemon(true);
            return t;
        };
    }

    public String endpoint() {
        return "http://127.0.0.1:" + hub.getAddress().getPort();
    }

    public String cdnOrigin() {
        return "http://localhost:" + cdn.getAddress().getPort();
    }

    /** Serves {@code directory}'s files as {@code repo} at {@code revision}; returns the commit id. */
    public String serve(String repo, String revision, Path directory) {
        String commit = revision.matches("[0-9a-f]{40}") ? revision : sha1Hex(repo + "@" + revision + "@" + directory);
        Map<String, Path> revisions = repos.computeIfAbsent(repo, r -> new ConcurrentHashMap<>());
        revisions.put(revision, directory);
        revisions.put(commit, directory);
        commits.put(repo + "@" + revision, commit);
        commits.put(repo + "@" + commit, commit);
        if (!revision.equals(commit)) {
            List<String> names = branches.computeIfAbsent(repo, r -> new CopyOnWriteArrayList<>());
            names.remove(revision);
            names.add(revision);
        }
        return commit;
    }

    public String commit(String repo, String revision) {
        return commits.get(repo + "@" + revision);
    }

    public void requireToken() {
        requireToken = true;
    }

    /** The next content requests (resolve or CDN GETs) are answered with these statuses. */
    public void injectStatuses(Integer... statuses) {
        statusesToInject.addAll(List.of(statuses));
    }

    /** The next {@code n} CDN responses send their headers and half the body, then close. */
    public void dropConnections(int n) {
        dropsToInject.set(n);
    }

    /** The next content requests are answered 429 with {@code RateLimit} set to each of these values. */
    public void injectRateLimits(String... headers) {
        rateLimitsToInject.addAll(List.of(headers));
    }

    /** Forgets the content identities computed so far (after a test rewrote a served file). */
    public void forgetContent() {
        sha256s.clear();
    }

    // ---------------------------------------------------------------------------------------------

    private void handleHub(HttpExchange ex) throws IOException {
        try {
            requests.incrementAndGet();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                hubAuthorizations.add(auth);
            }
            if (!ex.getRequestURI().getRawPath().equals("/_stats")) {
                link.beforeAnswer();
            }
            if (requireToken && !("Bearer " + TOKEN).equals(auth)) {
                send(ex, 401, "{\"error\":\"unauthorized\"}");
                return;
            }
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            Matcher api = Pattern.compile("/api/models/([^/]+/[^/]+)/revision/([^/]+)").matcher(path);
            Matcher refs = Pattern.compile("/api/models/([^/]+/[^/]+)/refs").matcher(path);
            Matcher resolve = Pattern.compile("/([^/]+/[^/]+)/resolve/([^/]+)/(.+)").matcher(path);
            Matcher cached = Pattern.compile("/api/resolve-cache/models/([^/]+/[^/]+)/([0-9a-f]{40})/(.+)").matcher(path);
            if (path.equals("/_stats")) {
                // Not the Hub's: counters for benchmarks run against a standalone server.
                requests.decrementAndGet();
                send(ex, 200, "{\"requests\":" + requests.get() + ",\"api_requests\":" + apiRequests.get()
                        + ",\"range_requests\":" + rangeRequests.get() + ",\"content_bytes_sent\":"
                        + contentBytesSent.get() + "}");
                return;
            }
            if (cached.matches()) {
                serveSmallFile(ex, decode(cached.group(1)), decode(cached.group(2)), decode(cached.group(3)));
            } else if (api.matches()) {
                apiRequests.incrementAndGet();
                api(ex, decode(api.group(1)), decode(api.group(2)), query != null && query.contains("blobs=true"));
            } else if (refs.matches()) {
                apiRequests.incrementAndGet();
                refs(ex, decode(refs.group(1)));
            } else if (resolve.matches()) {
                resolve(ex, decode(resolve.group(1)), decode(resolve.group(2)), decode(resolve.group(3)));
            } else {
                send(ex, 404, "{\"error\":\"not found\"}");
            }
        } finally {
            ex.close();
        }
    }

    private void api(HttpExchange ex, String repo, String revision, boolean withBlobs) throws IOException {
        if (apiFloodBytes > 0) {
            flood(ex, apiFloodBytes);
            return;
        }
        Path dir = directory(repo, revision);
        if (dir == null) {
            send(ex, 404, "{\"error\":\"Repository not found\"}");
            return;
        }
        StringBuilder json = new StringBuilder("{\"id\":\"" + repo + "\",\"sha\":\"" + commit(repo, revision)
                + "\",\"siblings\":[");
        List<String> names = files(dir);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            json.append(i == 0 ? "" : ",").append("{\"rfilename\":\"").append(name).append('"');
            if (withBlobs && blobsInApi) {
                Path p = dir.resolve(name);
                long size = Files.size(p);
                json.append(",\"size\":").append(size);
                if (isLfs(name)) {
                    String sha = sha256(p);
                    String pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:" + sha + "\nsize " + size + "\n";
                    json.append(",\"blobId\":\"").append(gitBlobId(pointer.getBytes(StandardCharsets.UTF_8)))
                            .append("\",\"lfs\":{\"sha256\":\"").append(sha).append("\",\"size\":").append(size)
                            .append(",\"pointerSize\":").append(pointer.length()).append('}');
                } else {
                    json.append(",\"blobId\":\"").append(gitBlobId(Files.readAllBytes(p))).append('"');
                }
            }
            json.append('}');
        }
        json.append("]}");
        if (stallApi) {
            stall(ex, json.length());
            return;
        }
        send(ex, 200, json.toString());
    }

    private void refs(HttpExchange ex, String repo) throws IOException {
        List<String> names = branches.get(repo);
        if (names == null) {
            send(ex, 404, "{\"error\":\"Repository not found\"}");
            return;
        }
        StringBuilder json = new StringBuilder("{\"branches\":[");
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            json.append(i == 0 ? "" : ",").append("{\"name\":\"").append(n).append("\",\"ref\":\"refs/heads/")
                    .append(n).append("\",\"targetCommit\":\"").append(commit(repo, n)).append("\"}");
        }
        json.append("],\"tags\":[],\"converts\":[]}");
        send(ex, 200, json.toString());
    }

    /** An answer of {@code bytes} spaces with no Content-Length (chunked), as a broken or hostile API might send. */
    private void flood(HttpExchange ex, long bytes) throws IOException {
        ex.sendResponseHeaders(200, 0);
        byte[] spaces = new byte[1 << 16];
        java.util.Arrays.fill(spaces, (byte) ' ');
        OutputStream out = ex.getResponseBody();
        try {
            for (long sent = 0; sent < bytes; sent += spaces.length) {
                out.write(spaces, 0, (int) Math.min(spaces.length, bytes - sent));
            }
        } catch (IOException closedByClient) {
            // the client gave up: that is what it should do
        }
    }

    private static boolean isLfs(String file) {
        return file.endsWith(".safetensors") || file.endsWith(".bin") || file.endsWith(".onnx") || file.endsWith(".pt")
                || file.endsWith(".pth") || file.endsWith(".onnx_data");
    }

    private void resolve(HttpExchange ex, String repo, String revision, String file) throws IOException {
        Path dir = directory(repo, revision);
        Path p = dir == null ? null : dir.resolve(file);
        if (p == null || !Files.isRegularFile(p)) {
            ex.getResponseHeaders().set("X-Error-Code", "EntryNotFound");
            send(ex, 404, "{\"error\":\"Entry not found\"}");
            return;
        }
        String commit = commit(repo, revision);
        ex.getResponseHeaders().set("X-Repo-Commit", commit);
        if (isLfs(file)) {
            String sha256 = sha256(p);
            blobs.put(sha256, p);
            if (!omitLinkedSize) {
                ex.getResponseHeaders().set("X-Linked-Size", Long.toString(Files.size(p)));
            }
            ex.getResponseHeaders().set("X-Linked-Etag", "\"" + sha256 + "\"");
            ex.getResponseHeaders().set("ETag", "W/\"" + sha1Hex(file) + "\"");
            String location = cdnRedirectOverride != null ? cdnRedirectOverride
                    : cdnOrigin() + "/repos/blobs/" + sha256 + "?expires="
                    + (System.currentTimeMillis() + signedUrlLifetime.toMillis());
            ex.getResponseHeaders().set("Location", location);
            ex.sendResponseHeaders(302, -1);
            return;
        }
        // Small files: a relative redirect within the Hub, as the Hub does for its resolve cache.
        ex.getResponseHeaders().set("Location", "/api/resolve-cache/models/" + repo + "/" + commit + "/" + file + "?etag=x");
        ex.sendResponseHeaders(307, -1);
    }

    private void serveSmallFile(HttpExchange ex, String repo, String commit, String file) throws IOException {
        Path dir = directory(repo, commit);
        Path p = dir == null ? null : dir.resolve(file);
        if (p == null || !Files.isRegularFile(p)) {
            send(ex, 404, "{\"error\":\"Entry not found\"}");
            return;
        }
        if (inject(ex)) {
            return;
        }
        ex.getResponseHeaders().set("X-Repo-Commit", commit);
        ex.getResponseHeaders().set("ETag", "\"" + gitBlobId(Files.readAllBytes(p)) + "\"");
        serveFile(ex, p, false);
    }

    private void handleCdn(HttpExchange ex) throws IOException {
        try {
            requests.incrementAndGet();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                cdnAuthorizations.add(auth);
            }
            cdnHosts.add(ex.getRequestHeaders().getFirst("Host"));
            link.beforeAnswer();
            Matcher m = Pattern.compile("/repos/blobs/([0-9a-f]{64})").matcher(ex.getRequestURI().getRawPath());
            Path p = m.matches() ? blobs.get(m.group(1)) : null;
            if (p == null) {
                send(ex, 404, "NoSuchKey");
                return;
            }
            Matcher expires = Pattern.compile("(?:^|&)expires=(\\d+)").matcher(String.valueOf(ex.getRequestURI().getRawQuery()));
            if (expires.find() && Long.parseLong(expires.group(1)) < System.currentTimeMillis()) {
                expiredAnswers.incrementAndGet();
                send(ex, 403, "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>");
                return;
            }
            if (inject(ex)) {
                return;
            }
            // The CDN's ETag is its own (S3-like), not the sha256: derived from the content identity.
            ex.getResponseHeaders().set("ETag", "\"" + sha1Hex("cdn:" + sha256(p)) + "\"");
            serveFile(ex, p, "GET".equals(ex.getRequestMethod())
                    && dropsToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0);
        } finally {
            ex.close();
        }
    }

    private boolean inject(HttpExchange ex) throws IOException {
        if (!"GET".equals(ex.getRequestMethod())) {
            return false;
        }
        if (!rateLimitsToInject.isEmpty()) {
            String header = rateLimitsToInject.remove(0);
            injectedStatuses.incrementAndGet();
            ex.getResponseHeaders().set("RateLimit", header);
            ex.getResponseHeaders().set("RateLimit-Policy", "\"fixed window\";\"resolvers\";q=3000;w=300");
            send(ex, 429, "{\"error\":\"rate limited\"}");
            return true;
        }
        if (statusesToInject.isEmpty()) {
            return false;
        }
        int status = statusesToInject.remove(0);
        injectedStatuses.incrementAndGet();
        if (status == 429) {
            ex.getResponseHeaders().set("Retry-After", "0");
        }
        send(ex, status, "{\"error\":\"try again\"}");
        return true;
    }

    private void serveFile(HttpExchange ex, Path p, boolean drop) throws IOException {
        boolean get = "GET".equals(ex.getRequestMethod());
        if (get && !beforeContentGet.test(contentGets.incrementAndGet())) {
            return;
        }
        long size = Files.size(p);
        ex.getResponseHeaders().set("Accept-Ranges", "bytes");
        String range = ex.getRequestHeaders().getFirst("Range");
        long from = 0;
        long to = size - 1;
        int status = 200;
        if (range != null && !ignoreRange) {
            rangeRequests.incrementAndGet();
            Matcher m = Pattern.compile("bytes=(\\d{1,18})-(\\d{0,18})").matcher(range);
            if (!m.matches() || Long.parseLong(m.group(1)) >= size) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + size);
                send(ex, 416, "");
                return;
            }
            from = Long.parseLong(m.group(1));
            if (!m.group(2).isEmpty()) {
                to = Math.min(to, Long.parseLong(m.group(2)));
            }
            status = 206;
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + size);
        }
        long length = to - from + 1;
        if (!get) {
            ex.getResponseHeaders().set("Content-Length", Long.toString(length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, length);
        OutputStream out = ex.getResponseBody();
        if (!stallAfterHeaders.isZero()) {
            out.flush();
            sleep(stallAfterHeaders.toNanos());
        }
        long send = drop ? length / 2 : length;
        long cut = cutAfterBytes;
        if (cut >= 0 && cut < send) {
            send = cut;
            drop = true;
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            link.send(ch, from, send, out, contentBytesSent);
        }
        if (drop) {
            droppedConnections.incrementAndGet();
            out.flush();
            // Closing the exchange with bytes missing makes the server drop the connection.
        }
    }

    /** Headers, then nothing for the stall, then the body. */
    private void stall(HttpExchange ex, long length) throws IOException {
        ex.sendResponseHeaders(200, 0);
        ex.getResponseBody().flush();
        sleep(stallAfterHeaders.isZero() ? Duration.ofMinutes(10).toNanos() : stallAfterHeaders.toNanos());
    }

    private Path directory(String repo, String revision) {
        Map<String, Path> revisions = repos.get(repo);
        return revisions == null ? null : revisions.get(revision);
    }

    private static List<String> files(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.filter(Files::isRegularFile).forEach(p -> out.add(p.getFileName().toString()));
        }
        out.sort(null);
        return out;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        if (b.length == 0 || "HEAD".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void sleep(long nanos) {
        long until = System.nanoTime() + nanos;
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    public static String sha1Hex(String s) {
        return hex("SHA-1", s.getBytes(StandardCharsets.UTF_8));
    }

    /** The git blob id of a file's bytes: SHA-1 of {@code "blob <size>\0"} and the bytes. */
    static String gitBlobId(byte[] content) {
        byte[] header = ("blob " + content.length + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[header.length + content.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(content, 0, all, header.length, content.length);
        return hex("SHA-1", all);
    }

    private static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The sha256 of a served file, as the Hub's LFS object id. Files up to 2 GiB are hashed whole;
     * larger ones (the sparse 12B-shaped benchmark shards) by their size and a sample of their
     * blocks, which tells different synthetic files apart without reading tens of gigabytes.
     */
    String sha256(Path p) {
        String key;
        try {
            key = p.toAbsolutePath() + "\n" + Files.size(p) + "\n" + Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sha256s.computeIfAbsent(key, k -> {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                long size = ch.size();
                ByteBuffer buf = ByteBuffer.allocate(1 << 20);
                long step = size <= (2L << 30) ? buf.capacity() : 64L << 20;
                if (size > (2L << 30)) {
                    md.update(("sampled " + size).getBytes(StandardCharsets.UTF_8));
                }
                for (long at = 0; at < size; at += step) {
                    buf.clear();
                    int n = ch.read(buf, at);
                    if (n <= 0) {
                        break;
                    }
                    md.update(buf.array(), 0, n);
                }
                return HexFormat.of().formatHex(md.digest());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
    }

    /**
     * The simulated network: {@link #latency} before every answer's headers, and bodies sent at no
     * more than {@link #perConnection} bytes per second each and {@link #total} bytes per second
     * for all connections together (one shared schedule: each chunk takes its turn on the link).
     * Zero means unlimited.
     */
    public static final class Link {
        private volatile long latencyNanos;
        private volatile double perConnection;
        private volatile double total;
        private long linkFreeAt;

        /** Sets the link: round trip in milliseconds, rates in bytes per second (0: unlimited). */
        public void set(double latencyMillis, double perConnectionBytesPerSecond, double totalBytesPerSecond) {
            latencyNanos = (long) (latencyMillis * 1e6);
            perConnection = perConnectionBytesPerSecond;
            total = totalBytesPerSecond;
        }

        void beforeAnswer() {
            if (latencyNanos > 0) {
                sleep(latencyNanos);
            }
        }

        /** Sends {@code length} bytes of {@code ch} from {@code from}, paced. */
        void send(FileChannel ch, long from, long length, OutputStream out, AtomicLong counter) throws IOException {
            int chunk = 64 << 10;
            ByteBuffer buf = ByteBuffer.allocate(chunk);
            long start = System.nanoTime();
            long sent = 0;
            while (sent < length) {
                int n = (int) Math.min(chunk, length - sent);
                buf.clear().limit(n);
                int got = 0;
                while (got < n) {
                    int r = ch.read(buf, from + sent + got);
                    if (r < 0) {
                        // A sparse or shorter file: zeros, as a hole reads.
                        java.util.Arrays.fill(buf.array(), got, n, (byte) 0);
                        got = n;
                        break;
                    }
                    got += r;
                }
                pace(start, sent + n, n);
                // Counted before it is written: a client that has received a body's end can never see
                // a count without it.
                counter.addAndGet(n);
                out.write(buf.array(), 0, n);
                sent += n;
            }
        }

        private void pace(long start, long sentAfter, int n) {
            double t = total;
            if (t > 0) {
                long slot;
                synchronized (this) {
                    long now = System.nanoTime();
                    long begin = Math.max(now, linkFreeAt);
                    linkFreeAt = begin + (long) (n / t * 1e9);
                    slot = linkFreeAt;
                }
                sleepUntil(slot);
            }
            double c = perConnection;
            if (c > 0) {
                sleepUntil(start + (long) (sentAfter / c * 1e9));
            }
        }

        private static void sleepUntil(long nanoTime) {
            long left;
            while ((left = nanoTime - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
            }
        }
    }

    /**
     * Runs the server until killed: {@code --serve org/name@revision=DIR} (repeatable),
     * {@code --latency-ms MS}, {@code --connection-mbps MB}, {@code --link-mbps MB} (megabytes of
     * 10^6 bytes per second), {@code --endpoint-file FILE} (the endpoint URL is written there once
     * serving). Prints the endpoint on standard output.
     */
    public static void main(String[] args) throws Exception {
        HubServer server = new HubServer();
        double latency = 0;
        double connection = 0;
        double total = 0;
        Path endpointFile = null;
        Map<String, String> served = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--serve": {
                    String spec = args[++i];
                    int eq = spec.indexOf('=');
                    String id = spec.substring(0, eq);
                    int at = id.indexOf('@');
                    String repo = at < 0 ? id : id.substring(0, at);
                    String rev = at < 0 ? "main" : id.substring(at + 1);
                    served.put(id, server.serve(repo, rev, Paths.get(spec.substring(eq + 1))));
                    break;
                }
                case "--latency-ms":
                    latency = Double.parseDouble(args[++i]);
                    break;
                case "--connection-mbps":
                    connection = Double.parseDouble(args[++i]) * 1e6;
                    break;
                case "--link-mbps":
                    total = Double.parseDouble(args[++i]) * 1e6;
                    break;
                case "--endpoint-file":
                    endpointFile = Paths.get(args[++i]);
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        server.link.set(latency, connection, total);
        System.out.println(server.endpoint());
        served.forEach((id, commit) -> System.out.println(id + " -> " + commit));
        System.out.flush();
        if (endpointFile != null) {
            Path tmp = endpointFile.resolveSibling(endpointFile.getFileName() + ".tmp");
            Files.writeString(tmp, server.endpoint() + "\n");
            Files.move(tmp, endpointFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        Thread.currentThread().join();
    }

    /** Reads a stream to its end (tests). */
    static long drain(InputStream in) throws IOException {
        long n = 0;
        byte[] b = new byte[8192];
        int r;
        while ((r = in.read(b)) > 0) {
            n += r;
        }
        return n;
    }
}

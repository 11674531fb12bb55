package org.neuromfa.source.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local, Hub-shaped HTTP server for tests, modelled on the Hugging Face Hub's public behaviour:
 * {@code GET /api/models/{org}/{name}/revision/{rev}} (JSON with {@code sha} and
 * {@code siblings[].rfilename}), and {@code GET/HEAD /{org}/{name}/resolve/{rev}/{file}}, which
 * redirects small files within the Hub (a relative 307 to {@code /api/resolve-cache/...}, served
 * with {@code ETag} and {@code X-Repo-Commit}) and answers weight files
 * ({@code .safetensors}, {@code .bin}) with a 302 to a second server, the "CDN", carrying
 * {@code X-Linked-Size}, {@code X-Linked-Etag} (the sha256) and {@code X-Repo-Commit}. The CDN
 * listens on every local address and is addressed as {@code localhost}, the Hub as
 * {@code 127.0.0.1}: two origins (different host and port). Both support single Range requests.
 *
 * <p>Faults can be injected: statuses (429, 503) for the next content requests, and connections
 * dropped half way through a body.
 */
final class FakeHub implements AutoCloseable {
    static final String TOKEN = "hf_test_secret_token";

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
    private final Map<Path, byte[]> contents = new ConcurrentHashMap<>();
    private final Map<Path, String> sha256s = new ConcurrentHashMap<>();

    final AtomicLong contentBytesSent = new AtomicLong();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger droppedConnections = new AtomicInteger();
    final AtomicInteger injectedStatuses = new AtomicInteger();
    final List<String> hubAuthorizations = new CopyOnWriteArrayList<>();
    final List<String> cdnAuthorizations = new CopyOnWriteArrayList<>();
    final List<String> cdnHosts = new CopyOnWriteArrayList<>();
    /** Content GETs (small files and ranges) received so far. */
    final AtomicInteger contentGets = new AtomicInteger();
    /**
     * Asked with the running count of content GETs before each is answered; false leaves the
     * request unanswered (the connection is closed). Tests use it to kill a client at a chosen
     * request.
     */
    volatile java.util.function.IntPredicate beforeContentGet = n -> true;
    private final List<Integer> statusesToInject = new CopyOnWriteArrayList<>();
    private final AtomicInteger dropsToInject = new AtomicInteger();
    private volatile boolean requireToken;

    FakeHub() throws IOException {
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
            Thread t = new Thread(r, "fake-hub");
            t.setDaemon(true);
            return t;
        };
    }

    String endpoint() {
        return "http://127.0.0.1:" + hub.getAddress().getPort();
    }

    String cdnOrigin() {
        return "http://localhost:" + cdn.getAddress().getPort();
    }

    /** Serves {@code directory}'s files as {@code repo} at {@code revision}; returns the commit id. */
    String serve(String repo, String revision, Path directory) {
        String commit = sha1Hex(repo + "@" + revision + "@" + directory);
        Map<String, Path> revisions = repos.computeIfAbsent(repo, r -> new ConcurrentHashMap<>());
        revisions.put(revision, directory);
        revisions.put(commit, directory);
        commits.put(repo + "@" + revision, commit);
        commits.put(repo + "@" + commit, commit);
        return commit;
    }

    String commit(String repo, String revision) {
        return commits.get(repo + "@" + revision);
    }

    private byte[] content(Path p) {
        return contents.computeIfAbsent(p, f -> {
            try {
                return Files.readAllBytes(f);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    void requireToken() {
        requireToken = true;
    }

    /** The next content requests (resolve or CDN GETs) are answered with these statuses. */
    void injectStatuses(Integer... statuses) {
        statusesToInject.addAll(List.of(statuses));
    }

    /** The next {@code n} CDN responses send their headers and half the body, then close. */
    void dropConnections(int n) {
        dropsToInject.set(n);
    }

    private void handleHub(HttpExchange ex) throws IOException {
        try {
            requests.incrementAndGet();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                hubAuthorizations.add(auth);
            }
            if (requireToken && !("Bearer " + TOKEN).equals(auth)) {
                send(ex, 401, "{\"error\":\"unauthorized\"}");
                return;
            }
            String path = ex.getRequestURI().getRawPath();
            Matcher api = Pattern.compile("/api/models/([^/]+/[^/]+)/revision/([^/]+)").matcher(path);
            Matcher resolve = Pattern.compile("/([^/]+/[^/]+)/resolve/([^/]+)/(.+)").matcher(path);
            Matcher cached = Pattern.compile("/api/resolve-cache/models/([^/]+/[^/]+)/([0-9a-f]{40})/(.+)").matcher(path);
            if (cached.matches()) {
                serveSmallFile(ex, decode(cached.group(1)), decode(cached.group(2)), decode(cached.group(3)));
            } else if (api.matches()) {
                api(ex, decode(api.group(1)), decode(api.group(2)));
            } else if (resolve.matches()) {
                resolve(ex, decode(resolve.group(1)), decode(resolve.group(2)), decode(resolve.group(3)));
            } else {
                send(ex, 404, "{\"error\":\"not found\"}");
            }
        } finally {
            ex.close();
        }
    }

    private void api(HttpExchange ex, String repo, String revision) throws IOException {
        Path dir = directory(repo, revision);
        if (dir == null) {
            send(ex, 404, "{\"error\":\"Repository not found\"}");
            return;
        }
        StringBuilder json = new StringBuilder("{\"id\":\"" + repo + "\",\"sha\":\"" + commit(repo, revision)
                + "\",\"siblings\":[");
        List<String> names = files(dir);
        for (int i = 0; i < names.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"rfilename\":\"").append(names.get(i)).append("\"}");
        }
        json.append("]}");
        send(ex, 200, json.toString());
    }

    private void resolve(HttpExchange ex, String repo, String revision, String file) throws IOException {
        Path dir = directory(repo, revision);
        Path p = dir == null ? null : dir.resolve(file);
        if (p == null || !Files.isRegularFile(p)) {
            ex.getResponseHeaders().set("X-Error-Code", "EntryNotFound");
            send(ex, 404, "{\"error\":\"Entry not found\"}");
            return;
        }
        ex.getResponseHeaders().set("X-Repo-Commit", commit(repo, revision));
        if (file.endsWith(".safetensors") || file.endsWith(".bin")) {
            String sha256 = sha256s.computeIfAbsent(p, f -> {
                try {
                    return sha256Hex(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            blobs.put(sha256, p);
            ex.getResponseHeaders().set("X-Linked-Size", Long.toString(Files.size(p)));
            ex.getResponseHeaders().set("X-Linked-Etag", "\"" + sha256 + "\"");
            ex.getResponseHeaders().set("ETag", "W/\"" + sha1Hex(file) + "\"");
            ex.getResponseHeaders().set("Location", cdnOrigin() + "/repos/blobs/" + sha256 + "?expires=1");
            ex.sendResponseHeaders(302, -1);
            return;
        }
        // Small files: a relative redirect within the Hub, as the Hub does for its resolve cache.
        ex.getResponseHeaders().set("Location", "/api/resolve-cache/models/" + repo + "/" + commit(repo, revision)
                + "/" + file + "?etag=x");
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
        ex.getResponseHeaders().set("ETag", "\"" + sha1Hex(new String(content(p), StandardCharsets.ISO_8859_1)) + "\"");
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
            Matcher m = Pattern.compile("/repos/blobs/([0-9a-f]{64})").matcher(ex.getRequestURI().getRawPath());
            Path p = m.matches() ? blobs.get(m.group(1)) : null;
            if (p == null) {
                send(ex, 404, "NoSuchKey");
                return;
            }
            if (inject(ex)) {
                return;
            }
            ex.getResponseHeaders().set("ETag", "\"" + m.group(1) + "\"");
            serveFile(ex, p, "GET".equals(ex.getRequestMethod())
                    && dropsToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0);
        } finally {
            ex.close();
        }
    }

    private boolean inject(HttpExchange ex) throws IOException {
        if (!"GET".equals(ex.getRequestMethod()) || statusesToInject.isEmpty()) {
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
        if ("GET".equals(ex.getRequestMethod()) && !beforeContentGet.test(contentGets.incrementAndGet())) {
            return;
        }
        byte[] all = content(p);
        ex.getResponseHeaders().set("Accept-Ranges", "bytes");
        String range = ex.getRequestHeaders().getFirst("Range");
        int from = 0;
        int to = all.length - 1;
        int status = 200;
        if (range != null) {
            Matcher m = Pattern.compile("bytes=(\\d+)-(\\d*)").matcher(range);
            if (!m.matches() || Long.parseLong(m.group(1)) >= all.length) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + all.length);
                send(ex, 416, "");
                return;
            }
            from = Integer.parseInt(m.group(1));
            if (!m.group(2).isEmpty()) {
                to = (int) Math.min(to, Long.parseLong(m.group(2)));
            }
            status = 206;
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + all.length);
        }
        int length = to - from + 1;
        if ("HEAD".equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().set("Content-Length", Integer.toString(length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, length);
        OutputStream out = ex.getResponseBody();
        if (drop) {
            droppedConnections.incrementAndGet();
            int half = length / 2;
            out.write(all, from, half);
            out.flush();
            contentBytesSent.addAndGet(half);
            // Closing the exchange with bytes missing makes the server drop the connection.
            return;
        }
        out.write(all, from, length);
        contentBytesSent.addAndGet(length);
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

    static String sha1Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
    }

    static Map<String, String> env(FakeHub hub, Path cache, boolean offline) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HF_ENDPOINT", hub.endpoint());
        env.put("HF_TOKEN", TOKEN);
        env.put("HF_HUB_CACHE", cache.toString());
        if (offline) {
            env.put("HF_HUB_OFFLINE", "1");
        }
        return env;
    }

    static URI uri(String s) {
        return URI.create(s);
    }
}

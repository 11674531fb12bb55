package org.neuromfa.source.hub;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;

/**
 * How to reach the Hugging Face Hub, following the Hub's own environment conventions (as documented
 * for {@code huggingface_hub}): {@code HF_ENDPOINT} (default {@code https://huggingface.co}),
 * {@code HF_TOKEN}, {@code HF_HUB_CACHE} or {@code HF_HOME}/hub or
 * {@code $XDG_CACHE_HOME/huggingface/hub} or {@code ~/.cache/huggingface/hub},
 * {@code HF_HUB_OFFLINE} (1/true/yes/on) for cache-only runs, {@code HF_HUB_DOWNLOAD_TIMEOUT} (seconds
 * without a byte of an answer's body before the transfer is abandoned and retried, default 10) and
 * {@code HF_HUB_ETAG_TIMEOUT} (seconds to wait for an answer's headers, default 10). NeuroMFA's own:
 * {@code NEUROMFA_HUB_CONNECTIONS} (requests in flight at once, default {@value #DEFAULT_CONNECTIONS})
 * , {@code NEUROMFA_HUB_REQUEST_DEADLINE} (seconds one request may take in all, default
 * {@value #DEFAULT_DEADLINE_SECONDS}) and {@code NEUROMFA_HUB_LINK} ({@code MS:MB}: take the link's
 * round trip as MS milliseconds and each connection's rate as MB megabytes per second instead of
 * measuring them, which decides how reads are coalesced; {@code 0:1000} coalesces only touching ranges).
 *
 * <p>Built from a map so that tests can pass their own environment; the command line passes
 * {@code System.getenv()}. NeuroMFA keeps its range cache in a {@code neuromfa} sub-folder of the
 * Hub cache, so the official cache layout is never written to (it is read: a file that
 * {@code huggingface_hub} has already downloaded is used from there).
 */
public final class HubSettings {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    /**
     * Enough requests in flight to hide a round trip of tens of milliseconds when a plan is many
     * small ranges (one seed's rows); a plan of large ranges is limited by the link, not by this
     * (docs/BENCHMARKS.md, "Remote checkpoints at link speed").
     */
    public static final int DEFAULT_CONNECTIONS = 64;
    public static final int MAX_CONNECTIONS = 256;
    static final long DEFAULT_DEADLINE_SECONDS = 600;

    private final URI endpoint;
    private final String token;
    private final Path hubCache;
    private final boolean offline;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final int connections;
    private final Duration idleTimeout;
    private final Duration headerTimeout;
    private final Duration requestDeadline;
    private final Consumer<String> notices;
    /** A fixed link model, or null to measure. */
    private final double[] link;

    private HubSettings(URI endpoint, String token, Path hubCache, boolean offline, int maxAttempts,
                        Duration firstBackoff, Duration maxBackoff, int connections, Duration idleTimeout,
                        Duration headerTimeout, Duration requestDeadline, Consumer<String> notices, double[] link) {
        this.endpoint = endpoint;
        this.token = token;
        this.hubCache = hubCache;
        this.offline = offline;
        this.maxAttempts = maxAttempts;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.connections = connections;
        this.idleTimeout = idleTimeout;
        this.headerTimeout = headerTimeout;
        this.requestDeadline = requestDeadline;
        this.notices = notices;
        this.link = link;
    }

    /** Settings from environment variables ({@code System.getenv()} or a test's map). */
    public static HubSettings fromEnvironment(Map<String, String> env) {
        String endpointText = nonEmpty(env.get("HF_ENDPOINT"));
        if (endpointText == null) {
            endpointText = DEFAULT_ENDPOINT;
        }
        while (endpointText.endsWith("/")) {
            endpointText = endpointText.substring(0, endpointText.length() - 1);
        }
        URI endpoint;
        try {
            endpoint = URI.create(endpointText);
        } catch (IllegalArgumentException e) {
            throw new NeuroMfaException("HF_ENDPOINT", "not a URL: " + endpointText);
        }
        if (endpoint.getHost() == null || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
            throw new NeuroMfaException("HF_ENDPOINT", "not an http(s) URL: " + endpointText);
        }
        String token = nonEmpty(env.get("HF_TOKEN"));
        if (token == null) {
            token = nonEmpty(env.get("HUGGING_FACE_HUB_TOKEN"));
        }
        int connections = (int) number(env, "NEUROMFA_HUB_CONNECTIONS", DEFAULT_CONNECTIONS, 1, MAX_CONNECTIONS);
        Duration idle = Duration.ofMillis(Math.round(1000 * seconds(env, "HF_HUB_DOWNLOAD_TIMEOUT", 10)));
        Duration headers = Duration.ofMillis(Math.round(1000 * seconds(env, "HF_HUB_ETAG_TIMEOUT", 10)));
        Duration deadline = Duration.ofMillis(Math.round(1000 * seconds(env, "NEUROMFA_HUB_REQUEST_DEADLINE",
                DEFAULT_DEADLINE_SECONDS)));
        return new HubSettings(endpoint, token == null ? null : token.trim(), hubCache(env),
                isTrue(env.get("HF_HUB_OFFLINE")), 6, Duration.ofMillis(500), Duration.ofSeconds(30), connections,
                idle, headers, deadline, message -> { }, link(env));
    }

    private static double[] link(Map<String, String> env) {
        String v = nonEmpty(env.get("NEUROMFA_HUB_LINK"));
        if (v == null) {
            return null;
        }
        String[] parts = v.trim().split(":");
        try {
            if (parts.length == 2) {
                double ms = Double.parseDouble(parts[0]);
                double mb = Double.parseDouble(parts[1]);
                if (ms >= 0 && mb > 0 && Double.isFinite(ms) && Double.isFinite(mb)) {
                    return new double[] {ms / 1000, mb * 1e6};
                }
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new NeuroMfaException("NEUROMFA_HUB_LINK", "must be MS:MB (round trip in milliseconds, megabytes per"
                + " second per connection), not '" + v + "'");
    }

    private static long number(Map<String, String> env, String name, long fallback, long min, long max) {
        String v = nonEmpty(env.get(name));
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new NeuroMfaException(name, "must be a whole number from " + min + " to " + max + ", not '" + v + "'");
    }

    private static double seconds(Map<String, String> env, String name, double fallback) {
        String v = nonEmpty(env.get(name));
        if (v == null) {
            return fallback;
        }
        try {
            double s = Double.parseDouble(v.trim());
            if (s > 0 && s <= 86_400) {
                return s;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new NeuroMfaException(name, "must be a number of seconds above 0, not '" + v + "'");
    }

    static Path hubCache(Map<String, String> env) {
        String hubCache = nonEmpty(env.get("HF_HUB_CACHE"));
        if (hubCache != null) {
            return expandHome(hubCache, env);
        }
        String home = nonEmpty(env.get("HF_HOME"));
        if (home != null) {
            return expandHome(home, env).resolve("hub");
        }
        String xdg = nonEmpty(env.get("XDG_CACHE_HOME"));
        if (xdg != null) {
            return expandHome(xdg, env).resolve("huggingface").resolve("hub");
        }
        return userHome(env).resolve(".cache").resolve("huggingface").resolve("hub");
    }

    private static Path expandHome(String path, Map<String, String> env) {
        if (path.equals("~") || path.startsWith("~/")) {
            return userHome(env).resolve(path.substring(Math.min(2, path.length())));
        }
        return Paths.get(path);
    }

    private static Path userHome(Map<String, String> env) {
        String home = nonEmpty(env.get("HOME"));
        return Paths.get(home != null ? home : System.getProperty("user.home"));
    }

    private static boolean isTrue(String value) {
        if (value == null) {
            return false;
        }
        String v = value.trim().toUpperCase(Locale.ROOT);
        return v.equals("1") || v.equals("ON") || v.equals("YES") || v.equals("TRUE");
    }

    private static String nonEmpty(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The same settings with another retry schedule (tests use millisecond back-offs). */
    public HubSettings withRetries(int attempts, Duration first, Duration max) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        return new HubSettings(endpoint, token, hubCache, offline, attempts, first, max, connections, idleTimeout,
                headerTimeout, requestDeadline, notices, link);
    }

    /** The same settings with at most {@code n} requests in flight (the command line's {@code --connections}). */
    public HubSettings withConnections(int n) {
        if (n < 1 || n > MAX_CONNECTIONS) {
            throw new NeuroMfaException(Message.setting("connections") + " must be from 1 to " + MAX_CONNECTIONS + ", not " + n);
        }
        return new HubSettings(endpoint, token, hubCache, offline, maxAttempts, firstBackoff, maxBackoff, n,
                idleTimeout, headerTimeout, requestDeadline, notices, link);
    }

    /** The same settings with other time limits: headers, idle body, whole request. */
    public HubSettings withTimeouts(Duration headers, Duration idle, Duration deadline) {
        return new HubSettings(endpoint, token, hubCache, offline, maxAttempts, firstBackoff, maxBackoff, connections,
                idle, headers, deadline, notices, link);
    }

    /**
     * The same settings, telling {@code notices} what a user should know about the transfer while it
     * runs (a server that ignores Range, a rate limit being waited out): one line each, no prefix.
     */
    public HubSettings withNotices(Consumer<String> notices) {
        return new HubSettings(endpoint, token, hubCache, offline, maxAttempts, firstBackoff, maxBackoff, connections,
                idleTimeout, headerTimeout, requestDeadline, notices, link);
    }

    /** The Hub's base URL, without a trailing slash. */
    public URI endpoint() {
        return endpoint;
    }

    /** The access token, or null. Sent only to the endpoint's own origin. */
    public String token() {
        return token;
    }

    /** The standard {@code huggingface_hub} cache (read, never written). */
    public Path hubCache() {
        return hubCache;
    }

    /** NeuroMFA's own folder inside the Hub cache. */
    public Path cacheDirectory() {
        return hubCache.resolve("neuromfa");
    }

    public boolean offline() {
        return offline;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration firstBackoff() {
        return firstBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** Requests in flight at most. */
    public int connections() {
        return connections;
    }

    /** How long an answer's body may send nothing before the transfer is abandoned (and retried). */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** How long to wait for an answer's headers. */
    public Duration headerTimeout() {
        return headerTimeout;
    }

    /** How long one request may take in all, headers and body. */
    public Duration requestDeadline() {
        return requestDeadline;
    }

    /** The same settings with a fixed link model (round trip in seconds, bytes per second per connection). */
    public HubSettings withLink(double latencySeconds, double bytesPerSecond) {
        return new HubSettings(endpoint, token, hubCache, offline, maxAttempts, firstBackoff, maxBackoff, connections,
                idleTimeout, headerTimeout, requestDeadline, notices, new double[] {latencySeconds, bytesPerSecond});
    }

    /** The fixed link model {@code {latency seconds, bytes per second}}, or null when it is measured. */
    double[] link() {
        return link == null ? null : link.clone();
    }

    /** Where one-line notices about transfers go. */
    public Consumer<String> notices() {
        return notices;
    }
}

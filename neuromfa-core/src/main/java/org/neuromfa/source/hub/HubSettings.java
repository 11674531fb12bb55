package org.neuromfa.source.hub;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.neuromfa.NeuroMfaException;

/**
 * How to reach the Hugging Face Hub, following the Hub's own environment conventions (as documented
 * for {@code huggingface_hub}): {@code HF_ENDPOINT} (default {@code https://huggingface.co}),
 * {@code HF_TOKEN}, {@code HF_HUB_CACHE} or {@code HF_HOME}/hub or
 * {@code $XDG_CACHE_HOME/huggingface/hub} or {@code ~/.cache/huggingface/hub}, and
 * {@code HF_HUB_OFFLINE} (1/true/yes/on) for cache-only runs.
 *
 * <p>Built from a map so that tests can pass their own environment; the command line passes
 * {@code System.getenv()}. NeuroMFA keeps its range cache in a {@code neuromfa} sub-folder of the
 * Hub cache, so the official cache layout is never touched.
 */
public final class HubSettings {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    private final URI endpoint;
    private final String token;
    private final Path cacheDirectory;
    private final boolean offline;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Duration maxBackoff;

    private HubSettings(URI endpoint, String token, Path cacheDirectory, boolean offline, int maxAttempts,
                        Duration firstBackoff, Duration maxBackoff) {
        this.endpoint = endpoint;
        this.token = token;
        this.cacheDirectory = cacheDirectory;
        this.offline = offline;
        this.maxAttempts = maxAttempts;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
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
        return new HubSettings(endpoint, token == null ? null : token.trim(), hubCache(env).resolve("neuromfa"),
                isTrue(env.get("HF_HUB_OFFLINE")), 6, Duration.ofMillis(500), Duration.ofSeconds(30));
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
        return new HubSettings(endpoint, token, cacheDirectory, offline, attempts, first, max);
    }

    /** The Hub's base URL, without a trailing slash. */
    public URI endpoint() {
        return endpoint;
    }

    /** The access token, or null. Sent only to the endpoint's own origin. */
    public String token() {
        return token;
    }

    /** NeuroMFA's own folder inside the Hub cache. */
    public Path cacheDirectory() {
        return cacheDirectory;
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
}

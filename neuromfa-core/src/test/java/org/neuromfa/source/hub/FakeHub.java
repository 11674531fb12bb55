package org.neuromfa.source.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neuromfa.testhub.HubServer;

/**
 * The project's local Hub-shaped server ({@link HubServer}, module neuromfa-testhub) with the
 * helpers this package's tests share: an environment pointing the client at it, and hashes.
 */
final class FakeHub extends HubServer {
    static final String TOKEN = HubServer.TOKEN;

    FakeHub() throws IOException {
        super();
        LinkModel.reset();
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

    static String sha256Hex(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.neuromfa.source.hub;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Core's local Hub-shaped server ({@link FakeHub}) for the Spark module's tests. */
public final class LocalHub implements AutoCloseable {
    public static final String TOKEN = FakeHub.TOKEN;
    private final FakeHub hub;

    public LocalHub() throws IOException {
        hub = new FakeHub();
    }

    public String endpoint() {
        return hub.endpoint();
    }

    /** Serves {@code directory}'s files as {@code repo} at {@code revision}. */
    public void serve(String repo, String revision, Path directory) {
        hub.serve(repo, revision, directory);
    }

    /** Answers only requests that carry {@link #TOKEN}. */
    public void requireToken() {
        hub.requireToken();
    }

    public List<String> hubAuthorizations() {
        return hub.hubAuthorizations;
    }

    /** Bytes of file content sent so far. */
    public long contentBytesSent() {
        return hub.contentBytesSent.get();
    }

    public int requests() {
        return hub.requests.get();
    }

    @Override
    public void close() {
        hub.close();
    }
}

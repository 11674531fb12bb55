package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.testhub.HubServer;

/**
 * Hostile and broken servers as a user meets them on the command line: exit code 2, one line on
 * stderr naming the URL (or file) and the cause, no stack trace (the library-level cases are in
 * neuromfa-core's HostileHubTest); and a full disk while writing the cache, the result store or
 * {@code --json} names the file.
 */
class HostileHubCommandTest {
    @TempDir
    Path tmp;

    HubServer hub;
    final Path fixture = Cli.golden("neox-d96-l3-rowscaled-bf16");

    @BeforeEach
    void start() throws IOException {
        hub = new HubServer();
        hub.serve("golden/bf16", "main", fixture);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private Map<String, String> env(Path cache) {
        Map<String, String> env = new HashMap<>();
        env.put("HF_ENDPOINT", hub.endpoint());
        env.put("HF_HUB_CACHE", cache.toString());
        env.put("HF_HUB_DOWNLOAD_TIMEOUT", "0.3");
        return env;
    }

    private static void assertOneLineExit2(Cli r, String... parts) {
        assertThat(r.exitCode).as(r.toString()).isEqualTo(2);
        String err = r.err.trim();
        assertThat(err).doesNotContain("\n").startsWith("neuromfa: ").doesNotContain("Exception").doesNotContain("\tat ");
        for (String p : parts) {
            assertThat(err).contains(p);
        }
    }

    @Test
    void aRedirectToAFileUrlIsExit2NamingTheScheme() {
        hub.cdnRedirectOverride = "file:///etc/passwd";
        Cli r = Cli.runWithEnv(env(tmp.resolve("c")), "analyze", "golden/bf16", "--samples", "1", "--nodes-per-layer", "12");
        assertOneLineExit2(r, "model.safetensors", "redirected to a file: URL");
    }

    @Test
    void anUnknownHostIsExit2AtOnce() {
        Map<String, String> env = env(tmp.resolve("c"));
        env.put("HF_ENDPOINT", "http://no-such-host.invalid");
        long start = System.nanoTime();
        Cli r = Cli.runWithEnv(env, "analyze", "golden/bf16", "--samples", "1");
        assertOneLineExit2(r, "cannot resolve host no-such-host.invalid");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aStallingStorageHostIsExit2InBoundedTime() {
        hub.stallAfterHeaders = Duration.ofSeconds(60);
        Map<String, String> env = env(tmp.resolve("c"));
        long start = System.nanoTime();
        Cli r = Cli.runWithEnv(env, "analyze", "golden/bf16", "--samples", "1", "--nodes-per-layer", "12");
        assertOneLineExit2(r, "no data for 0.3 s");
        // Six attempts with back-off (0.5 s doubling): well under a minute.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(40));
    }

    @Test
    void aFullDiskNamesTheFileItWasWriting() throws Exception {
        Path small = Files.createDirectories(tmp.resolve("small"));
        assumeTrue(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", small.toString())
                .redirectErrorStream(true).start().waitFor() == 0, "cannot mount a small tmpfs here (needs root)");
        try {
            // The Hub cache on the full disk.
            Cli cache = Cli.runWithEnv(env(small.resolve("cache")), "analyze", "golden/bf16", "--samples", "1",
                    "--nodes-per-layer", "12");
            assertOneLineExit2(cache, small.toString(), "no space left on device");
            new ProcessBuilder("sh", "-c", "rm -rf " + small + "/*").start().waitFor();

            // The result store on the full disk (the checkpoint itself is local).
            Files.createDirectories(small.resolve("store"));
            fill(small.resolve("filler"));
            Cli store = Cli.runWithEnv(env(tmp.resolve("c2")), "trajectory", fixture.toString(), "--samples", "1",
                    "--nodes-per-layer", "12", "--store", small.resolve("store").toString());
            assertOneLineExit2(store, small.resolve("store").toString(), "no space left on device");

            // --json on the full disk.
            Cli json = Cli.runWithEnv(env(tmp.resolve("c3")), "analyze", fixture.toString(), "--samples", "1",
                    "--nodes-per-layer", "12", "--json", small.resolve("out.json").toString());
            assertOneLineExit2(json, small.resolve("out.json").toString(), "no space left on device");
            assertThat(r(small.resolve("out.json"))).isFalse();
        } finally {
            new ProcessBuilder("umount", "-l", small.toString()).start().waitFor();
        }
    }

    /** Writes to {@code file} until the disk is full. */
    private static void fill(Path file) {
        try (var out = Files.newOutputStream(file)) {
            byte[] block = new byte[1024];
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            // full
        }
    }

    private static boolean r(Path p) {
        return Files.exists(p);
    }
}

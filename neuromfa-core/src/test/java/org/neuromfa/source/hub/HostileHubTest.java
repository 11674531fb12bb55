package org.neuromfa.source.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.golden.Golden;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointResult;

/**
 * The remote path against servers that misbehave (issue 13): every case ends in bounded time,
 * with the numbers of a local run or a one-line {@link NeuroMfaException} that names the URL and
 * the cause; nothing wrong is ever cached or mixed. Each case starts from a fresh cache.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileHubTest {
    @TempDir
    Path tmp;

    FakeHub hub;
    final Path fixture = Golden.dir("neox-d96-l3-rowscaled-bf16");
    final List<String> notices = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub();
        hub.serve("golden/bf16", "main", fixture);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    /**
     * Short limits: headers within 10 s, no silence over 0.3 s (stall tests) or 3 s (the others,
     * which must not fail on a busy machine), 20 s per request, two attempts.
     */
    HubSettings settings() {
        return settings(FakeHub.env(hub, tmp.resolve("cache"), false));
    }

    HubSettings settings(Map<String, String> env) {
        return HubSettings.fromEnvironment(env).withRetries(2, Duration.ofMillis(1), Duration.ofMillis(5))
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(3), Duration.ofSeconds(20))
                .withNotices(notices::add);
    }

    HubSettings stallSettings() {
        return settings().withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(300), Duration.ofSeconds(20));
    }

    AnalysisOptions options() throws IOException {
        return HubSourceTest.options(fixture, 2);
    }

    CheckpointResult analyse(HubSettings s) throws IOException {
        return HubSourceTest.analyse("golden/bf16", s, options(), 2);
    }

    CheckpointResult local() throws IOException {
        return HubSourceTest.analyse(fixture.toString(), null, options(), 1);
    }

    static void assertOneLine(Throwable t, String... parts) {
        assertThat(t).isInstanceOf(NeuroMfaException.class).hasMessageNotContaining("\n");
        for (String p : parts) {
            assertThat(t.getMessage()).contains(p);
        }
    }

    private static long elapsedMillis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aStorageHostThatSendsHeadersAndThenNothingIsAbandonedInBoundedTime() {
        hub.stallAfterHeaders = Duration.ofSeconds(30);
        long start = System.nanoTime();
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> analyse(stallSettings()));
        assertOneLine(t, "failed after 2 attempts", "no data for 0.3 s after 0 of");
        assertThat(elapsedMillis(start)).isLessThan(10_000);
    }

    @Test
    void anApiThatSendsHeadersAndThenNothingIsAbandonedInBoundedTime() {
        hub.stallApi = true;
        hub.stallAfterHeaders = Duration.ofSeconds(30);
        long start = System.nanoTime();
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> analyse(stallSettings()));
        assertOneLine(t, "golden/bf16@main", "failed after 2 attempts", "no data for 0.3 s");
        assertThat(elapsedMillis(start)).isLessThan(10_000);
    }

    @Test
    void anEndlessApiAnswerIsRefusedAtItsLimitWithoutExhaustingMemory() {
        hub.apiFloodBytes = 3L << 30;
        long start = System.nanoTime();
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> analyse(settings()));
        assertOneLine(t, "golden/bf16@main", "larger than the limit of " + HubCheckpointFiles.MAX_WHOLE_FILE);
        assertThat(elapsedMillis(start)).isLessThan(30_000);
    }

    @Test
    void aStorageHostIgnoringRangeIsReadWholeOnceAndSaysSo() throws IOException {
        hub.ignoreRange = true;
        CheckpointResult r = analyse(settings());
        assertThat(HubSourceTest.numbers(r)).isEqualTo(HubSourceTest.numbers(local()));
        long size = Files.size(fixture.resolve("model.safetensors")) + Files.size(fixture.resolve("config.json"));
        // Every parallel request that met the 200 gave up at once but for one, which streamed the file.
        assertThat(hub.contentBytesSent.get()).isLessThanOrEqualTo(3 * size);
        assertThat(notices).anySatisfy(n -> assertThat(n).contains("ignored Range").contains("model.safetensors"));
        assertThat(notices.stream().filter(n -> n.contains("model.safetensors")).count()).isEqualTo(1);
        // All of it is cached: a second run (Range still ignored) transfers nothing.
        long sent = hub.contentBytesSent.get();
        CheckpointResult again = analyse(settings());
        assertThat(again.bytesRead).isZero();
        assertThat(hub.contentBytesSent.get()).isEqualTo(sent);
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://example.invalid/x", "jar:file:/x.jar!/y", "javascript:alert(1)"})
    void aRedirectToAnotherSchemeIsRefusedNamingIt(String location) {
        hub.cdnRedirectOverride = location;
        String scheme = location.substring(0, location.indexOf(':'));
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> analyse(settings()));
        assertOneLine(t, "model.safetensors", "redirected to a " + scheme + ": URL; only http and https are followed");
    }

    @Test
    void withoutXLinkedSizeTheSizeComesFromTheRedirectTarget() throws IOException {
        hub.omitLinkedSize = true;
        hub.blobsInApi = false;
        CheckpointResult r = analyse(settings());
        assertThat(HubSourceTest.numbers(r)).isEqualTo(HubSourceTest.numbers(local()));
        assertThat(r.bytesTotal).isEqualTo(Files.size(fixture.resolve("model.safetensors")));
    }

    @Test
    void contentChangedUnderTheSameCommitIsFetchedAgainNeverMixed() throws IOException {
        Path dir = tmp.resolve("served");
        Files.createDirectories(dir);
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(fixture.resolve(f), dir.resolve(f));
        }
        hub.serve("golden/changing", "main", dir);
        AnalysisOptions options = options();
        CheckpointResult before = HubSourceTest.analyse("golden/changing", settings(), options, 2);
        // The same commit now serves other bytes of the same size: the last mantissa bit of every
        // bf16 weight flipped (its low byte holds the low mantissa bits).
        byte[] bytes = Files.readAllBytes(dir.resolve("model.safetensors"));
        long headerLength = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        for (int i = (int) (8 + headerLength); i < bytes.length; i += 2) {
            bytes[i] ^= 0x01;
        }
        Files.write(dir.resolve("model.safetensors"), bytes);
        hub.forgetContent();
        CheckpointResult changed = HubSourceTest.analyse(dir.toString(), null, options, 1);
        assertThat(changed.fingerprint).isNotEqualTo(before.fingerprint);

        CheckpointResult after = HubSourceTest.analyse("golden/changing", settings(), options, 2);
        assertThat(after.commit).isEqualTo(before.commit);
        assertThat(HubSourceTest.numbers(after)).isEqualTo(HubSourceTest.numbers(changed));
        assertThat(after.bytesRead).isPositive();
    }

    @Test
    void aRefusedConnectionAndAnUnknownHostAreNamed() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = FakeHub.env(hub, tmp.resolve("cache"), false);
        env.put("HF_ENDPOINT", "http://127.0.0.1:" + port);
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> analyse(settings(env)));
        assertOneLine(refused, "golden/bf16@main", "connection refused by 127.0.0.1:" + port);

        env.put("HF_ENDPOINT", "http://no-such-host.invalid");
        long start = System.nanoTime();
        Throwable unknown = org.assertj.core.api.Assertions.catchThrowable(() -> analyse(settings(env)));
        assertOneLine(unknown, "golden/bf16@main", "cannot resolve host no-such-host.invalid");
        assertThat(unknown.getMessage()).doesNotContain("attempts");
        assertThat(elapsedMillis(start)).isLessThan(5_000);
    }

    @Test
    void aBodyCutShortSaysHowMuchArrived() {
        hub.cutAfterBytes = 0;
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> analyse(stallSettings()));
        assertOneLine(t, "failed after 2 attempts", "received 0 of ");
    }

    @Test
    void aRateLimitIsWaitedOutAsTheHeadersSay() throws IOException {
        hub.injectRateLimits("\"resolvers\";r=0;t=1");
        long start = System.nanoTime();
        CheckpointResult r = analyse(settings().withRetries(3, Duration.ofMillis(1), Duration.ofMillis(5)));
        assertThat(elapsedMillis(start)).isGreaterThanOrEqualTo(1000);
        assertThat(HubSourceTest.numbers(r)).isEqualTo(HubSourceTest.numbers(local()));

        // Enough of them that the reads themselves meet one, not only the head start of the headers.
        for (int i = 0; i < 8; i++) {
            hub.injectRateLimits("\"resolvers\";r=0;t=3600");
        }
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> HubSourceTest.analyse("golden/bf16",
                settings(FakeHub.env(hub, tmp.resolve("other-cache"), false)), options(), 1));
        assertOneLine(t, "rate limited by", "for 3600 s", "try again later");
    }

    @Test
    void anExpiredSignedUrlIsResolvedAgain() throws IOException {
        hub.signedUrlLifetime = Duration.ofMillis(1500);
        // Slow answers, so that the run outlives its signed URLs.
        hub.link.set(100, 0, 0);
        // Many small requests on two connections: the run lasts several lifetimes of a URL, and each
        // fresh one has plenty of time left when it is used.
        CheckpointResult r = HubSourceTest.analyse("golden/bf16", settings().withLink(0, 1e9).withConnections(2),
                options(), 1);
        assertThat(HubSourceTest.numbers(r)).isEqualTo(HubSourceTest.numbers(local()));
        assertThat(hub.expiredAnswers.get()).isPositive();
    }

    @Test
    void aConfigOverTheLimitIsRefusedOverTheHubAsOnDisk() throws IOException {
        Path dir = tmp.resolve("big-config");
        Files.createDirectories(dir);
        Files.copy(fixture.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("config.json").toFile(), "rw")) {
            f.setLength(100L << 20);
        }
        hub.serve("golden/bigconfig", "main", dir);
        Throwable remote = org.assertj.core.api.Assertions.catchThrowable(() -> HubSourceTest.analyse("golden/bigconfig",
                settings(), options(), 1));
        assertOneLine(remote, "config.json", "larger than the limit of " + HubCheckpointFiles.MAX_WHOLE_FILE);
        long sent = hub.contentBytesSent.get();
        assertThat(sent).isLessThan(1 << 20);
        Throwable local = org.assertj.core.api.Assertions.catchThrowable(() -> HubSourceTest.analyse(dir.toString(),
                null, options(), 1));
        assertOneLine(local, "config.json", "larger than the limit of " + HubCheckpointFiles.MAX_WHOLE_FILE);
    }

    @Test
    void fifosAndDevicesAreRefusedAsConfigurationOrWeights() throws Exception {
        assumeTrue(Files.exists(Path.of("/usr/bin/mkfifo")) || Files.exists(Path.of("/bin/mkfifo")), "mkfifo is not available");
        Path dir = tmp.resolve("fifo");
        Files.createDirectories(dir);
        Files.copy(fixture.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        assertThat(new ProcessBuilder("mkfifo", dir.resolve("config.json").toString()).start().waitFor()).isZero();
        Throwable config = org.assertj.core.api.Assertions.catchThrowable(() -> Checkpoint.open(dir));
        assertOneLine(config, "config.json", "not a regular file");

        Path zero = tmp.resolve("zero");
        Files.createDirectories(zero);
        Files.copy(fixture.resolve("model.safetensors"), zero.resolve("model.safetensors"));
        Files.createSymbolicLink(zero.resolve("config.json"), Path.of("/dev/zero"));
        Throwable device = org.assertj.core.api.Assertions.catchThrowable(() -> Checkpoint.open(zero));
        assertOneLine(device, "config.json", "not a regular file");
        Files.delete(zero.resolve("config.json"));

        Path weights = tmp.resolve("weights.safetensors");
        assertThat(new ProcessBuilder("mkfifo", weights.toString()).start().waitFor()).isZero();
        Throwable fifo = org.assertj.core.api.Assertions.catchThrowable(() -> Checkpoint.open(weights));
        assertOneLine(fifo, weights.toString(), "not a regular file");
    }

    @Test
    void aFullDiskWhileCachingNamesTheFile() throws Exception {
        Path mount = tmp.resolve("small-disk");
        Files.createDirectories(mount);
        assumeTrue(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount.toString())
                .redirectErrorStream(true).start().waitFor() == 0, "cannot mount a small tmpfs here (needs root)");
        try {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> analyse(settings(
                    FakeHub.env(hub, mount, false))));
            assertOneLine(t, mount.toString(), "no space left on device");
        } finally {
            new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor();
        }
    }
}

package org.neuromfa.source.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.golden.Golden;
import org.neuromfa.base.AtomicFiles;
import org.neuromfa.io.ResultJson;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointResult;

/**
 * An analysis of a Hub model ({@link FakeHub} serving a golden fixture over real HTTP) in a real
 * JVM ({@link HubAnalysisProcess}), killed with SIGKILL ({@link Process#destroyForcibly} on Linux)
 * while it fills the cache: at its first, a third's and two thirds' content request (the
 * process then waits for that answer while its other fetch threads receive and store ranges), and
 * twice in a row on the same cache, the second time at a seeded random moment after a request
 * (mid-transfer, mid-write or mid-computation). After every kill the cache holds only exact ranges
 * (every range its logs vouch for has the original file's bytes), and the next run on that cache
 * succeeds, transfers only bytes the cache lacked (each byte it receives is a byte newly cached),
 * and writes the JSON of an uninterrupted run (all but {@code bytes_read}, which counts the
 * transfer); an offline run then needs nothing more.
 */
class HubCrashSafetyTest {
    private static final String REPO = "golden/bf16";
    private static final int SAMPLES = 2;
    private static final int THREADS = 2;

    @TempDir
    Path tmp;

    FakeHub hub;
    final Path fixture = Golden.dir("neox-d96-l3-rowscaled-bf16");
    final ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "killer");
        t.setDaemon(true);
        return t;
    });

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub();
        hub.serve(REPO, "main", fixture);
    }

    @AfterEach
    void stop() {
        hub.beforeContentGet = n -> true;
        hub.close();
        killer.shutdownNow();
    }

    /** Kill at the process's {@code request}-th content request, {@code delayMillis} after it arrives. */
    private record Kill(int request, int delayMillis) {
    }

    private Process start(Path cache, Path json, Path log) throws IOException {
        AnalysisOptions o = HubSourceTest.options(fixture, SAMPLES);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), HubAnalysisProcess.class.getName(), REPO,
                Integer.toString(SAMPLES), Integer.toString(o.nodesPerLayer()), Double.toString(o.threshold()),
                Integer.toString(THREADS), json.toString());
        pb.environment().putAll(FakeHub.env(hub, cache, false));
        // No coalescing across gaps: many small requests to kill the process between.
        pb.environment().put("NEUROMFA_HUB_LINK", "0:1000");
        return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The JSON without {@code bytes_read}, the one field a resumed run must differ in. */
    private static String comparable(byte[] json) throws IOException {
        ObjectNode o = (ObjectNode) ResultJson.MAPPER.readTree(json);
        assertThat(o.remove("bytes_read")).isNotNull();
        return new String(ResultJson.bytes(o), java.nio.charset.StandardCharsets.UTF_8);
    }

    private HubSettings settings(Path cache, boolean offline) {
        return HubSettings.fromEnvironment(FakeHub.env(hub, cache, offline))
                .withRetries(3, Duration.ofMillis(1), Duration.ofMillis(5)).withLink(0, 1e9);
    }

    /** Checks that every cached range is exact and nothing but our entries is in the cache; returns the cached bytes. */
    private long assertCacheIsSound(Path cache) throws IOException {
        long bytes = 0;
        Path blobs = settings(cache, false).cacheDirectory().resolve("blobs");
        if (Files.isDirectory(blobs)) {
            try (Stream<Path> s = Files.list(blobs)) {
                for (Path blob : (Iterable<Path>) s::iterator) {
                    String name = blob.getFileName().toString();
                    String file = name.startsWith("sha256-") ? "model.safetensors" : "config.json";
                    byte[] original = Files.readAllBytes(fixture.resolve(file));
                    if (Blob.dataFile(blob) != null) {
                        bytes += HubCacheTest.bytes(HubCacheTest.assertRangesAreExact(blob, original));
                    }
                }
            }
        }
        if (Files.isDirectory(cache)) {
            try (Stream<Path> s = Files.walk(cache)) {
                s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).forEach(n -> assertThat(
                        n.equals("meta.json") || n.equals("files.json") || n.equals("main") || n.endsWith(".data")
                                || n.endsWith(".extents") || AtomicFiles.isTemporary(n))
                        .as("unexpected file %s in the cache", n).isTrue());
            }
        }
        return bytes;
    }

    /** Runs the analysis in a new JVM on {@code cache} and kills it as {@code kill} says; returns its exit code. */
    private int runAndKill(Path cache, Kill kill, Path json, Path log) throws Exception {
        CompletableFuture<Process> victim = new CompletableFuture<>();
        int base = hub.contentGets.get();
        hub.beforeContentGet = n -> {
            if (n - base != kill.request()) {
                return true;
            }
            Process p = victim.join();
            if (kill.delayMillis() > 0) {
                killer.schedule(p::destroyForcibly, kill.delayMillis(), TimeUnit.MILLISECONDS);
                return true;
            }
            p.destroyForcibly();
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        };
        try {
            Process p = start(cache, json, log);
            victim.complete(p);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            return p.exitValue();
        } finally {
            hub.beforeContentGet = n -> true;
        }
    }

    @Test
    @Timeout(300)
    void killedRunsLeaveACacheTheNextRunCompletesToTheSameJson() throws Exception {
        // The uninterrupted run, in this JVM: the reference JSON and the requests of a whole run.
        Path referenceCache = tmp.resolve("reference-cache");
        int before = hub.contentGets.get();
        CheckpointResult uninterrupted = HubSourceTest.analyse(REPO, settings(referenceCache, false),
                HubSourceTest.options(fixture, SAMPLES), THREADS);
        int requests = hub.contentGets.get() - before;
        String expected = comparable(ResultJson.bytes(ResultJson.checkpoint(uninterrupted)));
        long referenceBytes = uninterrupted.bytesRead;
        // Every byte transferred was stored once, in an exact range.
        assertThat(assertCacheIsSound(referenceCache)).isEqualTo(referenceBytes);
        assertThat(requests).as("content requests of a whole run").isGreaterThan(12);

        SplittableRandom random = new SplittableRandom(8);
        List<List<Kill>> scenarios = List.of(
                List.of(new Kill(1, 0)),
                List.of(new Kill(requests / 3, 0)),
                List.of(new Kill(2 * requests / 3, 0)),
                // Twice on the same cache, the second time at a random moment.
                List.of(new Kill(requests / 4, 0), new Kill(random.nextInt(1, requests / 2), random.nextInt(1, 30))));
        int interrupted = 0;
        for (int i = 0; i < scenarios.size(); i++) {
            Path cache = tmp.resolve("cache-" + i);
            for (int k = 0; k < scenarios.get(i).size(); k++) {
                Kill kill = scenarios.get(i).get(k);
                Path json = tmp.resolve("killed-" + i + "-" + k + ".json");
                Path log = tmp.resolve("killed-" + i + "-" + k + ".log");
                int exit = runAndKill(cache, kill, json, log);
                if (kill.delayMillis() == 0) {
                    // Killed while waiting for an answer: it cannot have finished.
                    assertThat(exit).as("%s: %s", kill, Files.readString(log)).isEqualTo(137);
                } else {
                    assertThat(exit).as("%s: %s", kill, Files.readString(log)).isIn(0, 137);
                }
                if (exit == 137) {
                    interrupted++;
                }
                // The output is written atomically at the end: absent, or complete (a late kill
                // may land between writing it and exiting).
                if (exit == 0 || Files.exists(json)) {
                    assertThat(comparable(Files.readAllBytes(json))).isEqualTo(expected);
                }
                long stored = assertCacheIsSound(cache);
                if (kill.delayMillis() == 0 && kill.request() > 20) {
                    // A fetch thread sends its next request only after storing its last range.
                    assertThat(stored).as("bytes cached before %s", kill).isPositive();
                }
            }
            long cached = assertCacheIsSound(cache);

            // The next run on the same cache: no error, the same JSON, only the missing bytes transferred.
            CheckpointResult resumed = HubSourceTest.analyse(REPO, settings(cache, false),
                    HubSourceTest.options(fixture, SAMPLES), THREADS);
            assertThat(comparable(ResultJson.bytes(ResultJson.checkpoint(resumed))))
                    .as("resumed after %s", scenarios.get(i)).isEqualTo(expected);
            assertThat(resumed.bytesRead).as("resumed after %s", scenarios.get(i))
                    .isEqualTo(assertCacheIsSound(cache) - cached).isLessThanOrEqualTo(referenceBytes - cached);

            CheckpointResult offline = HubSourceTest.analyse(REPO, settings(cache, true),
                    HubSourceTest.options(fixture, SAMPLES), THREADS);
            assertThat(offline.bytesRead).isZero();
            assertThat(comparable(ResultJson.bytes(ResultJson.checkpoint(offline)))).isEqualTo(expected);
        }
        assertThat(interrupted).as("runs killed before they finished").isGreaterThanOrEqualTo(4);
    }
}

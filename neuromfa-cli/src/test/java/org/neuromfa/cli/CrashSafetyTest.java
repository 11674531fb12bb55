package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code trajectory} run in a real JVM, killed with SIGKILL ({@link Process#destroyForcibly} on
 * Linux) once the store holds 1, 3 and 5 results, and at a seeded random moment after the second,
 * leaves a store that the next run completes without error, reusing every stored result, to
 * byte-identical JSON.
 */
class CrashSafetyTest {
    private static final int SAMPLES = 4;
    private static final int TOTAL = 3 * SAMPLES;

    @TempDir
    Path tmp;

    private Process start(List<String> checkpoints, Path store, Path json, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.neuromfa.cli.Main", "trajectory"));
        command.addAll(checkpoints);
        command.addAll(List.of("--samples", Integer.toString(SAMPLES), "--nodes-per-layer", "32", "--threads", "1",
                "--store", store.toString(), "--json", json.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int stored(Path store) throws IOException {
        if (!Files.isDirectory(store)) {
            return 0;
        }
        // The running process renames temporary files while we walk: a file that vanished under the
        // walk is simply counted on the next look.
        for (int attempt = 0; ; attempt++) {
            try (Stream<Path> s = Files.walk(store)) {
                return (int) s.filter(p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith("seed-") && n.endsWith(".json");
                }).count();
            } catch (java.io.UncheckedIOException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt > 100) {
                    throw e;
                }
            }
        }
    }

    private Process runToEnd(List<String> checkpoints, Path store, Path json, Path log) throws Exception {
        Process p = start(checkpoints, store, json, log);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
        return p;
    }

    @Test
    @Timeout(240)
    void killedRunsResumeToIdenticalJson() throws Exception {
        List<String> checkpoints = TrajectoryCommandTest.checkpoints(tmp.resolve("ck"));
        Path reference = tmp.resolve("reference.json");
        runToEnd(checkpoints, tmp.resolve("reference-store"), reference, tmp.resolve("reference.log"));
        byte[] expected = Files.readAllBytes(reference);
        assertThat(stored(tmp.resolve("reference-store"))).isEqualTo(TOTAL);

        int interrupted = 0;
        java.util.SplittableRandom random = new java.util.SplittableRandom(8);
        for (int killAfter : new int[] {1, 3, 5, 2}) {
            Path store = tmp.resolve("store-" + killAfter);
            Path partial = tmp.resolve("partial-" + killAfter + ".json");
            Process p = start(checkpoints, store, partial, tmp.resolve("killed-" + killAfter + ".log"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (p.isAlive() && stored(store) < killAfter && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            if (killAfter == 2) {
                // Somewhere inside the computation or the writing of the next result.
                Thread.sleep(random.nextInt(1, 40));
            }
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            int kept = stored(store);
            if (p.exitValue() != 0) {
                interrupted++;
                // SIGKILL: 128 + 9.
                assertThat(p.exitValue()).isEqualTo(137);
                assertThat(kept).isGreaterThanOrEqualTo(killAfter).isLessThanOrEqualTo(TOTAL);
                // The output is written once, at the end, atomically: absent or complete.
                if (Files.exists(partial)) {
                    assertThat(Files.readAllBytes(partial)).isEqualTo(expected);
                }
            }

            Path resumed = tmp.resolve("resumed-" + killAfter + ".json");
            Path log = tmp.resolve("resumed-" + killAfter + ".log");
            runToEnd(checkpoints, store, resumed, log);
            assertThat(Files.readString(log)).contains((TOTAL - kept) + " samples computed, " + kept + " reused");
            assertThat(Files.readAllBytes(resumed)).as("resumed after a kill at %d stored results", killAfter)
                    .isEqualTo(expected);
            assertThat(stored(store)).isEqualTo(TOTAL);
            // Nothing but results and the temporary files of interrupted writes is in the store.
            try (Stream<Path> s = Files.walk(store)) {
                s.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).forEach(n ->
                        assertThat(n).matches("seed-\\d+\\.json|checkpoint\\.json|\\..*\\.tmp"));
            }
        }
        // At least three of the four kills must land before the run had finished, or the test proves little.
        assertThat(interrupted).as("runs killed before they finished").isGreaterThanOrEqualTo(3);
        assertThat(new File(tmp.toFile(), "ck")).isDirectory();
    }
}

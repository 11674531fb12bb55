package org.neuromfa.source.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.golden.Golden;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointResult;

/**
 * The content-addressed cache on disk ({@link Blob}): ranges damaged after they were written
 * (garbage of the right length, zero-filled as an operating-system crash can leave an unflushed
 * file, cut short) are never served: they fail their CRC-32C, are struck out of the log and fetched
 * again (offline: a one-line error); torn, forged or foreign lines of the log are ignored; two
 * revisions of the same content share one blob; temporary files of killed writes of the small
 * entries are deleted once stale, young ones kept.
 */
class HubCacheTest {
    @TempDir
    Path tmp;

    FakeHub hub;

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    HubSettings settings(boolean offline) {
        // Ranges are not coalesced across gaps: the bytes cached are exactly the bytes read.
        return HubSettings.fromEnvironment(FakeHub.env(hub, tmp.resolve("cache"), offline))
                .withRetries(3, Duration.ofMillis(1), Duration.ofMillis(5)).withLink(0, 1e9);
    }

    /** The blob folder of a served file (by the sha256 of its content). */
    Path blobDirectory(Path file) throws IOException {
        return settings(false).cacheDirectory().resolve("blobs").resolve("sha256-" + FakeHub.sha256Hex(file));
    }

    /**
     * Every range the log vouches for holds the original file's bytes, and the log its CRC-32C;
     * returns the ranges as {@code {start, end, crc}}.
     */
    static List<long[]> assertRangesAreExact(Path blob, byte[] original) throws IOException {
        List<long[]> ranges = Blob.recorded(blob, original.length);
        Path data = Blob.dataFile(blob);
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            for (long[] r : ranges) {
                byte[] expected = Arrays.copyOfRange(original, (int) r[0], (int) r[1]);
                ByteBuffer got = ByteBuffer.allocate(expected.length);
                ch.read(got, r[0]);
                assertThat(got.array()).as("cached bytes %d-%d", r[0], r[1]).isEqualTo(expected);
                CRC32C c = new CRC32C();
                c.update(expected);
                assertThat(r[2]).isEqualTo(c.getValue());
            }
        }
        return ranges;
    }

    static long bytes(List<long[]> ranges) {
        long n = 0;
        for (long[] r : ranges) {
            n += r[1] - r[0];
        }
        return n;
    }

    private static void overwrite(Path file, long position, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), position);
        }
    }

    @Test
    void damagedRangesAreDetectedStruckOutAndFetchedAgain() throws IOException {
        Path dir = Golden.dir("neox-d128-l4-normal-f32");
        hub.serve("golden/normal", "main", dir);
        byte[] original = Files.readAllBytes(dir.resolve("model.safetensors"));
        AnalysisOptions options = HubSourceTest.options(dir, 3);
        CheckpointResult first = HubSourceTest.analyse("golden/normal", settings(false), options, 2);
        Path blob = blobDirectory(dir.resolve("model.safetensors"));
        List<long[]> ranges = assertRangesAreExact(blob, original);
        assertThat(ranges).hasSizeGreaterThan(10);
        // Two files for the whole content: its bytes and its log.
        try (Stream<Path> s = Files.list(blob)) {
            assertThat(s.count()).isEqualTo(2);
        }

        Path data = Blob.dataFile(blob);
        long[] garbage = ranges.get(1);
        long[] zeroed = ranges.get(ranges.size() / 2);
        byte[] noise = Arrays.copyOfRange(original, (int) garbage[0], (int) garbage[1]);
        for (int i = 0; i < noise.length; i += 7) {
            noise[i] ^= 0x5a;
        }
        overwrite(data, garbage[0], noise);
        overwrite(data, zeroed[0], new byte[(int) (zeroed[1] - zeroed[0])]);
        long damagedBytes = (garbage[1] - garbage[0]) + (zeroed[1] - zeroed[0]);

        CheckpointResult second = HubSourceTest.analyse("golden/normal", settings(false), options, 2);
        assertThat(HubSourceTest.numbers(second)).isEqualTo(HubSourceTest.numbers(first));
        // Exactly the damaged ranges were transferred again, and are exact on disk again.
        assertThat(second.bytesRead).isEqualTo(damagedBytes);
        List<long[]> after = assertRangesAreExact(blob, original);
        assertThat(bytes(after)).isEqualTo(bytes(ranges));

        // Offline, a damaged range cannot be replaced: one line naming the file, the range and the cause.
        long[] damaged = after.get(2);
        overwrite(data, (damaged[0] + damaged[1]) / 2, new byte[] {(byte) ~original[(int) ((damaged[0] + damaged[1]) / 2)]});
        assertThatThrownBy(() -> HubSourceTest.analyse("golden/normal", settings(true), options, 1))
                .isInstanceOf(NeuroMfaException.class)
                .hasMessageContaining("/golden/normal/resolve/main/model.safetensors")
                .hasMessageContaining("damaged on disk")
                .hasMessageContaining("HF_HUB_OFFLINE")
                .hasMessageNotContaining("\n");
        CheckpointResult third = HubSourceTest.analyse("golden/normal", settings(false), options, 1);
        assertThat(HubSourceTest.numbers(third)).isEqualTo(HubSourceTest.numbers(first));
        assertThat(third.bytesRead).isEqualTo(damaged[1] - damaged[0]);
        assertRangesAreExact(blob, original);
    }

    @Test
    void aDataFileCutShortOnlyLosesItsTail() throws IOException {
        Path dir = Golden.dir("neox-d96-l3-rowscaled-bf16");
        hub.serve("golden/bf16", "main", dir);
        byte[] original = Files.readAllBytes(dir.resolve("model.safetensors"));
        AnalysisOptions options = HubSourceTest.options(dir, 2);
        CheckpointResult first = HubSourceTest.analyse("golden/bf16", settings(false), options, 1);
        Path blob = blobDirectory(dir.resolve("model.safetensors"));
        List<long[]> ranges = assertRangesAreExact(blob, original);
        long[] last = ranges.get(ranges.size() - 1);
        long cut = (last[0] + last[1]) / 2;
        try (FileChannel ch = FileChannel.open(Blob.dataFile(blob), StandardOpenOption.WRITE)) {
            ch.truncate(cut);
        }
        CheckpointResult second = HubSourceTest.analyse("golden/bf16", settings(false), options, 1);
        assertThat(HubSourceTest.numbers(second)).isEqualTo(HubSourceTest.numbers(first));
        assertThat(second.bytesRead).isEqualTo(last[1] - last[0]);
        assertRangesAreExact(blob, original);
    }

    @Test
    void tornForgedAndForeignLogLinesAreIgnored() throws IOException {
        Path dir = Golden.dir("neox-d96-l3-rowscaled-bf16");
        hub.serve("golden/bf16", "main", dir);
        byte[] original = Files.readAllBytes(dir.resolve("model.safetensors"));
        AnalysisOptions options = HubSourceTest.options(dir, 1);
        CheckpointResult first = HubSourceTest.analyse("golden/bf16", settings(false), options, 1);
        Path blob = blobDirectory(dir.resolve("model.safetensors"));
        List<long[]> ranges = assertRangesAreExact(blob, original);
        Path log;
        try (Stream<Path> s = Files.list(blob)) {
            log = s.filter(p -> p.toString().endsWith(".extents")).findFirst().orElseThrow();
        }
        // A line whose check digits do not match (a range the data file does not hold), a line for
        // a range past the end of the file, garbage, and a torn last line without its newline.
        String forged = "0 " + original.length + " 00000000 00000000\n";
        String body = "0 " + (original.length + 10) + " 12345678";
        String pastEnd = body + " " + String.format("%08x", Blob.crc(body.getBytes(StandardCharsets.US_ASCII))) + "\n";
        Files.writeString(log, forged + pastEnd + "garbage line\n0 12 abc", StandardOpenOption.APPEND);

        CheckpointResult second = HubSourceTest.analyse("golden/bf16", settings(false), options, 1);
        assertThat(HubSourceTest.numbers(second)).isEqualTo(HubSourceTest.numbers(first));
        assertThat(second.bytesRead).isZero();
        assertThat(assertRangesAreExact(blob, original)).hasSameSizeAs(ranges);
    }

    @Test
    void twoRevisionsWithTheSameContentShareOneBlob() throws IOException {
        Path dir = Golden.dir("neox-d96-l3-rowscaled-bf16");
        Path copy = tmp.resolve("copy");
        Files.createDirectories(copy);
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(dir.resolve(f), copy.resolve(f));
        }
        hub.serve("golden/bf16", "main", dir);
        hub.serve("golden/bf16", "step1000", copy);
        assertThat(hub.commit("golden/bf16", "step1000")).isNotEqualTo(hub.commit("golden/bf16", "main"));
        AnalysisOptions options = HubSourceTest.options(dir, 2);
        CheckpointResult first = HubSourceTest.analyse("golden/bf16@main", settings(false), options, 1);
        long sentBefore = hub.contentBytesSent.get();
        CheckpointResult second = HubSourceTest.analyse("golden/bf16@step1000", settings(false), options, 1);
        assertThat(HubSourceTest.numbers(second)).isEqualTo(HubSourceTest.numbers(first));
        assertThat(second.commit).isEqualTo(hub.commit("golden/bf16", "step1000"));
        // Nothing of the weights, nor of the identical config, was transferred again.
        assertThat(second.bytesRead).isZero();
        assertThat(hub.contentBytesSent.get()).isEqualTo(sentBefore);
        try (Stream<Path> s = Files.list(settings(false).cacheDirectory().resolve("blobs"))) {
            assertThat(s.count()).as("one blob per distinct content").isEqualTo(2);
        }
    }

    @Test
    void staleTemporaryFilesAreDeletedAndYoungOnesKept() throws IOException {
        Path dir = Golden.dir("neox-d96-l3-rowscaled-bf16");
        hub.serve("golden/bf16", "main", dir);
        AnalysisOptions options = HubSourceTest.options(dir, 1);
        CheckpointResult first = HubSourceTest.analyse("golden/bf16", settings(false), options, 1);
        HubCache cache = new HubCache(settings(false).cacheDirectory(), HubRepo.parse("golden/bf16", null));
        Path commitDir = cache.commitDirectory(hub.commit("golden/bf16", "main"));
        Path refs = cache.refFile("main").getParent();
        List<Path> stale = new ArrayList<>();
        List<Path> young = new ArrayList<>();
        // What killed writes leave: file list and ref temporaries.
        for (Path target : new Path[] {commitDir.resolve("files.json"), refs.resolve("main")}) {
            stale.add(temporary(target, Duration.ofHours(2)));
            young.add(temporary(target, Duration.ofMinutes(30)));
        }

        CheckpointResult second = HubSourceTest.analyse("golden/bf16", settings(false), options, 1);
        assertThat(second.bytesRead).isZero();
        assertThat(HubSourceTest.numbers(second)).isEqualTo(HubSourceTest.numbers(first));
        assertThat(stale).allSatisfy(p -> assertThat(p).doesNotExist());
        assertThat(young).allSatisfy(p -> assertThat(p).exists());
    }

    /** A temporary file for {@code target} as AtomicFiles names it, {@code age} old. */
    private static Path temporary(Path target, Duration age) throws IOException {
        Files.createDirectories(target.getParent());
        Path t = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        Files.write(t, new byte[] {1, 2, 3});
        Files.setLastModifiedTime(t, FileTime.from(Instant.now().minus(age)));
        return t;
    }
}

package org.neuromfa.source.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.golden.Golden;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointResult;

/**
 * The Hub range cache on disk: blocks damaged after they were written (cut short, overwritten with
 * garbage of the right length, zero-filled as an operating-system crash can leave an unflushed
 * file) are never served: they are detected by size or CRC-32C, deleted and fetched again (offline:
 * a one-line error); temporary files of killed writes are deleted once stale, young ones kept.
 */
class HubCacheTest {
    static final Pattern BLOCK = Pattern.compile("(\\d+)-(\\d+)\\.([0-9a-f]{8})");

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
        return HubSettings.fromEnvironment(FakeHub.env(hub, tmp.resolve("cache"), offline))
                .withRetries(3, Duration.ofMillis(1), Duration.ofMillis(5));
    }

    /** The cache directory of one file of the served repository. */
    Path fileDirectory(String repo, String file) {
        HubCache cache = new HubCache(settings(false).cacheDirectory(), HubRepo.parse(repo, null));
        return cache.fileDirectory(hub.commit(repo, "main"), file);
    }

    static List<Path> blocks(Path fileDirectory) throws IOException {
        try (Stream<Path> s = Files.list(fileDirectory)) {
            return s.filter(p -> BLOCK.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
    }

    /**
     * Every block under its final name holds the original file's bytes of its range, and its name
     * their CRC-32C; returns the number of blocks.
     */
    static int assertBlocksAreExact(Path fileDirectory, byte[] original) throws IOException {
        List<Path> blocks = blocks(fileDirectory);
        for (Path b : blocks) {
            Matcher m = BLOCK.matcher(b.getFileName().toString());
            assertThat(m.matches()).isTrue();
            int start = Integer.parseInt(m.group(1));
            int end = Integer.parseInt(m.group(2));
            byte[] expected = Arrays.copyOfRange(original, start, end);
            assertThat(Files.readAllBytes(b)).as("cached block %s", b.getFileName()).isEqualTo(expected);
            assertThat(m.group(3)).isEqualTo(String.format("%08x", HubCache.crc32c(expected)));
        }
        return blocks.size();
    }

    @Test
    void damagedBlocksAreDetectedDeletedAndFetchedAgain() throws IOException {
        Path dir = Golden.dir("neox-d128-l4-normal-f32");
        hub.serve("golden/normal", "main", dir);
        byte[] original = Files.readAllBytes(dir.resolve("model.safetensors"));
        AnalysisOptions options = HubSourceTest.options(dir, 3);
        CheckpointResult first = HubSourceTest.analyse("golden/normal", settings(false), options, 2);
        Path weights = fileDirectory("golden/normal", "model.safetensors");
        assertThat(assertBlocksAreExact(weights, original)).isGreaterThan(10);

        List<Path> blocks = blocks(weights);
        Path cutShort = blocks.get(1);
        Path garbage = blocks.get(blocks.size() / 2);
        Path zeroed = blocks.get(blocks.size() - 1);
        long damagedBytes = Files.size(cutShort) + Files.size(garbage) + Files.size(zeroed);
        byte[] bytes = Files.readAllBytes(cutShort);
        Files.write(cutShort, Arrays.copyOf(bytes, bytes.length - 1));
        bytes = Files.readAllBytes(garbage);
        for (int i = 0; i < bytes.length; i += 7) {
            bytes[i] ^= 0x5a;
        }
        Files.write(garbage, bytes);
        Files.write(zeroed, new byte[(int) Files.size(zeroed)]);

        CheckpointResult second = HubSourceTest.analyse("golden/normal", settings(false), options, 2);
        assertThat(HubSourceTest.numbers(second)).isEqualTo(HubSourceTest.numbers(first));
        // Exactly the damaged blocks were transferred again, and are whole on disk again.
        assertThat(second.bytesRead).isEqualTo(damagedBytes);
        assertThat(blocks(weights)).isEqualTo(blocks);
        assertBlocksAreExact(weights, original);

        // Offline, a damaged block cannot be replaced: one line naming the file, the range and the cause.
        Path damaged = blocks.get(2);
        bytes = Files.readAllBytes(damaged);
        bytes[bytes.length / 2] ^= 1;
        Files.write(damaged, bytes);
        assertThatThrownBy(() -> HubSourceTest.analyse("golden/normal", settings(true), options, 1))
                .isInstanceOf(NeuroMfaException.class)
                .hasMessageContaining("/golden/normal/resolve/main/model.safetensors")
                .hasMessageContaining("damaged on disk")
                .hasMessageContaining("HF_HUB_OFFLINE")
                .hasMessageNotContaining("\n");
        assertThat(damaged).doesNotExist();
        CheckpointResult third = HubSourceTest.analyse("golden/normal", settings(false), options, 1);
        assertThat(HubSourceTest.numbers(third)).isEqualTo(HubSourceTest.numbers(first));
        assertThat(third.bytesRead).isEqualTo(bytes.length);
        assertBlocksAreExact(weights, original);
    }

    @Test
    void blocksOfTheWrongSizeAndWithoutChecksumAreNotTrusted() throws IOException {
        Path dir = Golden.dir("neox-d96-l3-rowscaled-bf16");
        hub.serve("golden/bf16", "main", dir);
        byte[] original = Files.readAllBytes(dir.resolve("model.safetensors"));
        AnalysisOptions options = HubSourceTest.options(dir, 2);
        CheckpointResult first = HubSourceTest.analyse("golden/bf16", settings(false), options, 1);
        Path weights = fileDirectory("golden/bf16", "model.safetensors");
        List<Path> blocks = blocks(weights);
        // An earlier version's name for the first block (no checksum), with the right bytes.
        Path header = blocks.stream().filter(p -> p.getFileName().toString().startsWith("0-")).findFirst().orElseThrow();
        Matcher m = BLOCK.matcher(header.getFileName().toString());
        assertThat(m.matches()).isTrue();
        Path legacy = weights.resolve(m.group(1) + "-" + m.group(2));
        Files.move(header, legacy);
        // A block grown by a byte.
        Path grown = blocks.get(blocks.size() - 1);
        Files.write(grown, new byte[] {7}, java.nio.file.StandardOpenOption.APPEND);

        CheckpointResult second = HubSourceTest.analyse("golden/bf16", settings(false), options, 1);
        assertThat(HubSourceTest.numbers(second)).isEqualTo(HubSourceTest.numbers(first));
        assertThat(second.bytesRead).isEqualTo(Files.size(header) + Files.size(grown));
        assertThat(legacy).doesNotExist();
        assertThat(blocks(weights)).isEqualTo(blocks);
        assertBlocksAreExact(weights, original);
    }

    @Test
    void staleTemporaryFilesAreDeletedAndYoungOnesKept() throws IOException {
        Path dir = Golden.dir("neox-d96-l3-rowscaled-bf16");
        hub.serve("golden/bf16", "main", dir);
        AnalysisOptions options = HubSourceTest.options(dir, 1);
        CheckpointResult first = HubSourceTest.analyse("golden/bf16", settings(false), options, 1);
        Path weights = fileDirectory("golden/bf16", "model.safetensors");
        Path commitDir = weights.getParent().getParent();
        Path refs = commitDir.getParent().getParent().resolve("refs");
        List<Path> stale = new ArrayList<>();
        List<Path> young = new ArrayList<>();
        // What killed writes leave: block, metadata, file list and ref temporaries, and a block
        // temporary as earlier versions named it.
        for (Path[] where : new Path[][] {{weights, weights.resolve("1000-2000.0badcafe")}, {weights, weights.resolve("meta.json")},
                {commitDir, commitDir.resolve("files.json")}, {refs, refs.resolve("main")}}) {
            stale.add(temporary(where[1], Duration.ofHours(2)));
            young.add(temporary(where[1], Duration.ofMinutes(30)));
        }
        Path legacyTemporary = Files.createTempFile(weights, ".", ".tmp");
        Files.setLastModifiedTime(legacyTemporary, FileTime.from(Instant.now().minus(Duration.ofDays(1))));
        stale.add(legacyTemporary);
        List<Path> before = blocks(weights);

        CheckpointResult second = HubSourceTest.analyse("golden/bf16", settings(false), options, 1);
        assertThat(second.bytesRead).isZero();
        assertThat(HubSourceTest.numbers(second)).isEqualTo(HubSourceTest.numbers(first));
        assertThat(stale).allSatisfy(p -> assertThat(p).doesNotExist());
        assertThat(young).allSatisfy(p -> assertThat(p).exists());
        assertThat(blocks(weights)).isEqualTo(before);
        assertThat(weights.resolve("meta.json")).exists();
    }

    /** A temporary file for {@code target} as AtomicFiles names it, {@code age} old. */
    private static Path temporary(Path target, Duration age) throws IOException {
        Path t = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        Files.write(t, new byte[] {1, 2, 3});
        Files.setLastModifiedTime(t, FileTime.from(Instant.now().minus(age)));
        return t;
    }
}

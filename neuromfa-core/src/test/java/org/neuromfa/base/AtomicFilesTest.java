package org.neuromfa.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Atomic writes and the clean-up of the temporary files of writes killed before their rename, on
 * real files whose ages are set with {@link Files#setLastModifiedTime}.
 */
class AtomicFilesTest {
    @TempDir
    Path tmp;

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static Path aged(Path file, Duration age) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
        return file;
    }

    @Test
    void writeReplacesTheTargetAndLeavesNoTemporaryFile() throws IOException {
        Path target = tmp.resolve("sub/result.json");
        AtomicFiles.write(target, "old".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(target, "new content".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.writeUnsynced(tmp.resolve("sub/block"), new byte[] {1, 2, 3});
        assertThat(Files.readString(target)).isEqualTo("new content");
        assertThat(Files.readAllBytes(tmp.resolve("sub/block"))).containsExactly(1, 2, 3);
        assertThat(names(tmp.resolve("sub"))).containsExactly("block", "result.json");
    }

    @Test
    void temporaryFilesAreNamedAsTheCleanUpRecognisesThem() throws IOException {
        Path t = AtomicFiles.temporaryFile(tmp.resolve("seed-3.json"));
        assertThat(t.getParent()).isEqualTo(tmp);
        assertThat(t.getFileName().toString()).startsWith(".seed-3.json.").endsWith(".tmp");
        assertThat(AtomicFiles.isTemporary(t.getFileName().toString())).isTrue();
        // The Hub cache's block temporaries of earlier versions.
        assertThat(AtomicFiles.isTemporary(".8120367410571648533.tmp")).isTrue();
        for (String other : List.of("seed-3.json", "notes.tmp", ".hidden", ".seed-3.json.tmp", ".seed-3.json.12a.tmp",
                "x.seed-3.json.12.tmp", ".seed-3.json.12.tmp.bak", "..tmp", ".12.tmp~")) {
            assertThat(AtomicFiles.isTemporary(other)).as(other).isFalse();
        }
    }

    @Test
    void staleTemporaryFilesAreDeletedAndYoungOnesKept() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("store"));
        Path target = dir.resolve("seed-0.json");
        Path abandoned = aged(AtomicFiles.temporaryFile(target), Duration.ofHours(2));
        Path abandonedLongAgo = aged(AtomicFiles.temporaryFile(dir.resolve("checkpoint.json")), Duration.ofDays(400));
        // Another process may be writing these right now.
        Path fresh = AtomicFiles.temporaryFile(target);
        Path almostStale = aged(AtomicFiles.temporaryFile(target), AtomicFiles.STALE_AFTER.minusMinutes(5));
        // Not ours, however old.
        Path result = aged(Files.writeString(target, "{}"), Duration.ofDays(3));
        Path userFile = aged(Files.writeString(dir.resolve("notes.tmp"), "mine"), Duration.ofDays(3));
        Path hidden = aged(Files.writeString(dir.resolve(".hidden"), "mine"), Duration.ofDays(3));
        Path directory = aged(Files.createDirectory(dir.resolve(".seed-1.json.123.tmp")), Duration.ofDays(3));

        assertThat(AtomicFiles.removeStaleTemporaries(dir)).isEqualTo(2);
        assertThat(abandoned).doesNotExist();
        assertThat(abandonedLongAgo).doesNotExist();
        assertThat(fresh).exists();
        assertThat(almostStale).exists();
        assertThat(result).hasContent("{}");
        assertThat(userFile).exists();
        assertThat(hidden).exists();
        assertThat(directory).isDirectory();
        // Nothing more to do the second time.
        assertThat(AtomicFiles.removeStaleTemporaries(dir)).isZero();
    }

    @Test
    void aTemporaryFileDatedInTheFutureIsKept() throws IOException {
        Path future = AtomicFiles.temporaryFile(tmp.resolve("a.json"));
        Files.setLastModifiedTime(future, FileTime.from(Instant.now().plus(Duration.ofDays(1))));
        assertThat(AtomicFiles.removeStaleTemporaries(tmp)).isZero();
        assertThat(future).exists();
    }

    @Test
    void cleaningOrSyncingADirectoryThatCannotBeOpenedIsNotAnError() throws IOException {
        assertThat(AtomicFiles.removeStaleTemporaries(tmp.resolve("missing"))).isZero();
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        assertThat(AtomicFiles.removeStaleTemporaries(file)).isZero();
        // Opening fails here as it does for any directory on some platforms: silently ignored.
        AtomicFiles.syncDirectory(tmp.resolve("missing"));
        AtomicFiles.syncDirectory(tmp);
        assertThat(file).hasContent("x");
    }
}

package org.neuromfa.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
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

    /** The umask of this process, read back from a file made the plain way ({@code open(2)}, mode 0666). */
    private Set<PosixFilePermission> plainNewFileMode() throws IOException {
        Path plain = tmp.resolve("plain-" + System.nanoTime());
        Files.newByteChannel(plain, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE).close();
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(plain);
        Files.delete(plain);
        return mode;
    }

    @Test
    void aNewFileGetsTheUmasksPermissionsNotOwnerOnly() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Set<PosixFilePermission> expected = plainNewFileMode();
        Path target = tmp.resolve("out/result.json");
        AtomicFiles.write(target, "{}".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.writeUnsynced(tmp.resolve("out/block"), new byte[] {1});
        AtomicFiles.writeInExistingDirectory(tmp.resolve("out/report.html"), new byte[] {2});
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(expected);
        assertThat(Files.getPosixFilePermissions(tmp.resolve("out/block"))).isEqualTo(expected);
        assertThat(Files.getPosixFilePermissions(tmp.resolve("out/report.html"))).isEqualTo(expected);
        // The temporary file itself already has them (a reader that lists the directory sees no 0600 file).
        assertThat(Files.getPosixFilePermissions(AtomicFiles.temporaryFile(target))).isEqualTo(expected);
        // Under the usual umask 022 that means readable by everyone, which Files.createTempFile never gives.
        if (expected.contains(PosixFilePermission.OTHERS_READ)) {
            assertThat(Files.getPosixFilePermissions(target)).contains(PosixFilePermission.GROUP_READ,
                    PosixFilePermission.OTHERS_READ);
        }
    }

    @Test
    void aReplacedFileKeepsItsPermissions() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path target = tmp.resolve("shared.json");
        AtomicFiles.write(target, "old".getBytes(StandardCharsets.UTF_8));
        Set<PosixFilePermission> groupWritable = PosixFilePermissions.fromString("rw-rw-r--");
        Files.setPosixFilePermissions(target, groupWritable);
        AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8));
        assertThat(target).hasContent("new");
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(groupWritable);
        // Even a file its owner made read-only is replaced as asked, and stays read-only.
        Set<PosixFilePermission> readOnly = PosixFilePermissions.fromString("r--r-----");
        Files.setPosixFilePermissions(target, readOnly);
        AtomicFiles.writeInExistingDirectory(target, "newer".getBytes(StandardCharsets.UTF_8));
        assertThat(target).hasContent("newer");
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(readOnly);
        assertThat(names(tmp)).containsExactly("shared.json");
    }

    @Test
    void aFileTheUserNamedNeedsAnExistingDirectory() throws IOException {
        Path missing = tmp.resolve("typo/x.json");
        assertThatThrownBy(() -> AtomicFiles.writeInExistingDirectory(missing, new byte[] {1}))
                .isInstanceOf(AtomicFiles.WriteFailed.class)
                .hasMessage(missing + ": cannot write: no directory " + tmp.resolve("typo") + " (create it first)");
        assertThat(tmp.resolve("typo")).doesNotExist();
        // The directories the program decides on are still made.
        AtomicFiles.write(tmp.resolve("store/ab/c.json"), new byte[] {1});
        assertThat(tmp.resolve("store/ab/c.json")).exists();
    }

    @Test
    void failedWritesNameTheTargetAndTheCauseNeverTheTemporaryFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("a.csv"), "x");
        Path underFile = tmp.resolve("a.csv/x.json");
        assertThatThrownBy(() -> AtomicFiles.writeInExistingDirectory(underFile, new byte[] {1}))
                .isInstanceOf(AtomicFiles.WriteFailed.class)
                .hasMessage(underFile + ": cannot write: " + file + " is a file, not a directory");
        Path deeper = tmp.resolve("a.csv/sub/x.json");
        assertThatThrownBy(() -> AtomicFiles.write(deeper, new byte[] {1}))
                .isInstanceOf(AtomicFiles.WriteFailed.class)
                .hasMessage(deeper + ": cannot write: " + file + " is a file, not a directory");
        Path dir = Files.createDirectories(tmp.resolve("results"));
        assertThatThrownBy(() -> AtomicFiles.writeInExistingDirectory(dir, new byte[] {1}))
                .isInstanceOf(AtomicFiles.WriteFailed.class)
                .hasMessage(dir + ": cannot write: it is a directory");
        assertThat(dir).isEmptyDirectory();
        Path tooLong = tmp.resolve("n".repeat(300) + ".json");
        assertThatThrownBy(() -> AtomicFiles.writeInExistingDirectory(tooLong, new byte[] {1}))
                .isInstanceOf(AtomicFiles.WriteFailed.class)
                .hasMessage(tooLong + ": cannot write: file name too long");
        // A directory in which no file can be made (Linux's /proc): the cause, not the temporary file.
        Path proc = java.nio.file.Paths.get("/proc/neuromfa-test.json");
        if (Files.isDirectory(proc.getParent())) {
            assertThatThrownBy(() -> AtomicFiles.writeInExistingDirectory(proc, new byte[] {1}))
                    .isInstanceOf(AtomicFiles.WriteFailed.class)
                    .hasMessageStartingWith(proc + ": cannot write: ")
                    .hasMessageNotContaining(".tmp");
        }
        assertThat(names(tmp)).containsExactly("a.csv", "results");
    }
}

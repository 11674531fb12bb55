package org.neuromfa.base;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Writes a file so that readers see either the old content or the complete new one: write a
 * temporary file {@code .NAME.<random digits>.tmp} in the same directory, flush it to disk, rename
 * it over the target, then flush the directory so that the rename itself survives a power loss. A
 * run killed half way never leaves a truncated result behind, only possibly its temporary file,
 * which {@link #removeStaleTemporaries} deletes once it is old enough to be certainly abandoned.
 */
public final class AtomicFiles {
    /**
     * Age after which a temporary file is taken for the leftover of a killed run. A live writer
     * holds its temporary file for the few milliseconds between creating, writing and renaming it;
     * an hour is far beyond that even on a loaded machine, so the temporary file of another process
     * writing into the same directory at the same time is never deleted. (A writer suspended for
     * longer than this, for instance a stopped process or a suspended laptop, then fails its rename
     * with an error; it never produces a wrong file.)
     */
    public static final Duration STALE_AFTER = Duration.ofHours(1);

    /**
     * {@code .NAME.<digits>.tmp}, as {@link Files#createTempFile} names ours (prefix, random number,
     * suffix); also {@code .<digits>.tmp}, the name earlier versions gave the Hub cache's blocks.
     */
    private static final Pattern TEMPORARY = Pattern.compile("\\.(.+\\.)?[0-9]+\\.tmp");

    private AtomicFiles() {
    }

    /** Writes {@code content} to {@code target} atomically and durably (file and rename forced to disk). */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, true);
    }

    /**
     * Writes atomically but leaves flushing to the operating system: for entries whose content is
     * checked when read (the Hub cache's checksummed blocks), where an entry damaged by an operating
     * system crash is detected and fetched again, so paying two disk flushes per entry buys nothing.
     */
    public static void writeUnsynced(Path target, byte[] content) throws IOException {
        write(target, content, false);
    }

    private static void write(Path target, byte[] content, boolean durable) throws IOException {
        try {
            writeOrFail(target, content, durable);
        } catch (IOException e) {
            String why = whyNotWritten(e);
            if (why == null) {
                throw e;
            }
            throw new WriteFailed(target + ": " + why, e);
        }
    }

    /**
     * A write that failed for a reason the user can act on: its message names the file asked for and
     * the reason, on one line (the command line reports it as bad input, exit code 2).
     */
    public static final class WriteFailed extends IOException {
        private static final long serialVersionUID = 1L;

        WriteFailed(String message, IOException cause) {
            super(message, cause);
        }
    }

    /**
     * What a user can act on in a failed write, in their words, or null for a failure that is not
     * theirs to fix: the message names the file they asked for, never the temporary beside it.
     */
    static String whyNotWritten(IOException e) {
        String reason = e instanceof java.nio.file.FileSystemException
                ? ((java.nio.file.FileSystemException) e).getReason() : e.getMessage();
        reason = reason == null ? "" : reason;
        if (reason.contains("No space left on device") || reason.contains("Disk quota exceeded")) {
            return "cannot write: no space left on device";
        }
        if (e instanceof java.nio.file.AccessDeniedException || reason.contains("Permission denied")) {
            return "cannot write: permission denied";
        }
        if (reason.contains("Read-only file system")) {
            return "cannot write: read-only file system";
        }
        if (reason.contains("Not a directory") || e instanceof java.nio.file.FileAlreadyExistsException) {
            return "cannot write: a parent of it is not a directory";
        }
        return null;
    }

    private static void writeOrFail(Path target, byte[] content, boolean durable) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path tmp = temporaryFile(absolute);
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (durable) {
                    channel.force(true);
                }
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        if (durable) {
            syncDirectory(dir);
        }
    }

    /** A new, empty temporary file for {@code target}, in its directory, named as {@link #isTemporary} recognises. */
    static Path temporaryFile(Path target) throws IOException {
        return Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
    }

    /**
     * Flushes a directory's entries (a rename just made in it) to disk. The renamed file's content
     * is already on disk; without this, a power loss shortly after the rename can bring back the old
     * file, or no file, under the target name.
     *
     * <p>Best effort, and silently so: some platforms cannot open a directory at all (Windows,
     * where {@link FileChannel#open} on a directory throws, but its file system orders the rename
     * itself), and some file systems refuse to flush one (several network and FUSE file systems
     * answer EINVAL, which is why PostgreSQL also ignores that error for directories). Failing a run
     * there would make the tool unusable for no gain: the rename is atomic either way, only its
     * durability across a power loss is weaker, and a real disk error shows on the next write.
     */
    static void syncDirectory(Path dir) {
        FileChannel channel;
        try {
            channel = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return;
        }
        try (channel) {
            channel.force(true);
        } catch (IOException e) {
            // See above: the directory cannot be flushed here.
        }
    }

    /** Whether {@code fileName} is the name of a temporary file this class writes. */
    public static boolean isTemporary(String fileName) {
        return fileName.startsWith(".") && fileName.endsWith(".tmp") && TEMPORARY.matcher(fileName).matches();
    }

    /**
     * Deletes the temporary files left in {@code dir} by writes that were killed before their
     * rename, when they are older than {@link #STALE_AFTER}; younger ones may belong to a writer
     * still at work in another process and are kept. Only regular files named as
     * {@link #isTemporary} recognises are touched, and only in {@code dir} itself (no recursion).
     * Best effort: a directory that is missing or cannot be listed, or a file another process
     * deleted first, is not an error. Returns the number of files deleted.
     */
    public static int removeStaleTemporaries(Path dir) {
        return removeStaleTemporaries(dir, Instant.now().minus(STALE_AFTER));
    }

    /** As {@link #removeStaleTemporaries(Path)}, deleting temporary files last modified before {@code cutoff}. */
    public static int removeStaleTemporaries(Path dir, Instant cutoff) {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (removeIfStaleTemporary(p, cutoff)) {
                    removed++;
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // Nothing to clean, or not allowed to: the store works all the same.
        }
        return removed;
    }

    /**
     * Deletes {@code file} when it is one of our temporary files last modified before
     * {@code cutoff}; for callers that list a directory anyway. Never throws.
     */
    public static boolean removeIfStaleTemporary(Path file, Instant cutoff) {
        if (!isTemporary(file.getFileName().toString())) {
            return false;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            // A modification time in the future (a clock set back, a network file system's clock)
            // is simply not old: such a file is kept until it ages.
            return a.isRegularFile() && a.lastModifiedTime().toInstant().isBefore(cutoff) && Files.deleteIfExists(file);
        } catch (IOException | SecurityException e) {
            // Gone already (another process cleaned it), or not ours to delete.
            return false;
        }
    }
}

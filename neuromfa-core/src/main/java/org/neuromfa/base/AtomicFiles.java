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
 *
 * <p>The file gets the permissions a plain write would give it: a new file those of the umask (as
 * {@code open(2)} with mode 0666 does), a replaced file the permissions it had, so that results can
 * be shared (a colleague's reader, a web server, a result store used by several accounts).
 *
 * <p>A failed write is a {@link WriteFailed} naming the file asked for (never the temporary file)
 * and the cause.
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

    /** Random part of the temporary files' names. */
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /**
     * Writes {@code content} to {@code target} atomically and durably (file and rename forced to
     * disk), creating missing parent directories: for files whose place the program decides (the
     * result store's entries, the Hub cache, the plots in a directory the user named).
     */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, true, true);
    }

    /**
     * As {@link #write(Path, byte[])}, but the directory must exist: for a file the user named
     * ({@code --json x/y.json}), where a directory that does not exist is more likely a typo than a
     * wish, and creating it would let the typo go unnoticed.
     */
    public static void writeInExistingDirectory(Path target, byte[] content) throws IOException {
        write(target, content, true, false);
    }

    /**
     * Writes atomically but leaves flushing to the operating system: for entries whose content is
     * checked when read (the Hub cache's checksummed blocks), where an entry damaged by an operating
     * system crash is detected and fetched again, so paying two disk flushes per entry buys nothing.
     */
    public static void writeUnsynced(Path target, byte[] content) throws IOException {
        write(target, content, false, true);
    }

    private static void write(Path target, byte[] content, boolean durable, boolean createDirectories)
            throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (Files.isDirectory(absolute)) {
            throw new WriteFailed(target + ": cannot write: it is a directory", null);
        }
        if (!createDirectories && !Files.isDirectory(dir)) {
            throw new WriteFailed(target + ": cannot write: " + missingDirectory(dir), null);
        }
        try {
            writeOrFail(absolute, content, durable);
        } catch (IOException e) {
            throw new WriteFailed(target + ": " + whyNotWritten(e, dir), e);
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

    /** Why {@code dir}, which is not a directory, cannot take a file: the first of its parents that is not one. */
    private static String missingDirectory(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return Files.isDirectory(p) ? "no directory " + dir + " (create it first)"
                        : p + " is a file, not a directory";
            }
        }
        return "no directory " + dir + " (create it first)";
    }

    /**
     * Why a write into {@code dir} failed, in a user's words, naming no temporary file: the message
     * of the failed write names the file the user asked for.
     */
    static String whyNotWritten(IOException e, Path dir) {
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
            return "cannot write: " + (Files.isDirectory(dir) ? "a parent of it is not a directory" : missingDirectory(dir));
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            // The directory is there (or was just made), yet no file can be made in it: /proc, or a
            // directory deleted meanwhile.
            return "cannot write: no file can be created in " + dir;
        }
        if (reason.isBlank()) {
            return "cannot write: " + e.getClass().getSimpleName();
        }
        // Any other cause as the system words it ("Input/output error", "File name too long").
        return "cannot write: " + Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
    }

    private static void writeOrFail(Path absolute, byte[] content, boolean durable) throws IOException {
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
            // After the write: the kept permissions may deny writing.
            keepPermissions(absolute, tmp);
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

    /**
     * A new, empty temporary file for {@code target}, in its directory, named as {@link #isTemporary}
     * recognises. Not {@link Files#createTempFile}: its files are readable by their owner only,
     * whatever the umask, and the rename would hand that mode on to every result. Created without
     * attributes, the file gets the mode a plain new file gets (0666 less the umask).
     */
    static Path temporaryFile(Path target) throws IOException {
        Path dir = target.getParent();
        String prefix = "." + target.getFileName() + ".";
        for (int attempt = 0;; attempt++) {
            Path tmp = dir.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong()) + ".tmp");
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Another name, unless the directory is full of ours (then something is wrong).
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /**
     * Gives {@code tmp} the permissions of the file it will replace, as writing into that file would
     * have kept them (a result made readable to a group stays so when it is rewritten). Best effort:
     * on a file system without POSIX permissions, or when they cannot be set, the new file keeps
     * the umask's.
     */
    private static void keepPermissions(Path target, Path tmp) {
        try {
            java.nio.file.attribute.PosixFileAttributeView view = Files.getFileAttributeView(target,
                    java.nio.file.attribute.PosixFileAttributeView.class);
            if (view != null && Files.isRegularFile(target)) {
                Files.setPosixFilePermissions(tmp, view.readAttributes().permissions());
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // The umask's permissions, as for a new file.
        }
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

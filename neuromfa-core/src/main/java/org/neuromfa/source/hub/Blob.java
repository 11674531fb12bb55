package org.neuromfa.source.hub;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.neuromfa.NeuroMfaException;

/**
 * The cached bytes of one remote file's content, in NeuroMFA's content-addressed cache: a folder
 * {@code blobs/<key>/} named by what identifies the content (the LFS sha256 of a weights file, the
 * git blob id of a small one), so revisions that serve the same file share its bytes, and a file is
 * fetched once whichever branch, tag or commit names it.
 *
 * <p>Two files per content generation {@code G} (a hash of the ETag the server gave the bytes):
 * {@code G.data}, a sparse file of the file's size holding the bytes fetched so far at their own
 * offsets, and {@code G.extents}, an append-only log of the ranges of {@code G.data} that are
 * complete, one line {@code start end crc32c check} per range ({@code check} is the CRC-32C of the
 * rest of the line, so a torn line is ignored). Bytes are written first and their line appended
 * after, so a run killed mid-transfer leaves only bytes no line vouches for, and the next run
 * fetches just the ranges no line covers. Neither file is forced to disk: a range an operating
 * system crash lost or damaged fails its checksum when first read, is struck out of the log with a
 * line {@code -start end crc32c check} and fetched again. Several processes may share a blob:
 * content-addressed bytes are the same whoever writes them, lines are appended atomically
 * (one small {@code O_APPEND} write each), and a process re-reads the log's new lines before it
 * fetches anything.
 *
 * <p>A server whose ETag for the content changes has changed the bytes: the blob starts a new
 * generation (new files; the old ones are deleted), so bytes of two versions are never mixed.
 *
 * <p>Opened blobs are shared within the process ({@link #acquire}) and closed when their last user
 * releases them. Thread-safe.
 */
final class Blob {
    private static final Map<Path, Blob> OPEN = new HashMap<>();
    private static final Pattern LINE = Pattern.compile("(-?)([0-9]{1,19}) ([0-9]{1,19}) ([0-9a-f]{8}) ([0-9a-f]{8})");
    static final String NO_ETAG = "none";

    final Path directory;
    final long size;
    private int users;

    private String generation;
    private FileChannel data;
    private FileChannel log;
    private FileChannel logReader;
    private long logParsed;
    private int changes;
    private final java.util.Set<String> retired = new java.util.HashSet<>();
    private final List<long[]> struckRanges = new ArrayList<>();
    /** Complete ranges by start; no range contains another, so the floor entry is the only candidate. */
    private final TreeMap<Long, Extent> extents = new TreeMap<>();
    /** Ranges being fetched by this process, by start; disjoint from each other and from extents' coverage at claim time. */
    private final TreeMap<Long, Piece> pending = new TreeMap<>();

    /** A complete range. */
    static final class Extent {
        final long start;
        final long end;
        final int crc;
        /** Checked against {@link #crc} in this process (or written by it). */
        volatile boolean verified;

        Extent(long start, long end, int crc, boolean verified) {
            this.start = start;
            this.end = end;
            this.crc = crc;
            this.verified = verified;
        }
    }

    /** A range this process is fetching: bytes arrive in order from {@link #start}; {@link #next} is the first missing. */
    static final class Piece {
        final long start;
        final long end;
        long next;
        final CRC32C crc = new CRC32C();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        String generation;

        Piece(long start, long end) {
            this.start = start;
            this.end = end;
            this.next = start;
        }

        long length() {
            return end - start;
        }
    }

    /** What {@link #claim} found for a range: pieces the caller is to fetch, and pieces others are fetching. */
    static final class Claim {
        final List<Piece> mine = new ArrayList<>();
        final List<Piece> theirs = new ArrayList<>();

        boolean isEmpty() {
            return mine.isEmpty() && theirs.isEmpty();
        }
    }

    private Blob(Path directory, long size) {
        this.directory = directory;
        this.size = size;
    }

    /** The blob in {@code directory} for a file of {@code size} bytes, opened (or shared) for one more user. */
    static Blob acquire(Path directory, long size) throws IOException {
        Path key = directory.toAbsolutePath().normalize();
        synchronized (OPEN) {
            Blob b = OPEN.get(key);
            if (b == null) {
                b = new Blob(key, size);
                b.openNewest();
                OPEN.put(key, b);
            } else if (b.size != size) {
                throw new NeuroMfaException(directory.toString(), "cached content of " + b.size
                        + " bytes is asked for as " + size + " bytes");
            }
            b.users++;
            return b;
        }
    }

    /** One more user of an acquired blob (a transfer that may outlive the source that started it). */
    void retain() {
        synchronized (OPEN) {
            users++;
        }
    }

    /** One user fewer; the last one closes the files. */
    void release() {
        synchronized (OPEN) {
            if (--users == 0) {
                OPEN.remove(directory);
                synchronized (this) {
                    closeFiles();
                }
            }
        }
    }

    /** Opens the most recently used generation present, if any (offline runs read it as it is). */
    private synchronized void openNewest() throws IOException {
        String newest = newestGeneration();
        if (newest != null) {
            open(newest);
        }
    }

    private String newestGeneration() throws IOException {
        String newest = null;
        FileTime newestTime = null;
        if (Files.isDirectory(directory)) {
            try (Stream<Path> s = Files.list(directory)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    String n = p.getFileName().toString();
                    if (n.endsWith(".extents")) {
                        FileTime t = Files.getLastModifiedTime(p);
                        if (newestTime == null || t.compareTo(newestTime) > 0) {
                            newest = n.substring(0, n.length() - ".extents".length());
                            newestTime = t;
                        }
                    }
                }
            } catch (NoSuchFileException gone) {
                // another process removed it: nothing cached
            }
        }
        return newest;
    }

    private void open(String gen) throws IOException {
        Files.createDirectories(directory);
        generation = gen;
        data = FileChannel.open(directory.resolve(gen + ".data"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        log = FileChannel.open(directory.resolve(gen + ".extents"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        logReader = FileChannel.open(directory.resolve(gen + ".extents"), StandardOpenOption.READ);
        logParsed = 0;
        extents.clear();
        refresh();
    }

    private void closeFiles() {
        for (FileChannel c : new FileChannel[] {data, log, logReader}) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // read-only use is over; nothing to lose
                }
            }
        }
        data = null;
        log = null;
        logReader = null;
    }

    /** The content generation of an ETag (hash of it), or {@link #NO_ETAG} when the server gave none. */
    static String generationOf(String etag) {
        if (etag == null || etag.isEmpty()) {
            return NO_ETAG;
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(etag.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The generation whose bytes are cached, or null when nothing was ever cached. */
    synchronized String generation() {
        return generation;
    }

    /** How many times the content changed in this process (a source compares it across its reads). */
    synchronized int changes() {
        return changes;
    }

    /**
     * Takes note that the server answered with bytes of generation {@code gen} (from its ETag), for
     * {@code piece} (or null for no piece). The first generation seen becomes the blob's; a different
     * one later means the content changed: the cached bytes are dropped, a new generation is started,
     * and the pieces in flight are reset (their bytes are of the old content). An answer of a
     * generation replaced earlier in this process is refused as stale.
     */
    synchronized void observe(String gen, Piece piece) throws IOException {
        if (!gen.equals(generation)) {
            if (retired.contains(gen)) {
                throw new ContentChanged(directory + ": the server answered with content it has since replaced");
            }
            if (generation == null) {
                open(gen);
            } else {
                String old = generation;
                retired.add(old);
                closeFiles();
                Files.deleteIfExists(directory.resolve(old + ".data"));
                Files.deleteIfExists(directory.resolve(old + ".extents"));
                open(gen);
                changes++;
            }
        }
        if (piece != null && !gen.equals(piece.generation)) {
            piece.next = piece.start;
            piece.crc.reset();
            piece.generation = gen;
        }
    }

    /** Reads the log's lines appended since last time (by this or another process). */
    private void refresh() throws IOException {
        if (logReader == null) {
            return;
        }
        long length = logReader.size();
        if (length <= logParsed) {
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(length - logParsed, 64L << 20));
        while (buf.hasRemaining() && logReader.read(buf, logParsed + buf.position()) > 0) {
            // fill
        }
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
        int lineStart = 0;
        int nl;
        while ((nl = text.indexOf('\n', lineStart)) >= 0) {
            parse(text.substring(lineStart, nl));
            lineStart = nl + 1;
        }
        // A last line without its newline is being appended (or was torn): read again next time.
        logParsed += lineStart;
    }

    private void parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return;
        }
        String body = line.substring(0, line.lastIndexOf(' '));
        if (crc(body.getBytes(StandardCharsets.US_ASCII)) != Integer.parseUnsignedInt(m.group(5), 16)) {
            return;
        }
        long start;
        long end;
        try {
            start = Long.parseLong(m.group(2));
            end = Long.parseLong(m.group(3));
        } catch (NumberFormatException e) {
            return;
        }
        if (start < 0 || end <= start || end > size) {
            return;
        }
        int crc = Integer.parseUnsignedInt(m.group(4), 16);
        if (m.group(1).isEmpty()) {
            add(new Extent(start, end, crc, false));
        } else {
            Extent e = extents.get(start);
            if (e != null && e.end == end && e.crc == crc) {
                extents.remove(start);
            }
        }
    }

    /** Adds an extent unless one already covers it; drops those it covers. */
    private void add(Extent e) {
        Map.Entry<Long, Extent> floor = extents.floorEntry(e.start);
        if (floor != null && floor.getValue().end >= e.end) {
            return;
        }
        Iterator<Extent> it = extents.tailMap(e.start, true).values().iterator();
        while (it.hasNext()) {
            Extent next = it.next();
            if (next.start >= e.end) {
                break;
            }
            if (next.end <= e.end) {
                it.remove();
            }
        }
        extents.put(e.start, e);
    }

    private Extent covering(long at) {
        Map.Entry<Long, Extent> e = extents.floorEntry(at);
        return e != null && e.getValue().end > at ? e.getValue() : null;
    }

    private Piece pendingAt(long at) {
        Map.Entry<Long, Piece> p = pending.floorEntry(at);
        return p != null && p.getValue().end > at ? p.getValue() : null;
    }

    /** Whether every byte of {@code [start, end)} is cached. */
    synchronized boolean covers(long start, long end) {
        long at = start;
        while (at < end) {
            Extent e = covering(at);
            if (e == null) {
                return false;
            }
            at = e.end;
        }
        return true;
    }

    /** Bytes of {@code [s0, e0, s1, e1, ...]} not cached. */
    synchronized long uncoveredBytes(long[] ranges) throws IOException {
        refresh();
        long n = 0;
        for (long[] r : uncovered(ranges)) {
            n += r[1] - r[0];
        }
        return n;
    }

    /** The parts of {@code [s0, e0, s1, e1, ...]} (ascending) that are neither cached nor being fetched. */
    synchronized List<long[]> uncovered(long[] ranges) {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < ranges.length; i += 2) {
            long at = ranges[i];
            long end = ranges[i + 1];
            while (at < end) {
                Extent e = covering(at);
                if (e != null) {
                    at = e.end;
                    continue;
                }
                Piece p = pendingAt(at);
                if (p != null) {
                    at = p.end;
                    continue;
                }
                long next = end;
                Long e2 = extents.higherKey(at);
                if (e2 != null) {
                    next = Math.min(next, e2);
                }
                Long p2 = pending.higherKey(at);
                if (p2 != null) {
                    next = Math.min(next, p2);
                }
                out.add(new long[] {at, next});
                at = next;
            }
        }
        return out;
    }

    /**
     * Claims {@code [start, end)}: every part neither cached nor being fetched becomes a piece the
     * caller must fetch (and complete or fail); parts being fetched are returned to wait for.
     */
    synchronized Claim claim(long start, long end) throws IOException {
        Claim c = new Claim();
        if (!covers(start, end)) {
            refresh();
        }
        long at = start;
        while (at < end) {
            Extent e = covering(at);
            if (e != null) {
                at = Math.min(e.end, end);
                continue;
            }
            Piece p = pendingAt(at);
            if (p != null) {
                c.theirs.add(p);
                at = Math.min(p.end, end);
                continue;
            }
            long next = end;
            Long e2 = extents.higherKey(at);
            if (e2 != null) {
                next = Math.min(next, e2);
            }
            Long p2 = pending.higherKey(at);
            if (p2 != null) {
                next = Math.min(next, p2);
            }
            Piece mine = new Piece(at, next);
            pending.put(at, mine);
            c.mine.add(mine);
            at = next;
        }
        return c;
    }

    /**
     * Writes the next bytes of {@code piece} (at {@code piece.next}), after {@link #observe} gave the
     * piece its generation. Throws {@link ContentChanged} when that generation has since been
     * replaced (the bytes are of no use; the piece is fetched again).
     */
    void write(Piece piece, ByteBuffer bytes) throws IOException {
        FileChannel channel;
        synchronized (this) {
            if (piece.generation == null || !piece.generation.equals(generation)) {
                throw new ContentChanged(directory + ": content replaced while being fetched");
            }
            channel = data;
        }
        ByteBuffer view = bytes.duplicate();
        piece.crc.update(view);
        long at = piece.next;
        while (bytes.hasRemaining()) {
            try {
                at += channel.write(bytes, at);
            } catch (IOException e) {
                throw writeFailure(e);
            }
        }
        piece.next = at;
    }

    /** A failed write of the cache: a full disk is the user's to fix, so it is a one-line error naming the file. */
    private IOException writeFailure(IOException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("No space left") || m.contains("Disk quota exceeded")) {
            throw new NeuroMfaException(directory.resolve(generation + ".data").toString(),
                    "no space left on device writing the Hub cache", e);
        }
        return e;
    }

    /** The piece is complete: its line is appended, its bytes become readable, its waiters are released. */
    void complete(Piece piece) throws IOException {
        int crc = (int) piece.crc.getValue();
        synchronized (this) {
            pending.remove(piece.start, piece);
            if (piece.generation == null || !piece.generation.equals(generation)) {
                ContentChanged stale = new ContentChanged(directory + ": content replaced while being fetched");
                piece.done.completeExceptionally(stale);
                throw stale;
            }
            {
                String body = piece.start + " " + piece.end + " " + hex(crc);
                byte[] line = (body + " " + hex(crc(body.getBytes(StandardCharsets.US_ASCII))) + "\n")
                        .getBytes(StandardCharsets.US_ASCII);
                try {
                    log.write(ByteBuffer.wrap(line));
                } catch (IOException e) {
                    piece.done.completeExceptionally(e);
                    throw writeFailure(e);
                }
                add(new Extent(piece.start, piece.end, crc, true));
            }
        }
        piece.done.complete(null);
    }

    /** The piece could not be fetched: others waiting for it fetch it themselves. */
    void abandon(Piece piece, Throwable failure) {
        synchronized (this) {
            pending.remove(piece.start, piece);
        }
        piece.done.completeExceptionally(failure);
    }

    /**
     * Copies {@code [position, position + length)} into {@code destination}, checking each range
     * against its checksum the first time this process uses it. Returns false when a range is
     * missing or was found damaged (it is then struck out, so the caller fetches it again).
     */
    boolean read(long position, byte[] destination, int offset, int length) throws IOException {
        long end = position + length;
        long at = position;
        while (at < end) {
            Extent e;
            FileChannel channel;
            synchronized (this) {
                e = covering(at);
                channel = data;
            }
            if (e == null || channel == null) {
                return false;
            }
            if (!e.verified && !verify(e, channel)) {
                return false;
            }
            int n = (int) (Math.min(e.end, end) - at);
            ByteBuffer b = ByteBuffer.wrap(destination, offset + (int) (at - position), n);
            while (b.hasRemaining()) {
                int r = channel.read(b, at + (b.position() - (offset + (int) (at - position))));
                if (r < 0) {
                    strike(e);
                    return false;
                }
            }
            at += n;
        }
        return true;
    }

    private boolean verify(Extent e, FileChannel channel) throws IOException {
        CRC32C c = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(1 << 20, e.end - e.start));
        long at = e.start;
        while (at < e.end) {
            buf.clear().limit((int) Math.min(buf.capacity(), e.end - at));
            int n = channel.read(buf, at);
            if (n <= 0) {
                strike(e);
                return false;
            }
            buf.flip();
            c.update(buf);
            at += n;
        }
        if ((int) c.getValue() != e.crc) {
            strike(e);
            return false;
        }
        e.verified = true;
        return true;
    }

    /**
     * Checks every cached range overlapping {@code [s0, e0, s1, e1, ...]} that this process has not
     * checked yet against its checksum; damaged ones are struck out (and so fetched again).
     */
    void verify(long[] ranges) throws IOException {
        List<Extent> unchecked = new ArrayList<>();
        FileChannel channel;
        synchronized (this) {
            refresh();
            channel = data;
            for (int i = 0; i < ranges.length; i += 2) {
                long at = ranges[i];
                while (at < ranges[i + 1]) {
                    Extent e = covering(at);
                    if (e == null) {
                        Long next = extents.higherKey(at);
                        if (next == null) {
                            break;
                        }
                        at = next;
                        continue;
                    }
                    if (!e.verified && (unchecked.isEmpty() || unchecked.get(unchecked.size() - 1) != e)) {
                        unchecked.add(e);
                    }
                    at = e.end;
                }
            }
        }
        if (channel == null) {
            return;
        }
        for (Extent e : unchecked) {
            verify(e, channel);
        }
    }

    /** Whether a range overlapping {@code [start, end)} was struck out as damaged in this process. */
    synchronized boolean struck(long start, long end) {
        for (long[] s : struckRanges) {
            if (s[0] < end && s[1] > start) {
                return true;
            }
        }
        return false;
    }

    /** Strikes a damaged range out of the log and of memory. */
    private synchronized void strike(Extent e) throws IOException {
        struckRanges.add(new long[] {e.start, e.end});
        if (extents.get(e.start) == e) {
            extents.remove(e.start);
        }
        if (log != null) {
            String body = "-" + e.start + " " + e.end + " " + hex(e.crc);
            byte[] line = (body + " " + hex(crc(body.getBytes(StandardCharsets.US_ASCII))) + "\n")
                    .getBytes(StandardCharsets.US_ASCII);
            log.write(ByteBuffer.wrap(line));
        }
    }

    /**
     * The complete ranges recorded in {@code directory}'s newest generation, as {@code {start, end,
     * crc}}, by start (read from the log as a new process would; for tests and diagnostics).
     */
    static List<long[]> recorded(Path directory, long size) throws IOException {
        Blob b = new Blob(directory, size);
        synchronized (b) {
            b.openNewestReadOnly();
            List<long[]> out = new ArrayList<>();
            for (Extent e : b.extents.values()) {
                out.add(new long[] {e.start, e.end, e.crc & 0xffffffffL});
            }
            return out;
        }
    }

    /** The newest generation's data file in {@code directory}, or null. */
    static Path dataFile(Path directory) throws IOException {
        Blob b = new Blob(directory, Long.MAX_VALUE);
        String gen = b.newestGeneration();
        return gen == null ? null : directory.resolve(gen + ".data");
    }

    private void openNewestReadOnly() throws IOException {
        String gen = newestGeneration();
        if (gen == null) {
            return;
        }
        generation = gen;
        logReader = FileChannel.open(directory.resolve(gen + ".extents"), StandardOpenOption.READ);
        try {
            refresh();
        } finally {
            logReader.close();
            logReader = null;
        }
    }

    /** Number of complete ranges (tests and statistics). */
    synchronized int extentCount() {
        return extents.size();
    }

    static int crc(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes, 0, bytes.length);
        return (int) c.getValue();
    }

    private static String hex(int v) {
        return HexFormat.of().toHexDigits(v);
    }

    /** Bytes arrived for a content generation that has since been replaced. */
    static final class ContentChanged extends IOException {
        private static final long serialVersionUID = 1L;

        ContentChanged(String message) {
            super(message);
        }
    }
}

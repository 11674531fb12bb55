package org.neuromfa.source.hub;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one request to a host costs, learnt from the answers: the time to an answer's first byte
 * (the round trip, server time included) and the rate one connection receives a body at, alone and
 * while the others of a plan's fetch are busy too. It decides how a read plan is cut into requests.
 *
 * <p>The rule. Each connection works through its requests one after another, and a request costs
 * its round trip {@code L} plus its bytes at the per-connection rate {@code r}; with {@code N}
 * connections the whole takes about {@code (R L + B / r) / N} for {@code R} requests of {@code B}
 * bytes in all. Reading the gap of {@code g} bytes between two planned ranges along with them saves
 * one request ({@code L / N}) and costs {@code g / (r N)}: worth it exactly when {@code g < L r}. So
 * neighbouring ranges are merged when their gap is below {@link #worthwhileGap} = {@code L r}, with
 * {@code r} the rate a connection gets while all {@code N} are busy: on a shared link, its share.
 * Long ranges are cut into pieces ({@link #pieceSize}) so that one slow transfer does not hold the
 * rest: about four pieces per connection over the plan, at least 256 KiB (below that, a round trip
 * would dominate every piece) and at most 16 MiB.
 *
 * <p>Estimates. The round trip is the shortest time to first byte among a host's last
 * {@value #LATENCY_SAMPLES} answers: the first answers of a process also pay for connecting and for
 * code not yet compiled, and a busy server's slow answers are not what a request on a warm
 * connection costs. The window is long because answers come in bursts: the answers to a plan's
 * parallel requests wait behind each other at a busy server, so all of a burst's last answers can
 * be slow (on the local test server at 30 ms, the last 16 of 49 local headers fetched at once had
 * waited 50 to 120 ms), and a short window would then take the wait for the link and coalesce gaps
 * two to four times too long. Rates are moving averages over bodies of at least {@value #MIN_RATE_SAMPLE}
 * bytes (a smaller one is mostly its round trip), kept apart for bodies fetched alone (headers, a
 * read outside any plan: the rate {@link #readAhead} uses) and bodies of a plan's parallel fetch
 * (the share the rule uses). Until a plan has been fetched from a host, the share is taken as the
 * lower of the rate alone and a {@value #FALLBACK_LINK_MB} MB/s link divided among the connections;
 * until a host has answered at all, the round trip is {@value #FALLBACK_LATENCY_MS} ms and the rate
 * alone {@value #FALLBACK_RATE_MB} MB/s.
 */
class LinkModel {
    static final double FALLBACK_LATENCY_MS = 50;
    static final double FALLBACK_RATE_MB = 10;
    static final double FALLBACK_LINK_MB = 125;
    static final long MIN_RATE_SAMPLE = 256 << 10;
    static final long MIN_PIECE = 256 << 10;
    static final long MAX_PIECE = 16 << 20;
    /** Weight of a new sample in the moving averages. */
    private static final double ALPHA = 0.2;

    private static final Map<String, LinkModel> BY_ORIGIN = new ConcurrentHashMap<>();

    static final int LATENCY_SAMPLES = 256;

    private final double[] latencies = new double[LATENCY_SAMPLES];
    private int latencyCount;
    double latencySeconds = -1;
    /** Bytes per second of a body alone, and of one among a plan's parallel bodies; -1 until measured. */
    double alone = -1;
    double shared = -1;

    /** A model that learns nothing: the given round trip (seconds) and rate (bytes per second), alone and shared. */
    static LinkModel fixed(double latencySeconds, double bytesPerSecond) {
        LinkModel m = new LinkModel() {
            @Override
            synchronized void answered(long nanos) {
            }

            @Override
            synchronized void received(long bytes, long nanos, boolean parallel) {
            }
        };
        m.latencySeconds = latencySeconds;
        m.alone = bytesPerSecond;
        m.shared = bytesPerSecond;
        return m;
    }

    /** The model of the host that serves {@code uri} (scheme, host and port). */
    static LinkModel of(URI uri) {
        String origin = (uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort()).toLowerCase(Locale.ROOT);
        return BY_ORIGIN.computeIfAbsent(origin, o -> new LinkModel());
    }

    /** An answer's headers arrived {@code nanos} after its request was sent. */
    synchronized void answered(long nanos) {
        latencies[latencyCount++ % LATENCY_SAMPLES] = nanos / 1e9;
        double min = Double.MAX_VALUE;
        for (int i = 0; i < Math.min(latencyCount, LATENCY_SAMPLES); i++) {
            min = Math.min(min, latencies[i]);
        }
        latencySeconds = min;
    }

    /** A body of {@code bytes} took {@code nanos} from its first to its last byte; {@code parallel} for a plan's piece. */
    synchronized void received(long bytes, long nanos, boolean parallel) {
        if (bytes < MIN_RATE_SAMPLE || nanos <= 0) {
            return;
        }
        double rate = bytes / (nanos / 1e9);
        if (parallel) {
            shared = shared < 0 ? rate : (1 - ALPHA) * shared + ALPHA * rate;
        } else {
            alone = alone < 0 ? rate : (1 - ALPHA) * alone + ALPHA * rate;
        }
    }

    synchronized double latencySeconds() {
        return latencySeconds < 0 ? FALLBACK_LATENCY_MS / 1000 : latencySeconds;
    }

    /** Bytes per second one request alone receives. */
    synchronized double rateAlone() {
        return alone < 0 ? FALLBACK_RATE_MB * 1e6 : alone;
    }

    /** Bytes per second each of {@code connections} busy connections receives. */
    synchronized double rateShared(int connections) {
        if (shared >= 0) {
            return shared;
        }
        return Math.min(rateAlone(), FALLBACK_LINK_MB * 1e6 / Math.max(1, connections));
    }

    /** Gaps between planned ranges shorter than this are cheaper read than skipped, with {@code connections} at work. */
    long worthwhileGap(int connections) {
        return (long) (latencySeconds() * rateShared(connections));
    }

    /** What one request alone can bring in the time of a round trip: how far a miss reads ahead. */
    long readAhead() {
        return (long) (latencySeconds() * rateAlone());
    }

    /** The size pieces of a plan of {@code totalBytes} are cut into, for {@code connections} at once. */
    static long pieceSize(long totalBytes, int connections) {
        long even = totalBytes / (4L * Math.max(1, connections));
        return Math.max(MIN_PIECE, Math.min(MAX_PIECE, even));
    }

    /** Forgets every estimate (tests that change a server's simulated link). */
    static void reset() {
        BY_ORIGIN.clear();
    }
}

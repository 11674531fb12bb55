package org.neuromfa.source.hub;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one request to a host costs, learnt from the answers: the time to an answer's first byte
 * (the round trip, server time included) and the rate one connection receives a body at while the
 * others are busy too. It decides how a read plan is cut into requests.
 *
 * <p>The rule. Each connection works through its requests one after another, and a request costs
 * its round trip {@code L} plus its bytes at the per-connection rate {@code r}; with {@code N}
 * connections the whole takes about {@code (R L + B / r) / N} for {@code R} requests of {@code B}
 * bytes in all. Reading the gap of {@code g} bytes between two planned ranges along with them saves
 * one request ({@code L / N}) and costs {@code g / (r N)}: worth it exactly when {@code g < L r}. So
 * neighbouring ranges are merged when their gap is below {@link #worthwhileGap} = {@code L r}.
 * Long ranges are cut into pieces ({@link #pieceSize}) so that one slow transfer does not hold the
 * rest: about four pieces per connection over the plan, at least 256 KiB (below that, a round trip
 * would dominate every piece) and at most 16 MiB.
 *
 * <p>The round trip is the shortest time to first byte among a host's last {@value #LATENCY_SAMPLES}
 * answers: the first answers of a process also pay for connecting and for code not yet compiled,
 * and a busy server's slow answers are not what a request on a warm connection costs. The rate is a
 * moving average over bodies. Until a host has answered, the fallbacks are a
 * round trip of {@value #FALLBACK_LATENCY_MS} ms and {@value #FALLBACK_RATE_MB} MB/s per connection
 * (a fast link shared by a few dozen connections). Only bodies of at least {@value #MIN_RATE_SAMPLE}
 * bytes give a rate: a smaller one is mostly its round trip.
 */
class LinkModel {
    static final double FALLBACK_LATENCY_MS = 50;
    static final double FALLBACK_RATE_MB = 4;
    static final long MIN_RATE_SAMPLE = 256 << 10;
    static final long MIN_PIECE = 256 << 10;
    static final long MAX_PIECE = 16 << 20;
    /** Weight of a new sample in the moving averages. */
    private static final double ALPHA = 0.2;

    private static final Map<String, LinkModel> BY_ORIGIN = new ConcurrentHashMap<>();

    static final int LATENCY_SAMPLES = 16;

    private final double[] latencies = new double[LATENCY_SAMPLES];
    private int latencyCount;
    private double latencySeconds = -1;
    private double bytesPerSecond = -1;

    /** A model that learns nothing: the given round trip (seconds) and rate (bytes per second). */
    static LinkModel fixed(double latencySeconds, double bytesPerSecond) {
        LinkModel m = new LinkModel() {
            @Override
            synchronized void answered(long nanos) {
            }

            @Override
            synchronized void received(long bytes, long nanos) {
            }
        };
        m.latencySeconds = latencySeconds;
        m.bytesPerSecond = bytesPerSecond;
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

    /** A body of {@code bytes} took {@code nanos} from its first to its last byte. */
    synchronized void received(long bytes, long nanos) {
        if (bytes < MIN_RATE_SAMPLE || nanos <= 0) {
            return;
        }
        double rate = bytes / (nanos / 1e9);
        bytesPerSecond = bytesPerSecond < 0 ? rate : (1 - ALPHA) * bytesPerSecond + ALPHA * rate;
    }

    synchronized double latencySeconds() {
        return latencySeconds < 0 ? FALLBACK_LATENCY_MS / 1000 : latencySeconds;
    }

    synchronized double bytesPerSecond() {
        return bytesPerSecond < 0 ? FALLBACK_RATE_MB * 1e6 : bytesPerSecond;
    }

    /** Gaps between planned ranges shorter than this are cheaper read than skipped. */
    long worthwhileGap() {
        return (long) (latencySeconds() * bytesPerSecond());
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

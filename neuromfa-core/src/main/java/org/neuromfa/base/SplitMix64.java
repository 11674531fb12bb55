package org.neuromfa.base;

import java.nio.charset.StandardCharsets;

/**
 * A small seeded generator whose every draw is specified here bit for bit, so that what it drives
 * (the null models' permutations and draws, the bootstrap's resamples) is the same on every JDK and
 * processor and for any number of threads. The generator is SplitMix64 (Steele, Lea and Flood,
 * "Fast splittable pseudorandom number generators", OOPSLA 2014): a 64-bit counter advanced by the
 * golden-ratio increment {@code 0x9e3779b97f4a7c15}, each value passed through Stafford's "variant
 * 13" mixer. {@link java.util.SplittableRandom} uses the same core, but the JDK does not promise its
 * bounded and Gaussian draws across versions; these are written out below, and the Gaussian draws
 * use {@link StrictMath}, whose results are specified exactly.
 */
public final class SplitMix64 {
    private static final long GAMMA = 0x9e3779b97f4a7c15L;

    private long state;
    private double spareGaussian;
    private boolean hasSpare;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** A generator seeded from several parts (a seed, a name, indices), each mixed in turn. */
    public static SplitMix64 of(long... parts) {
        long h = 0x243f6a8885a308d3L;
        for (long p : parts) {
            h = mix((h + GAMMA) ^ p);
        }
        return new SplitMix64(h);
    }

    /** A 64-bit hash of a name (its UTF-8 bytes, FNV-1a), for seeding by name. */
    public static long hash(String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** A 64-bit hash of integers (order matters), for seeding by a list of indices. */
    public static long hash(int[] values) {
        long h = 0x9e3779b97f4a7c15L ^ values.length;
        for (int v : values) {
            h = mix(h + v);
        }
        return h;
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        state += GAMMA;
        return mix(state);
    }

    /**
     * A uniform integer in {@code [0, bound)}: the top 63 bits of a draw modulo bound, redrawn while
     * the draw falls into the incomplete last stretch of {@code bound} values (so every value is
     * equally likely).
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long m = bound;
        while (true) {
            long r = nextLong() >>> 1;
            long v = r % m;
            // r - v is the start of r's stretch of m values; the stretch is complete when it ends
            // at or below 2^63 - 1, that is when r - v + (m - 1) does not overflow.
            if (r - v + (m - 1) >= 0) {
                return (int) v;
            }
        }
    }

    /** A uniform double in {@code [0, 1)}: the top 53 bits of a draw. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * A standard normal draw by the Box-Muller transform: two uniforms {@code u1} in (0, 1] and
     * {@code u2} give {@code sqrt(-2 ln u1) cos(2 pi u2)} and, at the next call,
     * {@code sqrt(-2 ln u1) sin(2 pi u2)}.
     */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u1 = 1.0 - nextDouble();
        double u2 = nextDouble();
        double radius = StrictMath.sqrt(-2 * StrictMath.log(u1));
        double angle = 2 * StrictMath.PI * u2;
        spareGaussian = radius * StrictMath.sin(angle);
        hasSpare = true;
        return radius * StrictMath.cos(angle);
    }
}

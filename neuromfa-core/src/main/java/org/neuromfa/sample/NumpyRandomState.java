package org.neuromfa.sample;

/**
 * The parts of numpy's legacy {@code numpy.random.RandomState} that the reference code uses, bit for
 * bit: the MT19937 generator seeded by {@code init_genrand}, the legacy bounded-integer draw by
 * masked rejection on 32-bit outputs, and {@code choice(n, k, replace=False)}, which the legacy
 * generator implements as the first k entries of {@code permutation(n)}.
 *
 * <p>Sources of the facts: Matsumoto and Nishimura's MT19937 reference (constants, tempering,
 * {@code init_genrand}) and numpy's legacy {@code RandomState.shuffle}/{@code choice} semantics
 * (Fisher-Yates from the top index down, each swap index drawn with {@code random_interval}).
 */
public final class NumpyRandomState {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] mt = new int[N];
    private int mti;

    /** {@code RandomState(seed)} for an integer seed in [0, 2^32). */
    public NumpyRandomState(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("seed must be in [0, 2^32): " + seed);
        }
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            // Knuth's multiplier; arithmetic is modulo 2^32, which Java int overflow gives us.
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        mti = N;
    }

    /** The next raw 32-bit output (unsigned, held in an int). */
    public int nextInt32() {
        if (mti >= N) {
            regenerate();
        }
        int y = mt[mti++];
        y ^= (y >>> 11);
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= (y >>> 18);
        return y;
    }

    private void regenerate() {
        int kk;
        for (kk = 0; kk < N - M; kk++) {
            int y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        for (; kk < N - 1; kk++) {
            int y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        int y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
        mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        mti = 0;
    }

    /**
     * A uniform integer in [0, max] by masked rejection, as numpy's legacy {@code random_interval}:
     * mask the raw output to the smallest all-ones bit pattern covering max and redraw while it is
     * above max. Bounds above 2^32 - 1 are not needed by any sample plan and are refused.
     */
    public long interval(long max) {
        if (max == 0) {
            return 0;
        }
        if (max < 0 || max > 0xffffffffL) {
            throw new IllegalArgumentException("interval bound out of range: " + max);
        }
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long value;
        do {
            value = Integer.toUnsignedLong(nextInt32()) & mask;
        } while (value > max);
        return value;
    }

    /** {@code permutation(n)}: a legacy Fisher-Yates shuffle of 0..n-1. */
    public int[] permutation(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i >= 1; i--) {
            int j = (int) interval(i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** {@code choice(n, k, replace=False)}: the first k entries of {@code permutation(n)}. */
    public int[] choice(int n, int k) {
        if (k > n) {
            throw new IllegalArgumentException("cannot take " + k + " of " + n + " without replacement");
        }
        int[] p = permutation(n);
        int[] out = new int[k];
        System.arraycopy(p, 0, out, 0, k);
        return out;
    }
}

package org.neuromfa.spectrum;

import java.math.BigDecimal;
import java.util.Arrays;
import org.neuromfa.NeuroMfaException;

/**
 * The moment orders q at which the partition function is evaluated. The reference builds q as
 * integers divided by 100 ({@code q_n = n/100}, n = -300, -290, ..., 300), and those exact doubles
 * matter for the spectrum's differences; this grid builds every q as an integer divided by a power of
 * ten in the same way, for any decimal min, max and step.
 */
public final class QGrid {
    private final double[] q;
    private final String min;
    private final String max;
    private final String step;

    /** The reference grid, -3 to 3 in steps of 0.1 (61 values). */
    public static QGrid reference() {
        return of("-3", "3", "0.1");
    }

    /** A grid from decimal strings (so that "0.1" means one tenth, not the nearest double). */
    public static QGrid of(String min, String max, String step) {
        BigDecimal lo = decimal(min, "q-min");
        BigDecimal hi = decimal(max, "q-max");
        BigDecimal st = decimal(step, "q-step");
        if (st.signum() <= 0) {
            throw new NeuroMfaException("q-step must be positive, not " + step);
        }
        if (hi.compareTo(lo) <= 0) {
            throw new NeuroMfaException("q-max (" + max + ") must be greater than q-min (" + min + ")");
        }
        // The reference divides by 100; use at least that so its grid is reproduced exactly.
        int scale = Math.max(2, Math.max(lo.stripTrailingZeros().scale(),
                Math.max(hi.stripTrailingZeros().scale(), st.stripTrailingZeros().scale())));
        if (scale > 9) {
            throw new NeuroMfaException("q values need at most 9 decimal places");
        }
        BigDecimal denominator = BigDecimal.TEN.pow(scale);
        long n0 = lo.multiply(denominator).longValueExact();
        long n1 = hi.multiply(denominator).longValueExact();
        long dn = st.multiply(denominator).longValueExact();
        long count = (n1 - n0) / dn + 1;
        if (count < 2 || count > 100_000) {
            throw new NeuroMfaException("the q grid must have between 2 and 100000 values, not " + count);
        }
        double den = denominator.doubleValue();
        double[] q = new double[(int) count];
        for (int i = 0; i < q.length; i++) {
            q[i] = (n0 + i * dn) / den;
        }
        return new QGrid(q, min, max, step);
    }

    private static BigDecimal decimal(String s, String what) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            throw new NeuroMfaException(what + " must be a decimal number, not '" + s + "'");
        }
    }

    private QGrid(double[] q, String min, String max, String step) {
        this.q = q;
        this.min = min;
        this.max = max;
        this.step = step;
    }

    public int size() {
        return q.length;
    }

    public double get(int i) {
        return q[i];
    }

    public double[] values() {
        return q.clone();
    }

    public String min() {
        return min;
    }

    public String max() {
        return max;
    }

    public String step() {
        return step;
    }

    /** Grids are equal when they hold the same values of q. */
    @Override
    public boolean equals(Object o) {
        return o instanceof QGrid && Arrays.equals(q, ((QGrid) o).q);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(q);
    }
}

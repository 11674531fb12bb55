package org.neuromfa.spectrum;

import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;

/**
 * The radii {@code lo <= r <= hi} whose points enter the fit of tau(q) (the scaling range). The
 * measure itself is unchanged: masses are still normalised at {@code D = max R} over all radii; only
 * the least-squares line uses fewer points. The default, {@link #all()}, fits every radius, as the
 * reference does.
 */
public final class RadiusRange {
    private static final RadiusRange ALL = new RadiusRange(0, Double.POSITIVE_INFINITY);

    private final double lo;
    private final double hi;

    private RadiusRange(double lo, double hi) {
        this.lo = lo;
        this.hi = hi;
    }

    public static RadiusRange all() {
        return ALL;
    }

    public static RadiusRange of(double lo, double hi) {
        if (!(lo >= 0) || Double.isNaN(hi) || !(hi > lo)) {
            throw new NeuroMfaException(Message.setting("radius_range") + " needs 0 <= lo < hi, not " + lo + ":" + hi);
        }
        return new RadiusRange(lo, hi);
    }

    /** Parses {@code lo:hi}; either side may be empty (no bound). */
    public static RadiusRange parse(String text) {
        String t = text.trim();
        int colon = t.indexOf(':');
        if (colon < 0 || t.indexOf(':', colon + 1) >= 0) {
            throw new NeuroMfaException(Message.setting("radius_range") + " must look like lo:hi (for example 5:120), not '" + text + "'");
        }
        String a = t.substring(0, colon).trim();
        String b = t.substring(colon + 1).trim();
        try {
            return of(a.isEmpty() ? 0 : Double.parseDouble(a), b.isEmpty() ? Double.POSITIVE_INFINITY : Double.parseDouble(b));
        } catch (NumberFormatException e) {
            throw new NeuroMfaException(Message.setting("radius_range") + " must look like lo:hi (for example 5:120), not '" + text + "'");
        }
    }

    public boolean isAll() {
        return lo == 0 && hi == Double.POSITIVE_INFINITY;
    }

    public boolean contains(double r) {
        return r >= lo && r <= hi;
    }

    public double lo() {
        return lo;
    }

    public double hi() {
        return hi;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RadiusRange && Double.compare(lo, ((RadiusRange) o).lo) == 0
                && Double.compare(hi, ((RadiusRange) o).hi) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(lo) * 31 + Double.hashCode(hi);
    }

    @Override
    public String toString() {
        return isAll() ? "all" : fmt(lo) + ":" + (hi == Double.POSITIVE_INFINITY ? "" : fmt(hi));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}

package org.neuromfa.spectrum;

import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;

/**
 * The radii {@code lo <= r <= hi} whose points enter the fit of tau(q) (the scaling range). The
 * measure itself is unchanged: masses are still normalised at {@code D = max R} over all radii; only
 * the least-squares line uses fewer points. The default, {@link #all()}, fits every radius, as the
 * reference does; {@link #auto()} asks for the range to be chosen from the data, once per checkpoint
 * ({@link ScalingRangeSearch}): a sample on its own is then fitted over all radii.
 */
public final class RadiusRange {
    private static final RadiusRange ALL = new RadiusRange(0, Double.POSITIVE_INFINITY, false);
    private static final RadiusRange AUTO = new RadiusRange(0, Double.POSITIVE_INFINITY, true);

    private final double lo;
    private final double hi;
    private final boolean auto;

    private RadiusRange(double lo, double hi, boolean auto) {
        this.lo = lo;
        this.hi = hi;
        this.auto = auto;
    }

    public static RadiusRange all() {
        return ALL;
    }

    /** The range chosen per checkpoint from its samples' partition functions (METHOD.md section 5.10). */
    public static RadiusRange auto() {
        return AUTO;
    }

    /** Whether the range is to be chosen from the data. */
    public boolean isAuto() {
        return auto;
    }

    public static RadiusRange of(double lo, double hi) {
        if (!(lo >= 0) || Double.isNaN(hi) || !(hi > lo)) {
            throw new NeuroMfaException(Message.setting("radius_range") + " needs 0 <= lo < hi, not " + lo + ":" + hi);
        }
        return new RadiusRange(lo, hi, false);
    }

    /** Parses {@code lo:hi} (either side may be empty: no bound) or {@code auto}. */
    public static RadiusRange parse(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("auto")) {
            return AUTO;
        }
        int colon = t.indexOf(':');
        if (colon < 0 || t.indexOf(':', colon + 1) >= 0) {
            throw new NeuroMfaException(Message.setting("radius_range") + " must look like lo:hi (for example 5:120) or be auto, not '" + text + "'");
        }
        String a = t.substring(0, colon).trim();
        String b = t.substring(colon + 1).trim();
        try {
            return of(a.isEmpty() ? 0 : Double.parseDouble(a), b.isEmpty() ? Double.POSITIVE_INFINITY : Double.parseDouble(b));
        } catch (NumberFormatException e) {
            throw new NeuroMfaException(Message.setting("radius_range") + " must look like lo:hi (for example 5:120) or be auto, not '" + text + "'");
        }
    }

    /** Every radius, fitted as it is (not {@link #auto()}). */
    public boolean isAll() {
        return !auto && lo == 0 && hi == Double.POSITIVE_INFINITY;
    }

    /** Whether the fit uses radius {@code r}; every radius for {@link #auto()} before its range is chosen. */
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
                && Double.compare(hi, ((RadiusRange) o).hi) == 0 && auto == ((RadiusRange) o).auto;
    }

    @Override
    public int hashCode() {
        return (Double.hashCode(lo) * 31 + Double.hashCode(hi)) * 2 + (auto ? 1 : 0);
    }

    @Override
    public String toString() {
        return auto ? "auto" : isAll() ? "all" : fmt(lo) + ":" + (hi == Double.POSITIVE_INFINITY ? "" : fmt(hi));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}

package org.neuromfa.spectrum;

import java.util.Arrays;

/**
 * A singularity spectrum f(alpha), as a {@link SpectrumEstimator} makes it from the mass exponents
 * tau(q): the points {@code (alpha_j, f_j)}, alpha0, the alpha at the first maximum of f (the peak:
 * how irregular the network is), and the width {@code max alpha - min alpha} (how heterogeneous).
 * Immutable; the arrays handed out are copies.
 */
public final class SingularitySpectrum {
    private final double[] alpha;
    private final double[] f;
    private final double alpha0;
    private final double width;

    private SingularitySpectrum(double[] alpha, double[] f, double alpha0, double width) {
        this.alpha = alpha;
        this.f = f;
        this.alpha0 = alpha0;
        this.width = width;
    }

    /**
     * The spectrum with points {@code (alpha[j], f[j])} (taken, not copied), its alpha0 at the first
     * maximum of f and its width. The first maximum decides the reference's tie between q = 0 and the
     * q just below it (see {@link ForwardDifferenceSpectrum}), as the reference's argmax does.
     */
    static SingularitySpectrum of(double[] alpha, double[] f) {
        int peak = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < alpha.length; j++) {
            if (f[j] > f[peak]) {
                peak = j;
            }
            min = Math.min(min, alpha[j]);
            max = Math.max(max, alpha[j]);
        }
        return new SingularitySpectrum(alpha, f, alpha[peak], max - min);
    }

    /**
     * A spectrum as it was computed and stored: points, alpha0 and width as given (a result read back
     * from its JSON form; a hand-written result may give alpha0 and width without the points).
     */
    public static SingularitySpectrum stored(double[] alpha, double[] f, double alpha0, double width) {
        if (alpha.length != f.length) {
            throw new IllegalArgumentException("alpha and f of different lengths: " + alpha.length + " and " + f.length);
        }
        return new SingularitySpectrum(alpha.clone(), f.clone(), alpha0, width);
    }

    public double[] alpha() {
        return alpha.clone();
    }

    public double[] f() {
        return f.clone();
    }

    /** The number of points. */
    public int size() {
        return alpha.length;
    }

    /** Alpha at the peak of f: the irregularity of the network. */
    public double alpha0() {
        return alpha0;
    }

    /** {@code max alpha - min alpha}: the heterogeneity of the network. */
    public double width() {
        return width;
    }

    /** Equal spectra: the same points, alpha0 and width ({@link Double#compare}: NaN equals NaN). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SingularitySpectrum)) {
            return false;
        }
        SingularitySpectrum s = (SingularitySpectrum) o;
        return Arrays.equals(alpha, s.alpha) && Arrays.equals(f, s.f) && Double.compare(alpha0, s.alpha0) == 0
                && Double.compare(width, s.width) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(alpha) * 31 + Double.hashCode(alpha0);
    }
}

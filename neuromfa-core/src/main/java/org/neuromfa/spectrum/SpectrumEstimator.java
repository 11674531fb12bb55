package org.neuromfa.spectrum;

import java.util.Locale;
import org.neuromfa.NeuroMfaException;

/** How the singularity spectrum f(alpha) is obtained from the mass exponents tau(q). */
public enum SpectrumEstimator {
    /** The published code's forward differences (60 points for 61 q); the default. */
    REFERENCE("reference"),
    /** The Legendre transform with alpha from central differences, at every q. */
    LEGENDRE("legendre");

    private final String label;

    SpectrumEstimator(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public SingularitySpectrum spectrum(QGrid grid, double[] tau) {
        return this == LEGENDRE ? SingularitySpectrum.legendre(grid, tau) : SingularitySpectrum.of(grid, tau);
    }

    public static SpectrumEstimator of(String name) {
        for (SpectrumEstimator e : values()) {
            if (e.label.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new NeuroMfaException("--spectrum must be reference or legendre, not '" + name + "'");
    }
}

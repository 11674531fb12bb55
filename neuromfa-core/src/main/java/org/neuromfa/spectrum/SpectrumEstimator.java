package org.neuromfa.spectrum;

import java.util.List;
import java.util.Locale;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;

/**
 * How the singularity spectrum f(alpha) is obtained from the mass exponents tau(q) on a q grid. One
 * class per estimator; a new one is a new class here and an entry in {@link #values()}, by which
 * {@link #of} finds it by its {@link #label()} (the name in options and results).
 */
public interface SpectrumEstimator {
    /** The published code's forward differences (60 points for 61 q); the default. */
    SpectrumEstimator REFERENCE = new ForwardDifferenceSpectrum();
    /** The Legendre transform with alpha from central differences, at every q. */
    SpectrumEstimator LEGENDRE = new LegendreSpectrum();

    /** The name used in options and in results. */
    String label();

    /** The spectrum of the exponents {@code tau}, one per q of {@code grid}. */
    SingularitySpectrum spectrum(QGrid grid, double[] tau);

    /** Every estimator, the default first. */
    static SpectrumEstimator[] values() {
        return new SpectrumEstimator[] {REFERENCE, LEGENDRE};
    }

    /** The estimator labelled {@code name} (case and surrounding spaces ignored). */
    static SpectrumEstimator of(String name) {
        for (SpectrumEstimator e : values()) {
            if (e.label().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        List<String> labels = new java.util.ArrayList<>();
        for (SpectrumEstimator e : values()) {
            labels.add(e.label());
        }
        throw new NeuroMfaException(Message.setting("estimator") + " must be " + String.join(" or ", labels) + ", not '" + name + "'");
    }
}

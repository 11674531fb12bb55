package org.neuromfa.spectrum;

import java.util.Objects;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;

/**
 * How tau(q) is fitted and f(alpha) estimated, and when a fit is reported as poor. Immutable, with
 * {@code withX} copies; the defaults are the reference's (all radii, forward differences).
 */
public final class SpectrumOptions {
    /** R^2 below which a fit is reported as poor unless chosen otherwise. */
    public static final double DEFAULT_MIN_R_SQUARED = 0.9;

    private final SpectrumEstimator estimator;
    private final RadiusRange radiusRange;
    private final double minRSquared;

    private SpectrumOptions(SpectrumEstimator estimator, RadiusRange radiusRange, double minRSquared) {
        this.estimator = estimator;
        this.radiusRange = radiusRange;
        this.minRSquared = minRSquared;
    }

    public static SpectrumOptions reference() {
        return new SpectrumOptions(SpectrumEstimator.REFERENCE, RadiusRange.all(), DEFAULT_MIN_R_SQUARED);
    }

    public SpectrumOptions withEstimator(SpectrumEstimator value) {
        return new SpectrumOptions(value, radiusRange, minRSquared);
    }

    public SpectrumOptions withRadiusRange(RadiusRange value) {
        return new SpectrumOptions(estimator, value, minRSquared);
    }

    public SpectrumOptions withMinRSquared(double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new NeuroMfaException(Message.setting("min_r_squared") + " must be between 0 and 1, not " + value);
        }
        return new SpectrumOptions(estimator, radiusRange, value);
    }

    public SpectrumEstimator estimator() {
        return estimator;
    }

    public RadiusRange radiusRange() {
        return radiusRange;
    }

    /** Fits with a smaller R^2 are reported (they do not change any number). */
    public double minRSquared() {
        return minRSquared;
    }

    /** Equal options: the same estimator (by its label), radius range and R^2 threshold. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SpectrumOptions)) {
            return false;
        }
        SpectrumOptions s = (SpectrumOptions) o;
        return estimator.label().equals(s.estimator.label()) && radiusRange.equals(s.radiusRange)
                && Double.compare(minRSquared, s.minRSquared) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(estimator.label(), radiusRange, minRSquared);
    }
}

package org.neuromfa.spectrum;

import org.neuromfa.NeuroMfaException;

/**
 * The reference's optional filters on a sample's spectrum before averaging over seeds
 * (METHOD.md section 5.9). Mode 0 keeps everything (the default).
 */
public enum QualityFilter {
    /** Keep every sample. */
    NONE(0),
    /** Drop samples where any f(alpha) is positive (a spectrum that is not a proper measure's). */
    POSITIVE_F(1),
    /** Drop samples whose largest alpha exceeds the first (q = q-min) alpha by more than 0.01. */
    NON_MONOTONE_ALPHA(2),
    /** Drop on either condition. */
    BOTH(3);

    private final int mode;

    QualityFilter(int mode) {
        this.mode = mode;
    }

    public int mode() {
        return mode;
    }

    public static QualityFilter ofMode(int mode) {
        for (QualityFilter f : values()) {
            if (f.mode == mode) {
                return f;
            }
        }
        throw new NeuroMfaException("filter mode must be 0, 1, 2 or 3, not " + mode);
    }

    /** Whether a sample with this spectrum is kept. */
    public boolean keeps(double[] alpha, double[] f) {
        boolean positive = false;
        for (double v : f) {
            if (v > 0) {
                positive = true;
                break;
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double a : alpha) {
            max = Math.max(max, a);
        }
        boolean rising = max - alpha[0] > 0.01;
        switch (this) {
            case POSITIVE_F: return !positive;
            case NON_MONOTONE_ALPHA: return !rising;
            case BOTH: return !positive && !rising;
            default: return true;
        }
    }
}

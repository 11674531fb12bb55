package org.neuromfa.study;


/**
 * The degree of emergence of a checkpoint against the baseline (training step 0), METHOD.md
 * section 6.2: {@code E(t) = (width(t) / width(0)) * ln(alpha0(0) / alpha0(t))}. Growing
 * heterogeneity (width) and falling irregularity (alpha0) both raise E; the baseline has E = 0.
 */
public final class EmergenceDegree {
    private EmergenceDegree() {
    }

    /** E of a checkpoint with means {@code alpha0}, {@code width} against the baseline's means; NaN when undefined. */
    public static double of(double alpha0Baseline, double widthBaseline, double alpha0, double width) {
        return (width / widthBaseline) * Math.log(alpha0Baseline / alpha0);
    }
}

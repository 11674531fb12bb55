package org.neuromfa.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.Locale;
import org.knowm.xchart.XYChart;

/**
 * Training steps on a logarithmic x axis with step 0 set apart. A log axis has no 0, and drawing
 * step 0 at 1 (as the plots once did) puts Pythia's step 0 and step 1 on the same spot. Here the
 * axis is linear in log10(step), step 0 gets a slot of its own one decade left of the lowest
 * decade with a positive step, and a dashed line breaks the axis between the two (the way a
 * symlog axis keeps 0 apart). Ticks are labelled with the steps (0, 1, 10, 1,000, ...).
 */
final class StepAxis {
    /** The x of step 0 (in decades), when there is a step 0; else NaN. */
    private final double zeroAt;
    private final double min;
    private final double max;

    private StepAxis(double zeroAt, double min, double max) {
        this.zeroAt = zeroAt;
        this.min = min;
        this.max = max;
    }

    /** The axis for all of {@code steps} (each array the steps of one series). */
    static StepAxis of(long[]... steps) {
        long lowest = Long.MAX_VALUE;
        long highest = 0;
        boolean zero = false;
        for (long[] a : steps) {
            for (long s : a) {
                if (s <= 0) {
                    zero = true;
                } else {
                    lowest = Math.min(lowest, s);
                    highest = Math.max(highest, s);
                }
            }
        }
        if (lowest == Long.MAX_VALUE) {
            // Only step 0: one decade to show it in.
            return new StepAxis(0, -0.5, 0.5);
        }
        double lo = Math.floor(Math.log10(lowest));
        double hi = Math.log10(highest);
        double zeroAt = zero ? lo - 1 : Double.NaN;
        double span = Math.max(hi - (zero ? zeroAt : lo), 1);
        double pad = 0.04 * span;
        return new StepAxis(zeroAt, (zero ? zeroAt : Math.log10(lowest)) - pad, hi + pad);
    }

    /** Where {@code step} is drawn. */
    double x(long step) {
        return step <= 0 ? zeroAt : Math.log10(step);
    }

    double[] xs(long[] steps) {
        double[] x = new double[steps.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = x(steps[i]);
        }
        return x;
    }

    /** Where the step {@code 10^decades} (not necessarily a whole step, as on a fitted line) is drawn. */
    static double atDecades(double decades) {
        return decades;
    }

    static String title() {
        return "training step (log scale; step 0 set apart)";
    }

    /** Sets {@code c}'s x axis to this one: its range, tick labels and the break before step 0. */
    void apply(XYChart c) {
        c.getStyler().setXAxisLogarithmic(false);
        c.getStyler().setXAxisMin(min);
        c.getStyler().setXAxisMax(max);
        c.getStyler().setXAxisTickLabelsFormattingFunction(this::label);
        if (!Double.isNaN(zeroAt)) {
            org.knowm.xchart.AnnotationLine cut = new org.knowm.xchart.AnnotationLine(zeroAt + 0.5, true, false);
            c.getStyler().setAnnotationLineColor(new Color(0x88, 0x88, 0x88));
            c.getStyler().setAnnotationLineStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                    10f, new float[] {4f, 4f}, 0f));
            c.addAnnotation(cut);
        }
    }

    /**
     * The label of the tick at {@code x}: the step there (at a whole decade 1, 10, 1,000; between
     * decades to three significant digits, 3.16, 316), "0" at step 0's slot, and nothing in the
     * gap around the break. Every label differs from the others: XChart thins out ticks whose
     * labels repeat until only the axis ends are left.
     */
    String label(Double x) {
        double v = x;
        if (!Double.isNaN(zeroAt)) {
            if (Math.abs(v - zeroAt) < 1e-9) {
                return "0";
            }
            if (v < zeroAt + 0.75) {
                // At most a few ticks fall in the gap: invisible and still different.
                return "\u200b".repeat(1 + Math.floorMod(Math.round(v * 20), 8));
            }
        }
        if (Math.abs(v - Math.rint(v)) < 1e-9) {
            return String.format(Locale.ROOT, "%,d", Math.round(Math.pow(10, Math.rint(v))));
        }
        java.math.BigDecimal step = new java.math.BigDecimal(Math.pow(10, v)).round(new java.math.MathContext(3));
        if (step.compareTo(java.math.BigDecimal.valueOf(1000)) >= 0) {
            return String.format(Locale.ROOT, "%,d", step.longValue());
        }
        return step.stripTrailingZeros().toPlainString();
    }
}

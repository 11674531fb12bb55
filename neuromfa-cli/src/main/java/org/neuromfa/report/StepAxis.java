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
     * The label of the tick at {@code x}: the step there at a whole decade (1, 10, 1,000), at 2 and 5
     * times a decade (2,000, 5,000) and at half a decade (3.16, 316, to three significant digits), "0"
     * at step 0's slot; other ticks (XChart spaces them evenly in decades, so between decades they fall
     * on steps such as 631 and 1,260) and those in the gap around the break have no visible label.
     * Every label differs from the others: XChart thins out ticks whose labels repeat until only the
     * axis ends are left.
     */
    String label(Double x) {
        double v = x;
        if (!Double.isNaN(zeroAt)) {
            if (Math.abs(v - zeroAt) < 1e-9) {
                return "0";
            }
            if (v < zeroAt + 0.75) {
                return invisible(v);
            }
        }
        if (Math.abs(v - Math.rint(v)) < 1e-9) {
            return String.format(Locale.ROOT, "%,d", Math.round(Math.pow(10, Math.rint(v))));
        }
        double decade = Math.floor(v);
        double mantissa = Math.pow(10, v - decade);
        for (int nice : new int[] {2, 5}) {
            // 10^0.3 and 10^0.7 are within 0.25% of 2 and 5: the same place on the axis.
            if (Math.abs(mantissa / nice - 1) < 0.005) {
                return plain(java.math.BigDecimal.valueOf(nice).scaleByPowerOfTen((int) decade));
            }
        }
        if (Math.abs(v - decade - 0.5) > 1e-9) {
            return invisible(v);
        }
        return plain(new java.math.BigDecimal(Math.pow(10, v)).round(new java.math.MathContext(3)));
    }

    private static String plain(java.math.BigDecimal step) {
        if (step.compareTo(java.math.BigDecimal.valueOf(1000)) >= 0) {
            return String.format(Locale.ROOT, "%,d", step.longValue());
        }
        return step.stripTrailingZeros().toPlainString();
    }

    /**
     * No visible label, and a different one for every tick: the tick's hundredths of a decade modulo
     * 127 in binary, a space for 0 and a zero-width space for 1, after a zero-width space. XChart's
     * spacings (1, 2, 2.5 or 5 times a power of ten, at least 0.01 decades) share no factor with the
     * prime 127, so fewer than 127 ticks never repeat; and a label stays under XChart's 20 characters
     * (a longer one never "fits", and its tick search would not end).
     */
    private static String invisible(double v) {
        int n = (int) Math.floorMod(Math.round(v * 100), 127L);
        StringBuilder b = new StringBuilder("\u200b");
        for (int bit = 6; bit >= 0; bit--) {
            b.append((n >> bit & 1) == 0 ? ' ' : '\u200b');
        }
        return b.toString();
    }
}

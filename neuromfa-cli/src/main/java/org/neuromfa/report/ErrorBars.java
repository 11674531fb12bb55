package org.neuromfa.report;

import java.awt.BasicStroke;
import java.awt.Color;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Error bars with caps, drawn as line series (one per bar, only the first in the legend): XChart's
 * own error bars are vertical only and have no caps, and a scatter of a benchmark against E needs
 * them horizontal. Bars whose ends are not finite are left out.
 */
final class ErrorBars {
    private ErrorBars() {
    }

    /**
     * Vertical bars from {@code low[i]} to {@code high[i]} at {@code x[i]}, with caps of {@code cap};
     * the first is named {@code legend}, the others {@code hidden + i} (hidden from the legend).
     */
    static boolean vertical(XYChart c, String legend, String hidden, double[] x, double[] low, double[] high,
                            Cap cap, Color colour) {
        return bars(c, legend, hidden, x, low, high, cap, colour, true);
    }

    /** Horizontal bars from {@code low[i]} to {@code high[i]} at height {@code y[i]}, named as {@link #vertical}. */
    static boolean horizontal(XYChart c, String legend, String hidden, double[] y, double[] low, double[] high,
                              Cap cap, Color colour) {
        return bars(c, legend, hidden, y, low, high, cap, colour, false);
    }

    private static boolean bars(XYChart c, String legend, String hidden, double[] at, double[] low, double[] high,
                                Cap cap, Color colour, boolean vertical) {
        boolean first = true;
        for (int i = 0; i < at.length; i++) {
            if (!Double.isFinite(low[i]) || !Double.isFinite(high[i]) || !Double.isFinite(at[i])) {
                continue;
            }
            double lo = at[i] - cap.left(at[i]);
            double hi = at[i] + cap.right(at[i]);
            // One series per bar: across the far cap, along the bar, across the near cap.
            double[] across = {lo, hi, at[i], at[i], lo, hi};
            double[] along = {high[i], high[i], high[i], low[i], low[i], low[i]};
            String name = first ? legend : hidden + i + "\u200b";
            if (vertical) {
                add(c, name, across, along, first, colour);
            } else {
                add(c, name, along, across, first, colour);
            }
            first = false;
        }
        return !first;
    }

    private static void add(XYChart c, String name, double[] x, double[] y, boolean inLegend, Color colour) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(colour);
        s.setLineStyle(new BasicStroke(1.2f));
        s.setShowInLegend(inLegend);
    }

    /** Half a cap's width either side of a bar, in data units. */
    static final class Cap {
        private final double half;
        private final boolean log;

        private Cap(double half, boolean log) {
            this.half = half;
            this.log = log;
        }

        /** On a linear axis spanned by {@code values}: 1/150 of their span (0.05 when they do not spread). */
        static Cap linear(double[] values) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            return new Cap(max > min ? (max - min) / 150 : 0.05, false);
        }

        /** On a logarithmic axis from {@code min} to {@code max}: 1/150 of its span in log units, the same width everywhere on screen. */
        static Cap log(double min, double max) {
            return new Cap(Math.log(max / min) / 150, true);
        }

        double left(double x) {
            return log ? x * -Math.expm1(-half) : half;
        }

        double right(double x) {
            return log ? x * Math.expm1(half) : half;
        }
    }
}

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
        boolean first = true;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(low[i]) || !Double.isFinite(high[i]) || !Double.isFinite(x[i])) {
                continue;
            }
            double lo = x[i] - cap.left(x[i]);
            double hi = x[i] + cap.right(x[i]);
            // One series per bar: down the bar, across the bottom cap, back, up, across the top cap.
            add(c, first ? legend : hidden + i + "\u200b", new double[] {lo, hi, x[i], x[i], lo, hi},
                    new double[] {high[i], high[i], high[i], low[i], low[i], low[i]}, first, colour);
            first = false;
        }
        return !first;
    }

    /** Horizontal bars from {@code low[i]} to {@code high[i]} at height {@code y[i]}, named as {@link #vertical}. */
    static boolean horizontal(XYChart c, String legend, String hidden, double[] y, double[] low, double[] high,
                              Cap cap, Color colour) {
        boolean first = true;
        for (int i = 0; i < y.length; i++) {
            if (!Double.isFinite(low[i]) || !Double.isFinite(high[i]) || !Double.isFinite(y[i])) {
                continue;
            }
            double down = y[i] - cap.left(y[i]);
            double up = y[i] + cap.right(y[i]);
            // Up the left cap, back to the middle, across, up and down the right cap.
            add(c, first ? legend : hidden + i + "\u200b", new double[] {low[i], low[i], low[i], high[i], high[i], high[i]},
                    new double[] {down, up, y[i], y[i], up, down}, first, colour);
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

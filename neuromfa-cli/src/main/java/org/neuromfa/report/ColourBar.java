package org.neuromfa.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.Locale;

/**
 * The key of the spectra's colours: training steps on the same logarithmic scale (log10(step + 1))
 * the curves are coloured by, drawn as a vertical bar beside the plot with the steps at its ticks.
 */
final class ColourBar {
    /** Width of the strip the bar is drawn in, beside the chart. */
    static final int WIDTH = 110;
    private final long lowest;
    private final long highest;
    private final double end;

    ColourBar(long[] steps, double end) {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (long s : steps) {
            lo = Math.min(lo, s);
            hi = Math.max(hi, s);
        }
        this.lowest = Math.max(0, lo);
        this.highest = Math.max(this.lowest, hi);
        this.end = end;
    }

    private double v(long step) {
        return Math.log10(step + 1.0);
    }

    void paint(Graphics2D g) {
        int top = 70;
        int bottom = 440;
        int left = 14;
        int barWidth = 18;
        double vLo = v(lowest);
        double vHi = v(highest);
        // 60 bands: smooth to the eye, and few shapes in the SVG.
        int bands = 60;
        for (int k = 0; k < bands; k++) {
            int y0 = top + (int) Math.round(k * (bottom - top) / (double) bands);
            int y1 = top + (int) Math.round((k + 1) * (bottom - top) / (double) bands);
            g.setColor(Plots.viridis(end * (1 - (k + 0.5) / bands)));
            g.fillRect(left, y0, barWidth, y1 - y0);
        }
        g.setColor(new Color(0x55, 0x55, 0x55));
        g.drawRect(left, top, barWidth, bottom - top);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics m = g.getFontMetrics();
        g.setColor(new Color(0x22, 0x22, 0x22));
        g.drawString("training step", left - 4, top - 14);
        // Ticks at the lowest and highest step and at every decade between.
        java.util.TreeSet<Long> ticks = new java.util.TreeSet<>();
        ticks.add(lowest);
        ticks.add(highest);
        for (long d = 1; d <= highest && d > 0; d *= 10) {
            if (d > lowest) {
                ticks.add(d);
            }
        }
        int lastY = Integer.MIN_VALUE;
        for (long t : ticks.descendingSet()) {
            double f = vHi > vLo ? (v(t) - vLo) / (vHi - vLo) : 0;
            int y = (int) Math.round(bottom - f * (bottom - top));
            // Skip a tick whose label would overlap the one above it.
            if (lastY != Integer.MIN_VALUE && y - lastY < m.getHeight() && t != lowest) {
                continue;
            }
            g.drawLine(left + barWidth, y, left + barWidth + 4, y);
            g.drawString(String.format(Locale.ROOT, "%,d", t), left + barWidth + 7, y + m.getAscent() / 2 - 1);
            lastY = y;
        }
    }
}

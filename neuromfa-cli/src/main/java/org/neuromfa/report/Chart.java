package org.neuromfa.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jfree.svg.SVGGraphics2D;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.neuromfa.base.AtomicFiles;

/** One finished plot with a file name stem, written as PNG (for viewing) and SVG (for papers and the report). */
public final class Chart {
    static {
        // Plots are drawn off screen; servers and CI have no display.
        System.setProperty("java.awt.headless", "true");
    }

    public final String name;
    public final String title;
    final XYChart chart;

    Chart(String name, String title, XYChart chart) {
        this.name = name;
        this.title = title;
        this.chart = chart;
    }

    public byte[] png() throws IOException {
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /** A standalone SVG document; {@code idPrefix} keeps clip-path ids unique when several are inlined. */
    public String svg(String idPrefix) {
        SVGGraphics2D g = new SVGGraphics2D(chart.getWidth(), chart.getHeight());
        g.setDefsKeyPrefix(idPrefix);
        chart.paint(g, chart.getWidth(), chart.getHeight());
        return g.getSVGDocument();
    }

    /** Writes {@code DIR/name.png} and {@code DIR/name.svg}, each atomically. */
    public void save(Path dir) throws IOException {
        AtomicFiles.write(dir.resolve(name + ".png"), png());
        AtomicFiles.write(dir.resolve(name + ".svg"), svg(name + "-").getBytes(StandardCharsets.UTF_8));
    }
}

package org.neuromfa.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
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
    /** Drawn to the right of the chart (a colour bar), in a strip {@link #strip} pixels wide; or null. */
    private final Consumer<Graphics2D> side;
    private final int strip;

    Chart(String name, String title, XYChart chart) {
        this(name, title, chart, 0, null);
    }

    Chart(String name, String title, XYChart chart, int strip, Consumer<Graphics2D> side) {
        this.name = name;
        this.title = title;
        this.chart = chart;
        this.strip = strip;
        this.side = side;
    }

    /** Width of the whole image in pixels (the chart and the strip beside it). */
    public int width() {
        return chart.getWidth() + strip;
    }

    public int height() {
        return chart.getHeight();
    }

    public byte[] png() throws IOException {
        if (side == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", out);
            return out.toByteArray();
        }
        BufferedImage image = new BufferedImage(width(), height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width(), height());
        paint(g);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private void paint(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        chart.paint(g, chart.getWidth(), chart.getHeight());
        if (side != null) {
            Graphics2D s = (Graphics2D) g.create();
            s.translate(chart.getWidth(), 0);
            side.accept(s);
            s.dispose();
        }
    }

    /**
     * A standalone SVG document; {@code idPrefix} keeps clip-path ids unique when several are
     * inlined. XChart draws every letter as an outline, so coordinates are written to a tenth of a
     * pixel (invisible at any zoom a reader uses), which halves the file against full precision.
     */
    public String svg(String idPrefix) {
        SVGGraphics2D g = new SVGGraphics2D(width(), height());
        g.setDefsKeyPrefix(idPrefix);
        g.setGeomDoubleConverter(Chart::tenth);
        paint(g);
        return g.getSVGDocument();
    }

    /** {@code v} to one decimal, without a trailing ".0". */
    static String tenth(double v) {
        long t = Math.round(v * 10);
        if (t % 10 == 0) {
            return Long.toString(t / 10);
        }
        return String.format(Locale.ROOT, "%s%d.%d", t < 0 ? "-" : "", Math.abs(t) / 10, Math.abs(t) % 10);
    }

    /** Writes {@code DIR/name.png} and {@code DIR/name.svg}, each atomically. */
    public void save(Path dir) throws IOException {
        AtomicFiles.write(dir.resolve(name + ".png"), png());
        AtomicFiles.write(dir.resolve(name + ".svg"), svg(name + "-").getBytes(StandardCharsets.UTF_8));
    }
}

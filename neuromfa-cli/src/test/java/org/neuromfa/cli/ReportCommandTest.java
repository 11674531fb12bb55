package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report: self-contained, and rendered by headless Chromium (Debian's {@code chromium}) without
 * console errors and with every plot visible. CI installs Chromium (.ci/run); elsewhere the Chromium
 * part is skipped when the browser is missing, but never under CI.
 */
class ReportCommandTest {
    /** The border colour of plots in the report's style sheet (img.plot). */
    private static final int BORDER = 0xccd3da;

    @TempDir
    Path tmp;

    private Path report() throws Exception {
        var cps = TrajectoryCommandTest.checkpoints(tmp.resolve("ck"));
        Path t = tmp.resolve("trajectory.json");
        Cli tr = Cli.run("trajectory", cps.get(0), cps.get(1), cps.get(2), "--samples", "2", "--nodes-per-layer", "12",
                "--nfd", "--no-store", "--json", t.toString());
        assertThat(tr.exitCode).as(tr.toString()).isZero();
        Path csv = tmp.resolve("bench.csv");
        Files.writeString(csv, "revision,a\nstep0,0.20\nstep1000,0.31\nstep13000,0.35\nstep33000,0.36\nstep143000,0.40\n");
        Path c = tmp.resolve("correlation.json");
        Cli cr = Cli.run("correlate", CorrelateCommandTest.resource("hand-trajectory.json").toString(),
                "--benchmarks", csv.toString(), "--json", c.toString());
        assertThat(cr.exitCode).as(cr.toString()).isZero();
        Path s = tmp.resolve("scaling.json");
        Cli sr = Cli.run("scaling", ScalingCommandTest.handTrajectory(tmp, "m1", 70426624, 1.2, 0.65).toString(),
                ScalingCommandTest.handTrajectory(tmp, "m2", 162322944, 1.1, 0.7).toString(),
                ScalingCommandTest.handTrajectory(tmp, "m3", 405334016, 1.05, 0.74).toString(), "--json", s.toString());
        assertThat(sr.exitCode).as(sr.toString()).isZero();
        Path html = tmp.resolve("report.html");
        Cli rr = Cli.run("report", t.toString(), c.toString(), s.toString(), "--out", html.toString());
        assertThat(rr.exitCode).as(rr.toString()).isZero();
        // Trajectory: spectra, alpha0, width, E, NFD; correlation: 2 series x 2 plots; scaling: 1.
        assertThat(rr.out).contains("(10 plots)");
        return html;
    }

    @Test
    void reportIsSelfContained() throws Exception {
        String html = Files.readString(report());
        assertThat(html).startsWith("<!DOCTYPE html>").doesNotContain("<script").doesNotContain("src=\"http")
                .doesNotContain("href=\"http").doesNotContain("url(http").doesNotContain("@import");
        assertThat(html).contains("nodes_per_layer").contains("step13000").contains("Pearson r").contains("ln N");
        // The scaling table gives each model's spread over seeds (unknown here: one seed each).
        assertThat(html).contains("<th>E s.d. over seeds</th><th>alpha0 (mean &plusmn; s.d.)</th>");
        assertThat(html.split("src=\"data:image/svg\\+xml;base64,", -1)).hasSize(11);
    }

    private static Path chromium() {
        for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                Path p = Paths.get(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    private static final class Run {
        final String stdout;
        final String stderr;

        Run(String stdout, String stderr) {
            this.stdout = stdout;
            this.stderr = stderr;
        }
    }

    private Run chromium(Path browser, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--hide-scrollbars", "--user-data-dir=" + Files.createTempDirectory(tmp, "profile"),
                "--enable-logging=stderr", "--v=0"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "stdout", ".txt");
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 180 s: " + cmd);
        }
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        return new Run(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Console messages of the page (Chromium logs them as CONSOLE lines with --enable-logging). */
    private static List<String> console(String stderr) {
        return stderr.lines().filter(l -> l.contains(":CONSOLE")).toList();
    }

    @Test
    void rendersInHeadlessChromiumWithEveryPlotVisible() throws Exception {
        Path browser = chromium();
        if (browser == null) {
            assertThat(System.getenv("CI")).as("Chromium must be installed under CI (.ci/run)").isNull();
            assumeTrue(false, "chromium not installed");
        }
        // The console check itself works: a page with an error is caught.
        Path bad = tmp.resolve("bad.html");
        Files.writeString(bad, "<!DOCTYPE html><html><body><script>console.error('broken page')</script></body></html>");
        assertThat(console(chromium(browser, "--dump-dom", bad.toUri().toString()).stderr)).hasSize(1);

        Path html = report();
        Run dom = chromium(browser, "--dump-dom", html.toUri().toString());
        assertThat(console(dom.stderr)).as("console messages").isEmpty();
        assertThat(dom.stdout).contains("<h1>NeuroMFA report</h1>");
        assertThat(dom.stdout.split("<img class=\"plot\"", -1)).hasSize(11);

        Path shot = tmp.resolve("shot.png");
        Run run = chromium(browser, "--window-size=1000,9000", "--screenshot=" + shot, html.toUri().toString());
        assertThat(console(run.stderr)).isEmpty();
        BufferedImage image = ImageIO.read(shot.toFile());
        List<int[]> plots = plotBoxes(image);
        assertThat(plots).as("plots found in the screenshot").hasSize(10);
        for (int[] box : plots) {
            // A drawn plot: coloured series and dark text and axes inside its frame. A broken image would
            // leave the frame empty but for its alternative text.
            int coloured = 0;
            int dark = 0;
            for (int y = box[0] + 2; y < box[1] - 1; y++) {
                for (int x = box[2] + 2; x < box[3] - 1; x++) {
                    int rgb = image.getRGB(x, y);
                    int r = (rgb >> 16) & 0xff;
                    int g = (rgb >> 8) & 0xff;
                    int b = rgb & 0xff;
                    int max = Math.max(r, Math.max(g, b));
                    int min = Math.min(r, Math.min(g, b));
                    if (max - min > 60) {
                        coloured++;
                    }
                    if (max < 80) {
                        dark++;
                    }
                }
            }
            assertThat(box[1] - box[0]).as("plot height").isGreaterThan(400);
            assertThat(coloured).as("coloured pixels in the plot at y=%d", box[0]).isGreaterThan(300);
            assertThat(dark).as("text pixels in the plot at y=%d", box[0]).isGreaterThan(1000);
        }
    }

    /** Frames of the plot images: pairs of long horizontal runs of the border colour, as {top, bottom, left, right}. */
    private static List<int[]> plotBoxes(BufferedImage image) {
        List<int[]> lines = new ArrayList<>();
        for (int y = 0; y < image.getHeight(); y++) {
            int run = 0;
            for (int x = 0; x < image.getWidth(); x++) {
                if (near(image.getRGB(x, y), BORDER)) {
                    run++;
                    if (run >= 850) {
                        lines.add(new int[] {y, x - run + 1});
                        break;
                    }
                } else {
                    run = 0;
                }
            }
        }
        List<int[]> boxes = new ArrayList<>();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            int left = lines.get(i)[1];
            boxes.add(new int[] {lines.get(i)[0], lines.get(i + 1)[0], left, left + 850});
        }
        return boxes;
    }

    private static boolean near(int rgb, int colour) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((rgb >> shift) & 0xff) - ((colour >> shift) & 0xff)) > 3) {
                return false;
            }
        }
        return true;
    }
}

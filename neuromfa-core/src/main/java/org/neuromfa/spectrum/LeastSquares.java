package org.neuromfa.spectrum;

/**
 * Ordinary least-squares line through points (x, y), on primitive arrays: the one least-squares fit
 * of the library (the mass exponents, node fractal dimensions, and the lines drawn through plotted
 * points; METHOD.md section 5.5). The slope is computed from deviations,
 * {@code sum((x - mean x)(y - c)) / sum((x - mean x)^2)}, which is the same for every centre c in
 * exact arithmetic (the deviations of x sum to zero); the centre decides only the rounding. The
 * exponent fits centre y on its first value, so that a constant y (the partition function at q = 0)
 * gives a slope of exactly zero instead of rounding noise; a drawn line centres y on its mean, the
 * textbook form, whose intercept is {@code mean y - slope * mean x}.
 */
public final class LeastSquares {
    private LeastSquares() {
    }

    /** Mean of x and the sum of squared deviations from it, shared by every fit against the same x. */
    public static final class Abscissa {
        final double[] x;
        final double[] dx;
        final double sxx;
        final double mean;

        public Abscissa(double[] x) {
            this.x = x;
            double mean = 0;
            for (double v : x) {
                mean += v;
            }
            mean /= x.length;
            this.mean = mean;
            this.dx = new double[x.length];
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                dx[i] = x[i] - mean;
                s += dx[i] * dx[i];
            }
            this.sxx = s;
        }

        public int size() {
            return x.length;
        }
    }

    /**
     * Fits y against x (the first n = x.size() entries of y starting at {@code offset}) and stores
     * {slope, r squared, standard error of the slope} into {@code out}. With fewer than two distinct x
     * the slope is NaN; a constant y has slope 0 and r squared 1 (it is fitted exactly).
     */
    public static void fit(Abscissa x, double[] y, int offset, double[] out) {
        fit(x, y, offset, y[offset], out);
    }

    /** {@link #fit(Abscissa, double[], int, double[])} with y centred on {@code centre}. */
    private static void fit(Abscissa x, double[] y, int offset, double centre, double[] out) {
        int n = x.size();
        double sxy = 0;
        double sy = 0;
        for (int i = 0; i < n; i++) {
            double v = y[offset + i] - centre;
            sxy += x.dx[i] * v;
            sy += v;
        }
        double my = sy / n;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double v = y[offset + i] - centre - my;
            syy += v * v;
        }
        double slope = sxy / x.sxx;
        double r2;
        if (syy == 0) {
            r2 = 1;
        } else {
            r2 = sxy * sxy / (x.sxx * syy);
        }
        double residual = Math.max(0, syy - slope * sxy);
        double stderr = n > 2 ? Math.sqrt(residual / (n - 2) / x.sxx) : Double.NaN;
        out[0] = slope;
        out[1] = r2;
        out[2] = stderr;
    }

    /**
     * The line {@code {intercept, slope}} through the points, with the intercept
     * {@code mean y - slope * mean x}; null with fewer than two points or when every x is the same.
     */
    public static double[] line(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series of different lengths: " + x.length + " and " + y.length);
        }
        if (x.length < 2) {
            return null;
        }
        Abscissa a = new Abscissa(x);
        if (a.sxx == 0) {
            return null;
        }
        double my = 0;
        for (double v : y) {
            my += v;
        }
        my /= y.length;
        double[] out = new double[3];
        fit(a, y, 0, my, out);
        return new double[] {my - out[0] * a.mean, out[0]};
    }

    /** The slope alone. */
    public static double slope(double[] x, double[] y) {
        double[] out = new double[3];
        fit(new Abscissa(x), y, 0, out);
        return out[0];
    }
}

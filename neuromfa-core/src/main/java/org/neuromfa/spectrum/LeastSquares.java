package org.neuromfa.spectrum;

/**
 * Ordinary least-squares line through points (x, y), on primitive arrays. The slope is computed from
 * deviations, {@code sum((x - mean x)(y - y0)) / sum((x - mean x)^2)}, with y shifted by its first
 * value: the slope is unchanged by the shift, and a constant y (the partition function at q = 0)
 * then gives a slope of exactly zero instead of rounding noise.
 */
public final class LeastSquares {
    private LeastSquares() {
    }

    /** Mean of x and the sum of squared deviations from it, shared by every fit against the same x. */
    public static final class Abscissa {
        final double[] x;
        final double[] dx;
        final double sxx;

        public Abscissa(double[] x) {
            this.x = x;
            double mean = 0;
            for (double v : x) {
                mean += v;
            }
            mean /= x.length;
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
        int n = x.size();
        double y0 = y[offset];
        double sxy = 0;
        double sy = 0;
        for (int i = 0; i < n; i++) {
            double v = y[offset + i] - y0;
            sxy += x.dx[i] * v;
            sy += v;
        }
        double my = sy / n;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double v = y[offset + i] - y0 - my;
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

    /** The slope alone. */
    public static double slope(double[] x, double[] y) {
        double[] out = new double[3];
        fit(new Abscissa(x), y, 0, out);
        return out[0];
    }
}

package org.neuromfa.study;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.stat.correlation.PearsonsCorrelation;
import org.hipparchus.stat.correlation.SpearmansCorrelation;

/**
 * Pearson's r and Spearman's rho (average ranks for ties) of two paired series, each with its
 * two-sided p-value from Student's t with n - 2 degrees of freedom (the test scipy's pearsonr and
 * spearmanr report). Undefined values are NaN: everything with fewer than two pairs or a constant
 * series, the p-values with fewer than three pairs.
 */
public final class Correlation {
    public final int n;
    public final double pearsonR;
    public final double pearsonP;
    public final double spearmanRho;
    public final double spearmanP;

    private Correlation(int n, double pearsonR, double pearsonP, double spearmanRho, double spearmanP) {
        this.n = n;
        this.pearsonR = pearsonR;
        this.pearsonP = pearsonP;
        this.spearmanRho = spearmanRho;
        this.spearmanP = spearmanP;
    }

    /** A correlation as it was computed and stored (a result read back from its JSON form). */
    public static Correlation stored(int n, double pearsonR, double pearsonP, double spearmanRho, double spearmanP) {
        return new Correlation(n, pearsonR, pearsonP, spearmanRho, spearmanP);
    }

    public static Correlation of(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series of different lengths: " + x.length + " and " + y.length);
        }
        int n = x.length;
        if (n < 2 || constant(x) || constant(y)) {
            return new Correlation(n, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        RealMatrix data = new Array2DRowRealMatrix(n, 2);
        for (int i = 0; i < n; i++) {
            data.setEntry(i, 0, x[i]);
            data.setEntry(i, 1, y[i]);
        }
        PearsonsCorrelation pearson = new PearsonsCorrelation(data);
        PearsonsCorrelation spearman = new SpearmansCorrelation(data).getRankCorrelation();
        double r = pearson.getCorrelationMatrix().getEntry(0, 1);
        double rho = spearman.getCorrelationMatrix().getEntry(0, 1);
        double pr = n < 3 ? Double.NaN : pearson.getCorrelationPValues().getEntry(0, 1);
        double prho = n < 3 ? Double.NaN : spearman.getCorrelationPValues().getEntry(0, 1);
        return new Correlation(n, r, pr, rho, prho);
    }

    private static boolean constant(double[] v) {
        for (double d : v) {
            if (d != v[0]) {
                return false;
            }
        }
        return true;
    }
}

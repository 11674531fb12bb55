package org.neuromfa.spectrum;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the scaling range of a checkpoint from its samples' partition functions
 * ({@code --radius-range auto}, METHOD.md section 5.10): one window of radii {@code lo <= r <= hi},
 * the same for every q and every seed, by this rule:
 *
 * <ol>
 *   <li>A window must span at least half of the radii's whole range in {@code ln r}
 *       ({@link #MIN_SPAN_FRACTION}) and hold at least {@link #MIN_POINTS} radii of every sample.
 *       Its ends are radii that occur in some sample (at most {@link #MAX_ENDPOINTS} of them, evenly
 *       spaced in {@code ln r} when there are more).
 *   <li>Of the windows in which every fit of tau(q) (every q, every seed) reaches the target R^2, the
 *       widest in {@code ln(hi/lo)} is chosen ({@link Outcome#TARGET_REACHED}); ties go to the higher
 *       lowest R^2, then to the smaller {@code lo}.
 *   <li>When no window reaches the target, the window whose lowest R^2 is highest
 *       ({@link Outcome#BEST_FIT}; ties to the wider, then the smaller {@code lo}).
 *   <li>When no window fits the constraints of 1 (too few radii), all radii ({@link Outcome#ALL_RADII}).
 * </ol>
 *
 * <p>Why this rule: a power law is only evidence of scaling over a range of scales, so the window
 * must be wide (half the available decades), and the R^2 a user already judges fits by
 * ({@code --min-r-squared}) is the target, so that a chosen window's fits pass the same test. The
 * search evaluates every window's fits from running sums (a few million fits in a fraction of a
 * second); the window it picks by rule 2 is then fitted exactly, as the analysis will fit it, and
 * taken only if the exact fits reach the target too, so rounding in the running sums never decides.
 */
public final class ScalingRangeSearch {
    /** The fewest radii of any one sample in a window. */
    public static final int MIN_POINTS = 5;
    /** The shortest window, as a fraction of the whole range of {@code ln r} over all samples. */
    public static final double MIN_SPAN_FRACTION = 0.5;
    /** The most distinct radii considered as ends of a window. */
    public static final int MAX_ENDPOINTS = 200;

    private ScalingRangeSearch() {
    }

    /** How the window was found. */
    public enum Outcome {
        /** The widest window whose every fit reaches the target. */
        TARGET_REACHED("target_reached"),
        /** No window reaches the target: the one whose worst fit is best. */
        BEST_FIT("best_fit"),
        /** Too few radii for any window of the minimum span: every radius. */
        ALL_RADII("all_radii");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Outcome of(String label) {
            for (Outcome o : values()) {
                if (o.label.equals(label)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown outcome '" + label + "'");
        }
    }

    /** The chosen window. */
    public static final class Choice {
        /** The radii fitted: {@code [lo, hi]}, or all for {@link Outcome#ALL_RADII}. */
        public final RadiusRange range;
        public final int lo;
        public final int hi;
        public final Outcome outcome;
        /** {@code ln(hi / lo)}. */
        public final double lnSpan;
        /** The shortest span a window could have. */
        public final double minLnSpan;
        /** How many windows met the constraints. */
        public final int windows;

        Choice(RadiusRange range, int lo, int hi, Outcome outcome, double lnSpan, double minLnSpan, int windows) {
            this.range = range;
            this.lo = lo;
            this.hi = hi;
            this.outcome = outcome;
            this.lnSpan = lnSpan;
            this.minLnSpan = minLnSpan;
            this.windows = windows;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d:%d (%s, ln span %.3f of at least %.3f, %d windows)", lo, hi,
                    outcome.label(), lnSpan, minLnSpan, windows);
        }
    }

    /** One sample's running sums: of x, x^2, and per q of y, y^2, x y (y centred on its first value). */
    private static final class Sums {
        final int[] radii;
        final double[] x1;
        final double[] x2;
        final double[][] y1;
        final double[][] y2;
        final double[][] xy;

        Sums(PartitionFunction z) {
            radii = z.radii();
            int m = radii.length;
            int nq = z.qCount();
            double d = radii[m - 1];
            double[] logZ = z.logZ();
            x1 = new double[m + 1];
            x2 = new double[m + 1];
            y1 = new double[nq][m + 1];
            y2 = new double[nq][m + 1];
            xy = new double[nq][m + 1];
            double[] x = new double[m];
            for (int j = 0; j < m; j++) {
                x[j] = StrictMath.log(radii[j] / d);
                x1[j + 1] = x1[j] + x[j];
                x2[j + 1] = x2[j] + x[j] * x[j];
            }
            for (int k = 0; k < nq; k++) {
                double c = logZ[k * m];
                for (int j = 0; j < m; j++) {
                    double y = logZ[k * m + j] - c;
                    y1[k][j + 1] = y1[k][j] + y;
                    y2[k][j + 1] = y2[k][j] + y * y;
                    xy[k][j + 1] = xy[k][j] + x[j] * y;
                }
            }
        }

        /** The first index with radius at least {@code lo}. */
        int from(int lo) {
            int i = Arrays.binarySearch(radii, lo);
            return i >= 0 ? i : -i - 1;
        }

        /** One past the last index with radius at most {@code hi}. */
        int to(int hi) {
            int i = Arrays.binarySearch(radii, hi);
            return i >= 0 ? i + 1 : -i - 1;
        }

        /** The lowest R^2 over q of the fits over indices {@code [a, b)}, from the running sums. */
        double lowest(int a, int b) {
            double n = b - a;
            double sx = x1[b] - x1[a];
            double sxx = x2[b] - x2[a] - sx * sx / n;
            double low = 1;
            for (int k = 0; k < y1.length; k++) {
                double sy = y1[k][b] - y1[k][a];
                double syy = y2[k][b] - y2[k][a] - sy * sy / n;
                if (syy <= 0) {
                    continue; // a constant ln Z is fitted exactly (R^2 = 1), as LeastSquares says
                }
                double sxy = xy[k][b] - xy[k][a] - sx * sy / n;
                low = Math.min(low, sxy * sxy / (sxx * syy));
            }
            return low;
        }
    }

    /**
     * The window for the samples' partition functions (one per seed, all on the same q grid), with
     * {@code target} the R^2 every fit should reach.
     */
    public static Choice choose(List<PartitionFunction> partitions, double target) {
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("no partition functions");
        }
        List<Sums> sums = new ArrayList<>();
        for (PartitionFunction z : partitions) {
            sums.add(new Sums(z));
        }
        int[] union = union(partitions);
        int[] ends = union.length <= MAX_ENDPOINTS ? union : logSpaced(union, MAX_ENDPOINTS);
        double full = StrictMath.log((double) union[union.length - 1] / union[0]);
        double minSpan = MIN_SPAN_FRACTION * full;

        // Every window that meets the constraints, with its lowest R^2 from the running sums.
        List<double[]> windows = new ArrayList<>();
        for (int a = 0; a < ends.length; a++) {
            for (int b = ends.length - 1; b > a; b--) {
                double span = StrictMath.log((double) ends[b] / ends[a]);
                if (!(span >= minSpan)) {
                    break; // shorter still as b falls
                }
                double low = 1;
                boolean feasible = true;
                for (Sums s : sums) {
                    int from = s.from(ends[a]);
                    int to = s.to(ends[b]);
                    if (to - from < MIN_POINTS) {
                        feasible = false;
                        break;
                    }
                    low = Math.min(low, s.lowest(from, to));
                }
                if (feasible) {
                    windows.add(new double[] {ends[a], ends[b], span, low});
                }
            }
        }
        if (windows.isEmpty()) {
            return new Choice(RadiusRange.all(), union[0], union[union.length - 1], Outcome.ALL_RADII, full, minSpan, 0);
        }
        // Rule 2: the widest passing window whose exact fits pass too.
        List<double[]> passing = new ArrayList<>();
        for (double[] w : windows) {
            if (w[3] >= target) {
                passing.add(w);
            }
        }
        passing.sort((u, v) -> u[2] != v[2] ? Double.compare(v[2], u[2])
                : u[3] != v[3] ? Double.compare(v[3], u[3]) : Double.compare(u[0], v[0]));
        for (double[] w : passing) {
            RadiusRange range = RadiusRange.of(w[0], w[1]);
            if (exactLowest(partitions, range) >= target) {
                return new Choice(range, (int) w[0], (int) w[1], Outcome.TARGET_REACHED, w[2], minSpan, windows.size());
            }
        }
        // Rule 3: the best worst fit.
        double[] best = windows.get(0);
        for (double[] w : windows) {
            if (w[3] > best[3] || (w[3] == best[3] && (w[2] > best[2] || (w[2] == best[2] && w[0] < best[0])))) {
                best = w;
            }
        }
        return new Choice(RadiusRange.of(best[0], best[1]), (int) best[0], (int) best[1], Outcome.BEST_FIT, best[2],
                minSpan, windows.size());
    }

    /** The lowest R^2 of the exact fits ({@link MassExponents#fit}) over {@code range}. */
    static double exactLowest(List<PartitionFunction> partitions, RadiusRange range) {
        double low = Double.POSITIVE_INFINITY;
        for (PartitionFunction z : partitions) {
            for (double r2 : MassExponents.fit(z, range).rSquared()) {
                low = Math.min(low, r2);
            }
        }
        return low;
    }

    /** The distinct radii of all samples, ascending. */
    private static int[] union(List<PartitionFunction> partitions) {
        int total = 0;
        for (PartitionFunction z : partitions) {
            total += z.radii().length;
        }
        int[] all = new int[total];
        int n = 0;
        for (PartitionFunction z : partitions) {
            int[] r = z.radii();
            System.arraycopy(r, 0, all, n, r.length);
            n += r.length;
        }
        Arrays.sort(all);
        int distinct = 0;
        for (int i = 0; i < all.length; i++) {
            if (i == 0 || all[i] != all[i - 1]) {
                all[distinct++] = all[i];
            }
        }
        return Arrays.copyOf(all, distinct);
    }

    /** Up to {@code count} of the ascending {@code radii}, nearest to points evenly spaced in ln r; ends kept. */
    static int[] logSpaced(int[] radii, int count) {
        double a = StrictMath.log(radii[0]);
        double b = StrictMath.log(radii[radii.length - 1]);
        int[] out = new int[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            double wanted = StrictMath.exp(a + (b - a) * i / (count - 1));
            int at = Arrays.binarySearch(radii, (int) Math.round(wanted));
            if (at < 0) {
                int hi = Math.min(-at - 1, radii.length - 1);
                int lo = Math.max(hi - 1, 0);
                at = Math.abs(radii[lo] - wanted) <= Math.abs(radii[hi] - wanted) ? lo : hi;
            }
            if (n == 0 || out[n - 1] != radii[at]) {
                out[n++] = radii[at];
            }
        }
        out[0] = radii[0];
        out[n - 1] = radii[radii.length - 1];
        return Arrays.copyOf(out, n);
    }
}

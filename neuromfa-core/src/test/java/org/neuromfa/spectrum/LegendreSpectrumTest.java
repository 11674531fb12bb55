package org.neuromfa.spectrum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.SampleAnalysis;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.distance.DirectDistances;
import org.neuromfa.network.Network;
import org.neuromfa.network.NetworkBuilder;
import org.neuromfa.sample.SamplePlan;

/**
 * The Legendre spectrum recovers the analytic spectrum of a binomial cascade, run through the whole
 * spectrum pipeline (edge weights, distances, node filter, partition function, fit, spectrum).
 *
 * <p>The network: 64 source nodes, one per leaf of a 6-level binomial cascade with weights
 * p = 1/3 and 1 - p = 2/3. Level n of the cascade is radius {@code r_n = 2^(7-n)} (2 .. 128, D = 128).
 * Leaf i's measure at level n is its ancestor box's, {@code mu_n(i) = p^a (1-p)^(n-a)} (a = how many
 * of its first n branches took p), so its mass is {@code N_i(r_n) = 3^6 mu_n(i)} (an integer; 729 at
 * D), realised by {@code N_i(r_n) - N_i(r_(n+1))} out-edges of length r_n (weight {@code 1/r_n},
 * exact in f32). Then {@code Z_q(r_n) = 2^(6-n) (p^q + (1-p)^q)^n} exactly, and the slope against
 * {@code ln(r/D) = -n ln 2} is {@code tau_m(q) = 1 + tau(q)} with the cascade's
 * {@code tau(q) = -log2(p^q + (1-p)^q)}: the per-node normalisation of NeuroMFA makes tau_m(0) = 0.
 * So {@code alpha(q) = tau'(q)} is the cascade's and {@code f_m = q alpha - tau_m = f(alpha) - 1}.
 *
 * <p>Tolerance: 1e-3 on alpha and f at every q (q from -3 to 3 by 0.1). The truncation error of the
 * second-order differences, computed in Python for this tau, is at most 1.3e-4 on alpha and 3.8e-4 on
 * f; the reference's forward differences, compared at the same q, are off by up to 8.7e-3.
 */
class LegendreSpectrumTest {
    private static final double P = 1.0 / 3;
    private static final int LEVELS = 6;

    static double tau(double q) {
        return -Math.log(Math.pow(P, q) + Math.pow(1 - P, q)) / Math.log(2);
    }

    static double alpha(double q) {
        double a = Math.pow(P, q);
        double b = Math.pow(1 - P, q);
        return -(a * Math.log(P) + b * Math.log(1 - P)) / ((a + b) * Math.log(2));
    }

    /** The cascade as a network of out-edges, see the class comment. */
    static Network cascade() {
        NetworkBuilder b = new NetworkBuilder();
        int leaves = 1 << LEVELS;
        for (int leaf = 0; leaf < leaves; leaf++) {
            long[] mass = new long[LEVELS + 1];
            for (int n = 0; n <= LEVELS; n++) {
                int pBranches = Integer.bitCount(leaf >>> (LEVELS - n));
                // 3^6 * (1/3)^a * (2/3)^(n-a) = 3^(6-n) * 2^(n-a)
                mass[n] = pow(3, LEVELS - n) * pow(2, n - pBranches);
            }
            int target = 1000;
            for (int n = LEVELS; n >= 0; n--) {
                long previous = n == LEVELS ? 1 : mass[n + 1];
                float weight = 1f / (1 << (LEVELS + 1 - n));
                for (long c = previous; c < mass[n]; c++) {
                    b.add(leaf, target++, weight);
                }
            }
        }
        return b.build();
    }

    private static long pow(long base, int exponent) {
        long r = 1;
        for (int i = 0; i < exponent; i++) {
            r *= base;
        }
        return r;
    }

    private static SampleResult analyse(AnalysisOptions options) {
        Network net = cascade();
        return SampleAnalysis.analyse(new SamplePlan(0, Map.of()), net, DirectDistances.of(net), options);
    }

    @Test
    void recoversTheBinomialCascadeSpectrum() {
        AnalysisOptions options = AnalysisOptions.defaults().withSpectrumEstimator(SpectrumEstimator.LEGENDRE);
        SampleResult r = analyse(options);
        double[] q = options.qGrid().values();
        assertThat(r.selectedNodes()).isEqualTo(64);
        assertThat(r.radii()).isEqualTo(7);
        assertThat(r.alpha()).hasSize(q.length);
        assertThat(r.fAlpha()).hasSize(q.length);
        for (int k = 0; k < q.length; k++) {
            // The partition function scales exactly, so the fit is exact.
            assertThat(r.tau()[k]).as("tau at q = " + q[k]).isCloseTo(1 + tau(q[k]), within(1e-12));
            assertThat(r.rSquared()[k]).as("R^2 at q = " + q[k]).isCloseTo(1, within(1e-12));
            assertThat(r.alpha()[k]).as("alpha at q = " + q[k]).isCloseTo(alpha(q[k]), within(1e-3));
            double f = q[k] * alpha(q[k]) - (1 + tau(q[k]));
            assertThat(r.fAlpha()[k]).as("f at q = " + q[k]).isCloseTo(f, within(1e-3));
        }
        // The peak is at q = 0: alpha0 = -(ln p + ln(1-p)) / (2 ln 2).
        assertThat(r.alpha0()).isCloseTo(-(Math.log(P) + Math.log(1 - P)) / (2 * Math.log(2)), within(1e-3));
        assertThat(r.width()).isCloseTo(alpha(-3) - alpha(3), within(1e-3));
        assertThat(r.fitLow()).isEqualTo(2);
        assertThat(r.fitHigh()).isEqualTo(128);
        assertThat(r.fitPoints()).isEqualTo(7);
    }

    @Test
    void referenceForwardDifferencesMissTheSameTolerance() {
        SampleResult r = analyse(AnalysisOptions.defaults());
        double[] q = AnalysisOptions.defaults().qGrid().values();
        assertThat(r.alpha()).hasSize(q.length - 1);
        double worst = 0;
        for (int k = 0; k < r.alpha().length; k++) {
            worst = Math.max(worst, Math.abs(r.alpha()[k] - alpha(q[k])));
        }
        assertThat(worst).isGreaterThan(5e-3);
    }

    @Test
    void radiusRangeRestrictsTheFit() {
        SampleResult r = analyse(AnalysisOptions.defaults().withRadiusRange(RadiusRange.parse("3:64")));
        assertThat(r.fitLow()).isEqualTo(4);
        assertThat(r.fitHigh()).isEqualTo(64);
        assertThat(r.fitPoints()).isEqualTo(5);
        // Exact scaling: any sub-range gives the same exponents.
        double[] q = AnalysisOptions.defaults().qGrid().values();
        for (int k = 0; k < q.length; k++) {
            assertThat(r.tau()[k]).isCloseTo(1 + tau(q[k]), within(1e-12));
        }
        assertThatThrownBy(() -> analyse(AnalysisOptions.defaults().withRadiusRange(RadiusRange.parse("5:7"))))
                .isInstanceOf(NeuroMfaException.class)
                .hasMessageContaining("seed 0: only 0 of the radii 2..128 lie in radius_range 5:7");
        assertThatThrownBy(() -> RadiusRange.parse("5")).isInstanceOf(NeuroMfaException.class)
                .hasMessageContaining("lo:hi");
        assertThatThrownBy(() -> RadiusRange.parse("9:3")).isInstanceOf(NeuroMfaException.class);
        assertThat(RadiusRange.parse(":64").contains(2)).isTrue();
        assertThat(RadiusRange.parse("4:").contains(1e9)).isTrue();
    }

    @Test
    void legendreNeedsThreeQValues() {
        QGrid grid = QGrid.of("0", "1", "1");
        assertThatThrownBy(() -> SpectrumEstimator.LEGENDRE.spectrum(grid, new double[] {0, 1}))
                .isInstanceOf(NeuroMfaException.class).hasMessageContaining("at least 3");
    }

    private static org.assertj.core.data.Offset<Double> within(double v) {
        return org.assertj.core.data.Offset.offset(v);
    }
}

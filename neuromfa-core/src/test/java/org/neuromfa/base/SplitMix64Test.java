package org.neuromfa.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The generator behind the null models and the bootstrap: pinned to published values, bit for bit. */
class SplitMix64Test {

    /** The first outputs of SplitMix64 seeded with 0, as Vigna's reference splitmix64.c prints them. */
    @Test
    void seedZeroGivesTheReferenceSequence() {
        SplitMix64 r = new SplitMix64(0);
        assertThat(r.nextLong()).isEqualTo(0xe220a8397b1dcdafL);
        assertThat(r.nextLong()).isEqualTo(0x6e789e6aa1b965f4L);
        assertThat(r.nextLong()).isEqualTo(0x06c45d188009454fL);
    }

    /** The JDK's SplittableRandom has the same core; only its bounded and Gaussian draws are unspecified. */
    @Test
    void agreesWithTheJdksSplittableRandomOnRawDraws() {
        SplitMix64 r = new SplitMix64(12345);
        SplittableRandom jdk = new SplittableRandom(12345);
        for (int i = 0; i < 1000; i++) {
            assertThat(r.nextLong()).isEqualTo(jdk.nextLong());
        }
    }

    @Test
    void boundedDrawsAreInRangeAndEvenlySpread() {
        SplitMix64 r = new SplitMix64(7);
        int[] counts = new int[10];
        for (int i = 0; i < 100_000; i++) {
            int v = r.nextInt(10);
            assertThat(v).isBetween(0, 9);
            counts[v]++;
        }
        for (int c : counts) {
            // 10,000 expected; 5 standard deviations (sqrt(9000) = 95) either side
            assertThat(c).isBetween(9_525, 10_475);
        }
        assertThat(new SplitMix64(1).nextInt(1)).isZero();
    }

    @Test
    void gaussianDrawsHaveMeanZeroAndUnitVariance() {
        SplitMix64 r = new SplitMix64(3);
        int n = 200_000;
        double sum = 0;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            assertThat(Double.isFinite(g)).isTrue();
            sum += g;
            ss += g * g;
        }
        assertThat(sum / n).isCloseTo(0, within(0.01));
        assertThat(ss / n).isCloseTo(1, within(0.01));
    }

    @Test
    void seedsFromPartsDependOnEveryPartAndItsOrder() {
        long a = SplitMix64.of(1, 2, 3).nextLong();
        assertThat(SplitMix64.of(1, 2, 3).nextLong()).isEqualTo(a);
        assertThat(SplitMix64.of(1, 3, 2).nextLong()).isNotEqualTo(a);
        assertThat(SplitMix64.of(1, 2).nextLong()).isNotEqualTo(a);
        assertThat(SplitMix64.hash(new int[] {1, 2})).isNotEqualTo(SplitMix64.hash(new int[] {2, 1}));
        // FNV-1a of "a": 0xaf63dc4c8601ec8c (the published test vector)
        assertThat(SplitMix64.hash("a")).isEqualTo(0xaf63dc4c8601ec8cL);
    }
}

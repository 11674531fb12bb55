package org.neuromfa.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangesTest {

    @Test
    void countsEachByteOnce() {
        ByteRanges r = new ByteRanges();
        assertThat(r.add(10, 20)).isEqualTo(10);
        assertThat(r.add(10, 20)).isZero();
        assertThat(r.add(15, 25)).isEqualTo(5);
        assertThat(r.add(30, 40)).isEqualTo(10);
        assertThat(r.add(0, 50)).isEqualTo(50 - 25);
        assertThat(r.covered()).isEqualTo(50);
        assertThat(r.add(50, 50)).isZero();
        assertThat(r.add(50, 51)).isEqualTo(1);
        assertThat(r.covered()).isEqualTo(51);
    }

    @Test
    void adjacentAndContainedRanges() {
        ByteRanges r = new ByteRanges();
        r.add(0, 4);
        r.add(4, 8);
        assertThat(r.add(2, 6)).isZero();
        r.add(20, 30);
        assertThat(r.add(8, 20)).isEqualTo(12);
        assertThat(r.covered()).isEqualTo(30);
    }
}

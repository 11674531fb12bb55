package org.neuromfa.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class WeightFingerprintTest {

    /** A 4 x 3 f32 tensor "w" with element (r, c) = r + c / 4, except (3, 2) = 9 when {@code changed}. */
    static TensorStore store(boolean changed) {
        return new TensorStore() {
            @Override
            public String name() {
                return "memory";
            }

            @Override
            public List<String> names() {
                return List.of("w", "v");
            }

            @Override
            public TensorInfo info(String tensor) {
                return tensor.equals("w") || tensor.equals("v") ? new TensorInfo(tensor, DType.F32, new long[] {4, 3}) : null;
            }

            @Override
            public float[] readRows(String tensor, int[] rows) {
                float[] out = new float[rows.length * 3];
                for (int i = 0; i < rows.length; i++) {
                    for (int c = 0; c < 3; c++) {
                        out[3 * i + c] = rows[i] == 3 && c == 2 && changed ? 9f : rows[i] + c / 4f;
                    }
                }
                return out;
            }

            @Override
            public long bytesRead() {
                return 0;
            }

            @Override
            public long bytesTotal() {
                return 48;
            }
        };
    }

    @Test
    void passesValuesThroughUnchanged() throws Exception {
        WeightFingerprint f = WeightFingerprint.ofValuesRead(store(false));
        assertThat(f.readSubmatrix("w", new int[] {3, 1}, new int[] {2, 0}))
                .containsExactly(3.5f, 3f, 1.5f, 1f);
        assertThat(f.readRows("w", new int[] {2})).containsExactly(2f, 2.25f, 2.5f);
        assertThat(WeightFingerprint.ofWholeRows(store(false)).readSubmatrix("w", new int[] {3, 1}, new int[] {2, 0}))
                .containsExactly(3.5f, 3f, 1.5f, 1f);
    }

    @Test
    void doesNotDependOnTheOrderOrGroupingOfReads() throws Exception {
        WeightFingerprint a = WeightFingerprint.ofValuesRead(store(false));
        a.readSubmatrix("w", new int[] {3, 1}, new int[] {0, 2});
        a.readSubmatrix("v", new int[] {0}, new int[] {1});
        WeightFingerprint b = WeightFingerprint.ofValuesRead(store(false));
        b.readSubmatrix("v", new int[] {0}, new int[] {1});
        b.readSubmatrix("w", new int[] {1}, new int[] {2, 0});
        b.readSubmatrix("w", new int[] {3}, new int[] {2});
        b.readSubmatrix("w", new int[] {3}, new int[] {0});
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint()).hasSize(32).matches("[0-9a-f]{32}");

        // Whole rows: a row read whole and the same row read as all its columns are the same values.
        WeightFingerprint c = WeightFingerprint.ofValuesRead(store(false));
        c.readRows("w", new int[] {2});
        WeightFingerprint d = WeightFingerprint.ofValuesRead(store(false));
        d.readSubmatrix("w", new int[] {2}, new int[] {1, 2, 0});
        assertThat(c.fingerprint()).isEqualTo(d.fingerprint());
    }

    @Test
    void isTheSameFromManyThreads() throws Exception {
        WeightFingerprint serial = WeightFingerprint.ofValuesRead(store(false));
        WeightFingerprint parallel = WeightFingerprint.ofValuesRead(store(false));
        List<int[]> reads = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 3; c++) {
                reads.add(new int[] {r, c});
            }
        }
        for (int[] rc : reads) {
            serial.readSubmatrix("w", new int[] {rc[0]}, new int[] {rc[1]});
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int[] rc : reads) {
                done.add(pool.submit(() -> parallel.readSubmatrix("w", new int[] {rc[0]}, new int[] {rc[1]})));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(parallel.fingerprint()).isEqualTo(serial.fingerprint());
    }

    @Test
    void tellsApartValuesPositionsAndTensors() throws Exception {
        Set<String> seen = new HashSet<>();
        // Every single (tensor, row, column) read alone gives its own fingerprint.
        for (String t : new String[] {"w", "v"}) {
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 3; c++) {
                    WeightFingerprint f = WeightFingerprint.ofValuesRead(store(false));
                    f.readSubmatrix(t, new int[] {r}, new int[] {c});
                    assertThat(seen.add(f.fingerprint())).as("%s[%d, %d]", t, r, c).isTrue();
                }
            }
        }
        // A changed value changes it, when the value is read.
        WeightFingerprint same = WeightFingerprint.ofValuesRead(store(false));
        same.readSubmatrix("w", new int[] {3}, new int[] {2});
        WeightFingerprint changed = WeightFingerprint.ofValuesRead(store(true));
        changed.readSubmatrix("w", new int[] {3}, new int[] {2});
        assertThat(changed.fingerprint()).isNotEqualTo(same.fingerprint());
        // Nothing read: the empty sum.
        assertThat(WeightFingerprint.ofValuesRead(store(false)).fingerprint()).isEqualTo("0".repeat(32));
    }

    @Test
    void valuesReadSeesOnlyTheColumnsReadWholeRowsSeesTheRest() throws Exception {
        int[] rows = {3};
        int[] columns = {0, 1};
        WeightFingerprint a = WeightFingerprint.ofValuesRead(store(false));
        a.readSubmatrix("w", rows, columns);
        WeightFingerprint b = WeightFingerprint.ofValuesRead(store(true));
        b.readSubmatrix("w", rows, columns);
        // (3, 2) was not read, so a change there is not seen...
        assertThat(b.fingerprint()).isEqualTo(a.fingerprint());
        // ...unless the reads are widened to whole rows, as a trajectory's probe does.
        WeightFingerprint c = WeightFingerprint.ofWholeRows(store(false));
        c.readSubmatrix("w", rows, columns);
        WeightFingerprint d = WeightFingerprint.ofWholeRows(store(true));
        d.readSubmatrix("w", rows, columns);
        assertThat(d.fingerprint()).isNotEqualTo(c.fingerprint());
    }
}

package org.neuromfa.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowFingerprintTest {

    /** A 4 x 2 f32 tensor "w" with row r = (r, r + 0.5), or a changed value in row 3. */
    static TensorStore store(boolean changed) {
        return new TensorStore() {
            @Override
            public String name() {
                return "memory";
            }

            @Override
            public List<String> names() {
                return List.of("w");
            }

            @Override
            public TensorInfo info(String tensor) {
                return tensor.equals("w") ? new TensorInfo("w", DType.F32, new long[] {4, 2}) : null;
            }

            @Override
            public float[] readRows(String tensor, int[] rows) {
                float[] out = new float[rows.length * 2];
                for (int i = 0; i < rows.length; i++) {
                    out[2 * i] = rows[i];
                    out[2 * i + 1] = rows[i] == 3 && changed ? 9f : rows[i] + 0.5f;
                }
                return out;
            }

            @Override
            public long bytesRead() {
                return 0;
            }

            @Override
            public long bytesTotal() {
                return 32;
            }
        };
    }

    @Test
    void dependsOnTheDistinctRowsReadNotOnOrderOrRepeats() throws Exception {
        RowFingerprint a = new RowFingerprint(store(false));
        a.readRows("w", new int[] {3, 1});
        a.readRows("w", new int[] {1});
        RowFingerprint b = new RowFingerprint(store(false));
        b.readRows("w", new int[] {1, 3, 3});
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint());

        // The documented construction, computed independently here for rows 1 and 3.
        MessageDigest outer = MessageDigest.getInstance("SHA-256");
        outer.update("w".getBytes(StandardCharsets.UTF_8));
        outer.update((byte) 0);
        for (int row : new int[] {1, 3}) {
            outer.update(ByteBuffer.allocate(4).putInt(row).array());
            byte[] values = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(row).putFloat(row + 0.5f).array();
            outer.update(MessageDigest.getInstance("SHA-256").digest(values));
        }
        assertThat(a.fingerprint()).isEqualTo(HexFormat.of().formatHex(outer.digest()));

        RowFingerprint c = new RowFingerprint(store(true));
        c.readRows("w", new int[] {1, 3});
        assertThat(c.fingerprint()).isNotEqualTo(a.fingerprint());
        RowFingerprint d = new RowFingerprint(store(false));
        d.readRows("w", new int[] {1});
        assertThat(d.fingerprint()).isNotEqualTo(a.fingerprint());
    }
}

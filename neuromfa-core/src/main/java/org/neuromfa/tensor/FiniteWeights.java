package org.neuromfa.tensor;

import java.io.IOException;
import org.neuromfa.NeuroMfaException;

/**
 * A TensorStore that refuses weights that are NaN or infinite. A distance 1/|w| of such a weight is
 * meaningless, and silently dropping it would change the network without telling anyone, so the
 * user gets an error naming the tensor and the row instead.
 */
public final class FiniteWeights extends ForwardingTensorStore {

    public FiniteWeights(TensorStore inner) {
        super(inner);
    }

    @Override
    public float[] readRows(String tensor, int[] rows) throws IOException {
        float[] values = inner.readRows(tensor, rows);
        if (rows.length == 0) {
            return values;
        }
        // One branch-free pass first: the exponent field plus one exponent step overflows into the
        // sign bit exactly for Inf and NaN (exponent all ones). Most of a sample's extraction time
        // went into a per-element test before the JIT's second tier had compiled it.
        int any = 0;
        for (float v : values) {
            any |= (Float.floatToRawIntBits(v) & 0x7f800000) + 0x00800000;
        }
        if (any >= 0) {
            return values;
        }
        int columns = values.length / rows.length;
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new NeuroMfaException(inner.name(), "tensor '" + tensor + "' has a non-finite weight ("
                        + values[i] + ") in row " + rows[i / columns] + ", column " + (i % columns));
            }
        }
        return values;
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}

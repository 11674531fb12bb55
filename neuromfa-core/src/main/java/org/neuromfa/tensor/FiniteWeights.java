package org.neuromfa.tensor;

import org.neuromfa.NeuroMfaException;

/**
 * A TensorStore that refuses weights that are NaN or infinite. A distance 1/|w| of such a weight is
 * meaningless, and silently dropping it would change the network without telling anyone, so the
 * user gets an error naming the tensor, the row and the column instead. Every value read is
 * checked: for an analysis these are the weights its networks use.
 */
public final class FiniteWeights extends ForwardingTensorStore {

    public FiniteWeights(TensorStore inner) {
        super(inner);
    }

    @Override
    protected float[] view(String tensor, int[] rows, int[] columns, float[] values) {
        if (rows.length == 0) {
            return values;
        }
        // One branch-free pass first: the exponent field plus one exponent step overflows into the
        // sign bit exactly for Inf and NaN (exponent all ones). A per-element test was slow before
        // the JIT's second tier had compiled it, and an analysis is a short-lived process.
        int any = 0;
        for (float v : values) {
            any |= (Float.floatToRawIntBits(v) & 0x7f800000) + 0x00800000;
        }
        if (any >= 0) {
            return values;
        }
        int width = values.length / rows.length;
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                int column = columns == null ? i % width : columns[i % width];
                throw new NeuroMfaException(inner.name(), "tensor '" + tensor + "' has a non-finite weight ("
                        + values[i] + ") in row " + rows[i / width] + ", column " + column);
            }
        }
        return values;
    }

    @Override
    public void close() throws java.io.IOException {
        inner.close();
    }
}

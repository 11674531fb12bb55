package org.neuromfa.tensor;

import org.neuromfa.NeuroMfaException;

/** Helpers for {@link TensorStore#readSubmatrix}: column checks and picking columns out of whole rows. */
public final class Submatrix {
    private Submatrix() {
    }

    /** Refuses a column outside {@code [0, rowLength)}, naming the store's file and the tensor. */
    public static void checkColumns(TensorStore store, String tensor, int[] columns, long rowLength) {
        for (int c : columns) {
            if (c < 0 || c >= rowLength) {
                throw new NeuroMfaException(store.name(), "tensor '" + tensor + "': column " + c
                        + " out of range for rows of " + rowLength + " elements");
            }
        }
    }

    /** The given columns of {@code rowCount} consecutive rows of {@code rowLength} values each. */
    public static float[] pick(float[] rows, int rowLength, int rowCount, int[] columns) {
        float[] out = new float[rowCount * columns.length];
        for (int i = 0, o = 0; i < rowCount; i++) {
            int base = i * rowLength;
            for (int c : columns) {
                out[o++] = rows[base + c];
            }
        }
        return out;
    }
}

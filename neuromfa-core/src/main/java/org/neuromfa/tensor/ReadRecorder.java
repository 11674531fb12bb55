package org.neuromfa.tensor;

import java.io.IOException;
import org.neuromfa.source.ReadPlan;

/**
 * A stand-in for a store that reads nothing: every read of rows is added to a {@link ReadPlan} as
 * the bytes the wrapped store would read for it ({@link TensorStore#planRows}), and answered with
 * zeros of the right size. Running an architecture's {@code network} on it learns every byte a
 * sample will read, whatever the architecture, without a reader of its own for planning: the rows
 * an architecture reads depend on its sample plan, never on the values it reads.
 */
public final class ReadRecorder extends ForwardingTensorStore {
    private final ReadPlan plan;

    public ReadRecorder(TensorStore inner, ReadPlan plan) {
        super(inner);
        this.plan = plan;
    }

    @Override
    public float[] readRows(String tensor, int[] rows) throws IOException {
        TensorInfo info = require(tensor);
        inner.planRows(tensor, rows, plan);
        return new float[Math.toIntExact(rows.length * info.columns())];
    }

    @Override
    public float[] readSubmatrix(String tensor, int[] rows, int[] columns) throws IOException {
        TensorInfo info = require(tensor);
        Submatrix.checkColumns(this, tensor, columns, info.columns());
        inner.planRows(tensor, rows, plan);
        return new float[Math.toIntExact((long) rows.length * columns.length)];
    }

    @Override
    protected float[] view(String tensor, int[] rows, int[] columns, float[] values) {
        return values;
    }
}

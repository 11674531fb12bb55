package org.neuromfa.tensor;

import java.io.IOException;
import org.neuromfa.source.ReadPlan;

/**
 * A stand-in for a store that reads nothing: every read of rows is noted and answered with zeros of
 * the right size; {@link #planInto} then adds the bytes the wrapped store would read for them
 * ({@link TensorStore#planRows}) to a {@link ReadPlan}, after letting the store prepare for the
 * tensors noted, all at once ({@link TensorStore#prepare}). Running an architecture's
 * {@code network} on it learns every byte a sample will read, whatever the architecture, without a
 * reader of its own for planning: the rows an architecture reads depend on its sample plan, never
 * on the values it reads.
 */
public final class ReadRecorder extends ForwardingTensorStore {
    private final java.util.List<String> tensors = new java.util.ArrayList<>();
    private final java.util.List<int[]> rowsRead = new java.util.ArrayList<>();

    public ReadRecorder(TensorStore inner) {
        super(inner);
    }

    @Override
    public synchronized float[] readRows(String tensor, int[] rows) throws IOException {
        TensorInfo info = require(tensor);
        note(tensor, rows);
        return new float[Math.toIntExact(rows.length * info.columns())];
    }

    @Override
    public synchronized float[] readSubmatrix(String tensor, int[] rows, int[] columns) throws IOException {
        TensorInfo info = require(tensor);
        Submatrix.checkColumns(this, tensor, columns, info.columns());
        note(tensor, rows);
        return new float[Math.toIntExact((long) rows.length * columns.length)];
    }

    private void note(String tensor, int[] rows) {
        tensors.add(tensor);
        rowsRead.add(rows.clone());
    }

    /** Adds the bytes of every read noted so far to {@code plan}. */
    public synchronized ReadPlan planInto(ReadPlan plan) throws IOException {
        inner.prepare(new java.util.LinkedHashSet<>(tensors));
        for (int i = 0; i < tensors.size(); i++) {
            inner.planRows(tensors.get(i), rowsRead.get(i), plan);
        }
        return plan;
    }

    @Override
    protected float[] view(String tensor, int[] rows, int[] columns, float[] values) {
        return values;
    }
}

package org.neuromfa.tensor;

import java.io.IOException;
import java.util.List;
import org.neuromfa.source.ReadPlan;

/**
 * A view of another store that changes only the values read (checked, normalised, fingerprinted):
 * names, shapes and byte counts are the wrapped store's. Both kinds of read, whole rows and
 * submatrices, pass through the one hook {@link #view}, so a view cannot forget either. A view does
 * not own the store it wraps, so closing it closes nothing unless a subclass owns its store.
 */
public abstract class ForwardingTensorStore implements TensorStore {
    protected final TensorStore inner;

    protected ForwardingTensorStore(TensorStore inner) {
        this.inner = inner;
    }

    @Override
    public float[] readRows(String tensor, int[] rows) throws IOException {
        return view(tensor, rows, null, inner.readRows(tensor, rows));
    }

    @Override
    public float[] readSubmatrix(String tensor, int[] rows, int[] columns) throws IOException {
        return view(tensor, rows, columns, inner.readSubmatrix(tensor, rows, columns));
    }

    @Override
    public void planRows(String tensor, int[] rows, ReadPlan plan) throws IOException {
        inner.planRows(tensor, rows, plan);
    }

    @Override
    public void prepare(java.util.Collection<String> tensors) throws IOException {
        inner.prepare(tensors);
    }

    /**
     * What this view makes of values read from the wrapped store: {@code values[i * width + j]} is
     * the element of row {@code rows[i]} at column {@code columns[j]}, or at column {@code j} when
     * {@code columns} is null (whole rows). May change {@code values} in place and return it.
     */
    protected abstract float[] view(String tensor, int[] rows, int[] columns, float[] values) throws IOException;

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public List<String> names() {
        return inner.names();
    }

    @Override
    public TensorInfo info(String tensor) {
        return inner.info(tensor);
    }

    @Override
    public TensorStore wrapped() {
        return inner;
    }

    @Override
    public long bytesRead() {
        return inner.bytesRead();
    }

    @Override
    public long bytesTotal() {
        return inner.bytesTotal();
    }
}

package org.neuromfa.tensor;

import java.util.List;

/**
 * A view of another store that changes only how rows are read (checked, normalised, fingerprinted):
 * names, shapes and byte counts are the wrapped store's. A view does not own the store it wraps, so
 * closing it closes nothing unless a subclass owns its store.
 */
public abstract class ForwardingTensorStore implements TensorStore {
    protected final TensorStore inner;

    protected ForwardingTensorStore(TensorStore inner) {
        this.inner = inner;
    }

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

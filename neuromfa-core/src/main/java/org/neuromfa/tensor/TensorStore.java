package org.neuromfa.tensor;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.source.ReadPlan;

/**
 * The tensors of one checkpoint (one file or a set of shards): names, types and shapes, and reads of
 * selected rows as f32. Only the rows a sample needs are ever read, so analysing a 24 GB checkpoint
 * touches a few megabytes.
 */
public interface TensorStore extends Closeable {

    /** The file or directory this store reads, for messages. */
    String name();

    /** Tensor names in file order. */
    List<String> names();

    /** The tensor's description, or null when the store has no such tensor. */
    TensorInfo info(String tensor);

    /** The tensor's description; a missing tensor is a user-facing error naming the file. */
    default TensorInfo require(String tensor) {
        TensorInfo info = info(tensor);
        if (info == null) {
            throw new NeuroMfaException(name(), "missing tensor '" + tensor + "'");
        }
        return info;
    }

    /**
     * Reads the given rows (indices into the first dimension) as f32, row after row:
     * {@code result[i * columns + c]} is element {@code c} of row {@code rows[i]}.
     */
    float[] readRows(String tensor, int[] rows) throws IOException;

    /**
     * Reads the submatrix of the given rows and columns (indices into the last dimension) as f32:
     * {@code result[i * columns.length + j]} is element {@code columns[j]} of row {@code rows[i]}.
     *
     * <p>This is what a sample needs: k of a row's d elements. Storage is row-major, so rows are
     * still read whole (a row is the unit of I/O), but stores that can decode single elements
     * override this to decode only the requested ones; the default reads whole rows and picks.
     */
    default float[] readSubmatrix(String tensor, int[] rows, int[] columns) throws IOException {
        long rowLength = require(tensor).columns();
        Submatrix.checkColumns(this, tensor, columns, rowLength);
        return Submatrix.pick(readRows(tensor, rows), (int) rowLength, rows.length, columns);
    }

    /**
     * Adds to {@code plan} the byte ranges that reading {@code rows} of {@code tensor} (whole, or any
     * of their columns) will read, without reading them; a row outside the tensor is refused as a
     * read would refuse it. A store that does not read files (an initialised twin) plans nothing,
     * the default; a view plans what it will ask of the store it wraps.
     */
    default void planRows(String tensor, int[] rows, ReadPlan plan) throws IOException {
    }

    /**
     * Reads, all at once, whatever planning reads of {@code tensors} needs to know first (a PyTorch
     * zip's local headers, which say where each storage's bytes begin): over a network, one
     * parallel round instead of one round trip per tensor. The default needs nothing.
     */
    default void prepare(java.util.Collection<String> tensors) throws IOException {
    }

    /** Bytes read from the underlying sources so far, headers included. */
    long bytesRead();

    /** Total size of the files behind this store. */
    long bytesTotal();

    /**
     * The store this one filters (a wrapper such as {@link NormalizedWeights}), or null for a store
     * that reads files itself. Every wrapper must return its inner store, so that what only a
     * format knows (an ONNX graph's nodes) stays reachable through {@link #find}.
     */
    default TensorStore wrapped() {
        return null;
    }

    /** {@code store} itself or the first store it wraps that is a {@code type}; null when none is. */
    static <T extends TensorStore> T find(TensorStore store, Class<T> type) {
        for (TensorStore s = store; s != null; s = s.wrapped()) {
            if (type.isInstance(s)) {
                return type.cast(s);
            }
        }
        return null;
    }

    @Override
    default void close() throws IOException {
    }
}

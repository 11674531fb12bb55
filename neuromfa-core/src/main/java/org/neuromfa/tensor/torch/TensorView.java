package org.neuromfa.tensor.torch;

import java.util.Arrays;

/**
 * A tensor as PyTorch stores it: a view of a storage with an element offset, a shape and strides
 * (in elements). Element {@code (i0, i1, ...)} is storage element {@code offset + sum(i_k * stride_k)};
 * a transposed or sliced tensor shares its storage with others and differs only in these numbers.
 *
 * <p>The constructor checks that every element the view can address lies inside the storage, with
 * overflow-checked arithmetic, so a hostile file cannot make a read go outside its storage.
 */
final class TensorView {
    final StorageRef storage;
    final long offset;
    final long[] shape;
    final long[] stride;
    final long elements;

    /**
     * @throws IllegalArgumentException with a user-facing reason when the numbers are inconsistent
     */
    TensorView(StorageRef storage, long offset, long[] shape, long[] stride) {
        if (shape.length != stride.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " and stride "
                    + Arrays.toString(stride) + " differ in rank");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("negative storage offset " + offset);
        }
        long count = 1;
        long last = offset;
        try {
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] < 0 || stride[i] < 0) {
                    throw new IllegalArgumentException("negative size or stride in shape " + Arrays.toString(shape)
                            + ", stride " + Arrays.toString(stride));
                }
                count = Math.multiplyExact(count, shape[i]);
            }
            Math.multiplyExact(count, (long) storage.dtype.bytes());
            if (count > 0) {
                for (int i = 0; i < shape.length; i++) {
                    last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, stride[i]));
                }
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " with stride "
                    + Arrays.toString(stride) + " overflows a 64-bit size");
        }
        if (count > 0 ? last >= storage.elements : offset > storage.elements) {
            throw new IllegalArgumentException("view (offset " + offset + ", shape " + Arrays.toString(shape)
                    + ", stride " + Arrays.toString(stride) + ") needs element " + last + " but its " + storage
                    + " is smaller");
        }
        this.storage = storage;
        this.offset = offset;
        this.shape = shape.clone();
        this.stride = stride.clone();
        this.elements = count;
    }

    long rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    long columns() {
        return shape.length == 0 ? 1 : (shape[0] == 0 ? 0 : elements / shape[0]);
    }

    /** Receives the storage element ranges that make up a row, in the row's logical order. */
    interface RunConsumer {
        void run(long firstElement, long length) throws java.io.IOException;
    }

    /**
     * Calls {@code consumer} with the runs of consecutive storage elements that make up row
     * {@code row} (index into the first dimension), in logical (row-major) order; neighbouring runs
     * that happen to be adjacent in the storage are merged, so a contiguous row is a single run.
     */
    void forEachRun(long row, RunConsumer consumer) throws java.io.IOException {
        long columns = columns();
        if (columns == 0) {
            return;
        }
        long base = offset + (shape.length == 0 ? 0 : row * stride[0]);
        // The innermost dimensions that are laid out contiguously form one run; size-1 dimensions
        // have arbitrary strides in PyTorch and never break contiguity.
        int outer = shape.length - 1;
        long run = 1;
        while (outer >= 1 && (shape[outer] == 1 || stride[outer] == run)) {
            run *= shape[outer];
            outer--;
        }
        long[] index = new long[outer + 1];
        long pendingStart = -1;
        long pendingLength = 0;
        for (long done = 0; done < columns; done += run) {
            long at = base;
            for (int d = 1; d <= outer; d++) {
                at += index[d] * stride[d];
            }
            if (pendingLength > 0 && at == pendingStart + pendingLength) {
                pendingLength += run;
            } else {
                if (pendingLength > 0) {
                    consumer.run(pendingStart, pendingLength);
                }
                pendingStart = at;
                pendingLength = run;
            }
            for (int d = outer; d >= 1; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        if (pendingLength > 0) {
            consumer.run(pendingStart, pendingLength);
        }
    }
}

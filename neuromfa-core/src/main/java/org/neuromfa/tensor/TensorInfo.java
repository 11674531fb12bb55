package org.neuromfa.tensor;

import java.util.Arrays;

/**
 * Name, element type and shape of a stored tensor. Readers view every tensor as a matrix of
 * {@link #rows()} x {@link #columns()}: the first dimension against the product of the others,
 * which is how weight matrices ({@code [out, in]} or {@code [in, out]}) are sliced by row.
 */
public final class TensorInfo {
    private final String name;
    private final DType dtype;
    private final long[] shape;
    private final long elements;

    public TensorInfo(String name, DType dtype, long[] shape) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.elements = elementCount(shape);
    }

    /**
     * Product of the dimensions, or -1 when a dimension is negative or the product overflows a long
     * (hostile headers must be rejected before anything is allocated from them).
     */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long dim : shape) {
            if (dim < 0) {
                return -1;
            }
            if (dim != 0 && n > Long.MAX_VALUE / dim) {
                return -1;
            }
            n *= dim;
        }
        return n;
    }

    public String name() {
        return name;
    }

    public DType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long elements() {
        return elements;
    }

    /** Size of the first dimension (1 for a scalar). */
    public long rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /** Product of all dimensions after the first. */
    public long columns() {
        return shape.length == 0 ? 1 : (shape[0] == 0 ? 0 : elements / shape[0]);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}

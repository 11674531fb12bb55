package org.neuromfa.arch;

import java.io.IOException;
import java.util.Arrays;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.network.NetworkBuilder;
import org.neuromfa.tensor.TensorInfo;
import org.neuromfa.tensor.TensorStore;

/**
 * Where the weights of one linear map {@code y = W x} (in -> out neurons) are stored: a tensor, its
 * orientation ({@code [out, in]} as PyTorch's {@code nn.Linear}, or {@code [in, out]} as GPT-2's
 * {@code Conv1D} and ONNX MatMul initializers), and, for fused matrices such as GPT-2's
 * {@code c_attn}, the offset of this map's outputs within the stored output dimension.
 */
final class Linear {
    final String tensor;
    final boolean outIn;
    final int in;
    final int out;
    final int offset;
    final int storedOut;

    private Linear(String tensor, boolean outIn, int in, int out, int offset, int storedOut) {
        this.tensor = tensor;
        this.outIn = outIn;
        this.in = in;
        this.out = out;
        this.offset = offset;
        this.storedOut = storedOut;
    }

    /** A {@code [out, in]} matrix. */
    static Linear outIn(String tensor, int in, int out) {
        return new Linear(tensor, true, in, out, 0, out);
    }

    /** An {@code [in, out]} matrix. */
    static Linear inOut(String tensor, int in, int out) {
        return new Linear(tensor, false, in, out, 0, out);
    }

    /** Outputs {@code offset .. offset+out-1} of an {@code [in, storedOut]} matrix. */
    static Linear inOutSlice(String tensor, int in, int out, int offset, int storedOut) {
        return new Linear(tensor, false, in, out, offset, storedOut);
    }

    /** This map as a wiring connection between two groups. */
    Wiring.Connection connection(String from, String to) {
        Wiring.Connection c = Wiring.Connection.weights(from, to, tensor, outIn ? Wiring.Layout.OUT_IN : Wiring.Layout.IN_OUT);
        return offset != 0 || storedOut != out ? c.withOffsets(-1, offset) : c;
    }

    /** The stored shape this map implies. */
    long[] storedShape() {
        return outIn ? new long[] {storedOut, in} : new long[] {in, storedOut};
    }

    /** Checks the tensor against the shape the configuration implies: a mismatch is an error, not a guess. */
    void checkShape(TensorStore tensors, String configFile) {
        TensorInfo info = tensors.require(tensor);
        long[] expected = storedShape();
        if (!Arrays.equals(info.shape(), expected)) {
            throw new NeuroMfaException(tensors.name(), "tensor '" + tensor + "' has shape " + Arrays.toString(info.shape())
                    + ", but " + (configFile == null ? "the other tensors imply " : configFile + " implies ")
                    + Arrays.toString(expected));
        }
    }

    /**
     * Adds the edges from the sampled inputs {@code sourceIndex} (node ids {@code sourceIds}) to the
     * sampled outputs {@code targetIndex} (node ids {@code targetIds}), reading only the submatrix needed (whole rows from storage):
     * the target rows of an {@code [out, in]} matrix, the source rows of an {@code [in, out]} one.
     */
    void connect(NetworkBuilder builder, TensorStore tensors, int[] sourceIds, int[] sourceIndex,
                 int[] targetIds, int[] targetIndex) throws IOException {
        int[] stored = targetIndex;
        if (offset != 0) {
            stored = new int[targetIndex.length];
            for (int i = 0; i < stored.length; i++) {
                stored[i] = targetIndex[i] + offset;
            }
        }
        if (outIn) {
            builder.addMatrix(sourceIds, targetIds, tensors.readSubmatrix(tensor, stored, sourceIndex), true);
        } else {
            builder.addMatrix(sourceIds, targetIds, tensors.readSubmatrix(tensor, sourceIndex, stored), false);
        }
    }
}

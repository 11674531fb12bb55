package org.neuromfa.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.source.ReadPlan;

/**
 * The option {@code --normalize-weights}: every weight read is divided by the standard deviation of all
 * elements of its matrix (population standard deviation, computed in double precision), so that
 * edge lengths {@code 1/|w|} and hence alpha0 and width reflect the structure of a matrix rather than
 * its overall scale.
 *
 * <p>Cost: the standard deviation needs the whole matrix, so the first read of each tensor reads it
 * completely (once per checkpoint; the value is kept for later reads and seeds). Analysing a model
 * this way reads every weight matrix the network touches once, instead of only the sampled rows.
 */
public final class NormalizedWeights extends ForwardingTensorStore {
    /** Rows are read in chunks of about this many elements while computing a standard deviation. */
    private static final long CHUNK_ELEMENTS = 1 << 20;

    private final Map<String, Double> std = new ConcurrentHashMap<>();

    public NormalizedWeights(TensorStore delegate) {
        super(delegate);
    }

    /** The standard deviation of all elements of {@code tensor} (read whole on first use). */
    public double standardDeviation(String tensor) throws IOException {
        try {
            return std.computeIfAbsent(tensor, t -> {
                try {
                    return compute(t);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private double compute(String tensor) throws IOException {
        TensorInfo info = require(tensor);
        long rows = info.rows();
        long columns = Math.max(1, info.columns());
        int perChunk = (int) Math.max(1, Math.min(rows, CHUNK_ELEMENTS / columns));
        double sum = 0;
        double sumSquares = 0;
        for (long start = 0; start < rows; start += perChunk) {
            int n = (int) Math.min(perChunk, rows - start);
            int[] index = new int[n];
            for (int i = 0; i < n; i++) {
                index[i] = (int) (start + i);
            }
            for (float v : inner.readRows(tensor, index)) {
                sum += v;
                sumSquares += (double) v * v;
            }
        }
        double count = (double) rows * columns;
        double mean = sum / count;
        double variance = Math.max(0, sumSquares / count - mean * mean);
        double s = Math.sqrt(variance);
        if (!(s > 0) || !Double.isFinite(s)) {
            throw new NeuroMfaException(inner.name(), "tensor '" + tensor + "' has standard deviation " + s
                    + ", so " + Message.setting("normalize_weights") + " cannot scale it");
        }
        return s;
    }

    /** The first read of a tensor reads all of it, for its standard deviation: so all of it is planned. */
    @Override
    public void planRows(String tensor, int[] rows, ReadPlan plan) throws IOException {
        if (std.containsKey(tensor)) {
            inner.planRows(tensor, rows, plan);
            return;
        }
        long count = require(tensor).rows();
        int[] all = new int[(int) Math.min(count, Integer.MAX_VALUE)];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        inner.planRows(tensor, all, plan);
    }

    @Override
    protected float[] view(String tensor, int[] rows, int[] columns, float[] values) throws IOException {
        double s = standardDeviation(tensor);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (values[i] / s);
        }
        return values;
    }

}

package org.neuromfa.tensor;

import org.neuromfa.base.SplitMix64;

/**
 * The weights of one sample under a {@link NullModel}: every submatrix read (the sampled rows, at the
 * sampled columns) is permuted ({@link NullModel#SHUFFLE}) or replaced by normal draws with its own
 * mean and standard deviation ({@link NullModel#GAUSSIAN}). Reads go to the wrapped store unchanged,
 * so the null model costs no byte more than the analysis; only the values handed on change.
 *
 * <p>Each read is seeded by the sample's seed, the tensor's name and the rows and columns read, so a
 * sample's null network is the same on every run, thread count and JDK ({@link SplitMix64}), and the
 * same seed gets the same permutation at every checkpoint of a trajectory (the null is paired as the
 * samples are). For a convolution (a tensor of rank 3 or more), whose submatrix holds each pair's
 * whole kernel, a shuffle permutes the kernels as units, so that the aggregated weight of each edge
 * keeps its value; the Gaussian null draws every kernel element.
 */
final class NullModelWeights extends ForwardingTensorStore {
    private final NullModel model;
    private final long seed;

    NullModelWeights(TensorStore inner, NullModel model, long seed) {
        super(inner);
        this.model = model;
        this.seed = seed;
    }

    @Override
    protected float[] view(String tensor, int[] rows, int[] columns, float[] values) {
        SplitMix64 random = SplitMix64.of(seed, SplitMix64.hash(tensor), SplitMix64.hash(rows),
                columns == null ? -1 : SplitMix64.hash(columns));
        if (model == NullModel.SHUFFLE) {
            shuffle(values, unit(tensor, columns), random);
        } else {
            redraw(values, random);
        }
        return values;
    }

    /** Entries that move together: a whole kernel for a convolution read kernel by kernel, else one. */
    private int unit(String tensor, int[] columns) {
        TensorInfo info = inner.info(tensor);
        if (info == null || info.rank() < 3) {
            return 1;
        }
        long[] shape = info.shape();
        long kernel = 1;
        for (int i = 2; i < shape.length; i++) {
            kernel *= shape[i];
        }
        int width = columns == null ? (int) info.columns() : columns.length;
        return kernel > 0 && kernel <= width && width % kernel == 0 ? (int) kernel : 1;
    }

    /** Fisher-Yates from the top down over units of {@code unit} consecutive entries. */
    static void shuffle(float[] values, int unit, SplitMix64 random) {
        int units = values.length / unit;
        float[] held = new float[unit];
        for (int i = units - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            if (j != i) {
                System.arraycopy(values, i * unit, held, 0, unit);
                System.arraycopy(values, j * unit, values, i * unit, unit);
                System.arraycopy(held, 0, values, j * unit, unit);
            }
        }
    }

    /** Normal draws with the block's mean and population standard deviation (in double precision). */
    static void redraw(float[] values, SplitMix64 random) {
        int n = values.length;
        if (n == 0) {
            return;
        }
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        double mean = sum / n;
        double ss = 0;
        for (float v : values) {
            double d = v - mean;
            ss += d * d;
        }
        double std = Math.sqrt(ss / n);
        for (int i = 0; i < n; i++) {
            values[i] = (float) (mean + std * random.nextGaussian());
        }
    }
}

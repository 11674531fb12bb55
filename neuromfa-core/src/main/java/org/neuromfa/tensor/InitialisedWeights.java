package org.neuromfa.tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A twin of a model at initialisation: the same tensor names and shapes as {@code template}, with
 * every element drawn from a normal distribution of mean 0 and standard deviation {@code std} (BERT
 * initialises its linear weights with {@code std = initializer_range = 0.02}). Nothing is stored:
 * each row is generated when read, from a generator seeded by ({@code seed}, tensor name, row), so a
 * row has the same values whichever rows are read with it and in whatever order. Normal draws use
 * the Box-Muller transform on {@link SplittableRandom#nextDouble()}.
 */
public final class InitialisedWeights implements TensorStore {
    private final TensorStore template;
    private final double std;
    private final long seed;

    public InitialisedWeights(TensorStore template, double std, long seed) {
        if (!(std > 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("standard deviation must be positive");
        }
        this.template = template;
        this.std = std;
        this.seed = seed;
    }

    public double std() {
        return std;
    }

    public long seed() {
        return seed;
    }

    @Override
    public String name() {
        return "initialised twin of " + template.name();
    }

    @Override
    public List<String> names() {
        return template.names();
    }

    @Override
    public TensorInfo info(String tensor) {
        TensorInfo info = template.info(tensor);
        return info == null ? null : new TensorInfo(info.name(), DType.F32, info.shape());
    }

    @Override
    public float[] readRows(String tensor, int[] rows) {
        TensorInfo info = require(tensor);
        int columns = (int) info.columns();
        float[] out = new float[rows.length * columns];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= info.rows()) {
                throw new IllegalArgumentException("row " + rows[i] + " out of range for " + info);
            }
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L
                    + tensor.hashCode() * 0xC2B2AE3D27D4EB4FL + rows[i]);
            for (int c = 0; c < columns; c += 2) {
                double u1 = 1.0 - random.nextDouble();
                double u2 = random.nextDouble();
                double radius = Math.sqrt(-2 * Math.log(u1));
                out[i * columns + c] = (float) (std * radius * Math.cos(2 * Math.PI * u2));
                if (c + 1 < columns) {
                    out[i * columns + c + 1] = (float) (std * radius * Math.sin(2 * Math.PI * u2));
                }
            }
        }
        return out;
    }

    @Override
    public long bytesRead() {
        return 0;
    }

    @Override
    public long bytesTotal() {
        return 0;
    }
}

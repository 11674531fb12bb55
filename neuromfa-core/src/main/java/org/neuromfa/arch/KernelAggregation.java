package org.neuromfa.arch;

import java.util.Locale;
import org.neuromfa.NeuroMfaException;

/**
 * How the kernel of a convolution becomes one connection weight. A convolution weight
 * {@code [out, in, kh, kw]} (or any number of spatial dimensions) connects input channel {@code i}
 * to output channel {@code j} through the {@code kh x kw} values {@code W[j, i, :, :]}; channels are
 * the neurons, so the network needs one weight per pair. The paper's own rule is not available
 * here, so the forms are documented choices:
 *
 * <ul>
 * <li>{@link #L2} (the default): the Euclidean norm {@code sqrt(sum w^2)};</li>
 * <li>{@link #MAX}: the largest {@code |w|};</li>
 * <li>{@link #MEAN}: the mean {@code |w|};</li>
 * <li>{@link #L1}: the sum of {@code |w|}.</li>
 * </ul>
 *
 * Every form gives {@code |w|} for a 1 x 1 kernel, so a pointwise convolution (ResNet's bottleneck
 * and shortcut convolutions) is wired exactly like a linear layer.
 *
 * <p>Why L2 by default: by Parseval's theorem the squared norm of a kernel is the mean over spatial
 * frequencies of its squared gain, so {@code ||K||_2} is the factor by which the connection scales
 * the standard deviation of an uncorrelated input, the same meaning {@code |w|} has for a linear
 * layer. It also keeps the weights on the scale of linear layers, which matters because the node
 * filter keeps distances {@code 1 < 1/w <= T} in a fixed window: under the usual initialisations
 * (variance proportional to {@code 1 / (in * kh * kw)}) the L2 norm of a kernel is of order
 * {@code 1/sqrt(in)}, as a linear weight with {@code in} inputs is, whereas the mean and the maximum
 * shrink or grow with the kernel size and the L1 norm grows with it.
 */
public enum KernelAggregation {
    L2, MAX, MEAN, L1;

    /** The default form. */
    public static final KernelAggregation DEFAULT = L2;

    /** Parses an option or wiring-file value: {@code l2}, {@code max}, {@code mean} or {@code l1}. */
    public static KernelAggregation parse(String value) {
        for (KernelAggregation a : values()) {
            if (a.label().equals(value)) {
                return a;
            }
        }
        throw new NeuroMfaException("kernel aggregation must be l2, max, mean or l1, not '" + value + "'");
    }

    /** The option value. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The aggregated weight of {@code length} kernel values starting at {@code from}, computed in
     * double precision and rounded to f32 once (as every weight of a network is an f32).
     */
    public float of(float[] values, int from, int length) {
        double acc = 0;
        switch (this) {
            case L2:
                for (int i = from; i < from + length; i++) {
                    acc += (double) values[i] * values[i];
                }
                return (float) Math.sqrt(acc);
            case MAX:
                for (int i = from; i < from + length; i++) {
                    acc = Math.max(acc, Math.abs(values[i]));
                }
                return (float) acc;
            case MEAN:
                for (int i = from; i < from + length; i++) {
                    acc += Math.abs(values[i]);
                }
                return (float) (acc / length);
            default:
                for (int i = from; i < from + length; i++) {
                    acc += Math.abs(values[i]);
                }
                return (float) acc;
        }
    }
}

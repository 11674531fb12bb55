package org.neuromfa.distance;

import org.neuromfa.network.Network;

/**
 * One-hop distances, as the reference code computes them: each edge of raw weight w has length
 * {@code l = 1/|w|} (the paper's {@code l = |w|^p} with {@code p = -1}), computed in double precision
 * from the f32 weight. Strong connections are short.
 */
public final class DirectDistances {
    private DirectDistances() {
    }

    public static NodeDistances of(Network network) {
        float[] w = network.weights();
        double[] l = new double[w.length];
        for (int e = 0; e < w.length; e++) {
            l[e] = 1.0 / Math.abs((double) w[e]);
        }
        return new NodeDistances(network.nodeIds(), network.offsets(), l);
    }
}

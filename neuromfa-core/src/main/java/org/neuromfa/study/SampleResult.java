package org.neuromfa.study;

import org.neuromfa.sample.SamplePlan;

/**
 * The analysis of one seed's sampled network: its size, the fitted mass exponents tau(q) with their
 * fit quality, the singularity spectrum, and optionally the node fractal dimensions.
 */
public final class SampleResult {
    public final long seed;
    public final SamplePlan plan;
    public final int edges;
    public final int sourceNodes;
    public final int selectedNodes;
    public final int radii;
    /** The scaling range: the smallest and largest radius in the fit of tau, and how many radii it used. */
    public final int fitLow;
    public final int fitHigh;
    public final int fitPoints;
    public final double[] tau;
    public final double[] rSquared;
    public final double[] tauStderr;
    public final double[] alpha;
    public final double[] fAlpha;
    public final double alpha0;
    public final double width;
    /** Whether the quality filter keeps this sample for the means. */
    public final boolean kept;
    /** Node ids and their fractal dimensions, or null when not requested. */
    public final int[] nfdNodeIds;
    public final double[] nfd;

    public SampleResult(long seed, SamplePlan plan, int edges, int sourceNodes, int selectedNodes, int radii,
                        double[] tau, double[] rSquared, double[] tauStderr, double[] alpha, double[] fAlpha,
                        double alpha0, double width, boolean kept, int[] nfdNodeIds, double[] nfd,
                        int fitLow, int fitHigh, int fitPoints) {
        this.seed = seed;
        this.plan = plan;
        this.edges = edges;
        this.sourceNodes = sourceNodes;
        this.selectedNodes = selectedNodes;
        this.radii = radii;
        this.tau = tau;
        this.rSquared = rSquared;
        this.tauStderr = tauStderr;
        this.alpha = alpha;
        this.fAlpha = fAlpha;
        this.alpha0 = alpha0;
        this.width = width;
        this.kept = kept;
        this.nfdNodeIds = nfdNodeIds;
        this.nfd = nfd;
        this.fitLow = fitLow;
        this.fitHigh = fitHigh;
        this.fitPoints = fitPoints;
    }
}

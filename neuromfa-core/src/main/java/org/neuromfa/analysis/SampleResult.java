package org.neuromfa.analysis;

import java.util.Objects;

import org.neuromfa.sample.SamplePlan;
import org.neuromfa.spectrum.MassExponents;
import org.neuromfa.spectrum.NodeFractalDimension;
import org.neuromfa.spectrum.PartitionFunction;
import org.neuromfa.spectrum.ScalingEvidence;
import org.neuromfa.spectrum.SingularitySpectrum;

/**
 * The analysis of one seed's sampled network: the plan it was drawn from, the network's size, the
 * fitted mass exponents tau(q) with their fit quality, the singularity spectrum, whether the quality
 * filter keeps it, and optionally the node fractal dimensions, the evidence of the fits (ln Z_q(r) at
 * a few q) and, while the checkpoint's scaling range is still to be chosen ({@code --radius-range
 * auto}), the whole partition function. Made of the values the pipeline computes
 * ({@link MassExponents}, {@link SingularitySpectrum}, {@link NodeFractalDimension.Result});
 * immutable, arrays handed out as copies.
 */
public final class SampleResult {
    private final SamplePlan plan;
    private final int edges;
    private final int sourceNodes;
    private final int selectedNodes;
    private final int radii;
    private final MassExponents exponents;
    private final SingularitySpectrum spectrum;
    private final boolean kept;
    private final NodeFractalDimension.Result nodeFractalDimensions;
    private final ScalingEvidence evidence;
    private final PartitionFunction partition;

    /**
     * @param edges         edges of the sampled network
     * @param sourceNodes   nodes with out-edges
     * @param selectedNodes nodes passing the node filter
     * @param radii         distinct radii of the partition function
     * @param kept          whether the quality filter keeps the sample for the means
     * @param nodeFractalDimensions the node fractal dimensions, or null when not computed
     */
    public SampleResult(SamplePlan plan, int edges, int sourceNodes, int selectedNodes, int radii,
                        MassExponents exponents, SingularitySpectrum spectrum, boolean kept,
                        NodeFractalDimension.Result nodeFractalDimensions) {
        this(plan, edges, sourceNodes, selectedNodes, radii, exponents, spectrum, kept, nodeFractalDimensions, null,
                null);
    }

    /**
     * As above, with the evidence of the fits and the partition function (each null when not kept).
     */
    public SampleResult(SamplePlan plan, int edges, int sourceNodes, int selectedNodes, int radii,
                        MassExponents exponents, SingularitySpectrum spectrum, boolean kept,
                        NodeFractalDimension.Result nodeFractalDimensions, ScalingEvidence evidence,
                        PartitionFunction partition) {
        this.plan = plan;
        this.edges = edges;
        this.sourceNodes = sourceNodes;
        this.selectedNodes = selectedNodes;
        this.radii = radii;
        this.exponents = exponents;
        this.spectrum = spectrum;
        this.kept = kept;
        this.nodeFractalDimensions = nodeFractalDimensions;
        this.evidence = evidence;
        this.partition = partition;
    }

    /**
     * This sample fitted again: new exponents and spectrum (over another scaling range), the quality
     * filter's verdict on them, and the evidence to keep (null for none); the partition function is
     * dropped, the rest kept.
     */
    public SampleResult refitted(MassExponents exponents, SingularitySpectrum spectrum, boolean kept,
                                 ScalingEvidence evidence) {
        return new SampleResult(plan, edges, sourceNodes, selectedNodes, radii, exponents, spectrum, kept,
                nodeFractalDimensions, evidence, null);
    }

    /** ln Z_q(r) at a few q for every radius, or null when not kept ({@code --evidence}). */
    public ScalingEvidence evidence() {
        return evidence;
    }

    /** The whole partition function, or null: kept only until the checkpoint's scaling range is chosen. */
    public PartitionFunction partition() {
        return partition;
    }

    public long seed() {
        return plan.seed();
    }

    /** The sampled neuron indices per group. */
    public SamplePlan plan() {
        return plan;
    }

    public int edges() {
        return edges;
    }

    public int sourceNodes() {
        return sourceNodes;
    }

    public int selectedNodes() {
        return selectedNodes;
    }

    public int radii() {
        return radii;
    }

    public MassExponents exponents() {
        return exponents;
    }

    public SingularitySpectrum spectrum() {
        return spectrum;
    }

    /** Whether the quality filter keeps this sample for the means. */
    public boolean kept() {
        return kept;
    }

    /** The node fractal dimensions, or null when not requested. */
    public NodeFractalDimension.Result nodeFractalDimensions() {
        return nodeFractalDimensions;
    }

    public double alpha0() {
        return spectrum.alpha0();
    }

    public double width() {
        return spectrum.width();
    }

    public double[] tau() {
        return exponents.tau();
    }

    public double[] rSquared() {
        return exponents.rSquared();
    }

    public double[] tauStderr() {
        return exponents.standardErrors();
    }

    public double[] alpha() {
        return spectrum.alpha();
    }

    public double[] fAlpha() {
        return spectrum.f();
    }

    /** The scaling range: the smallest radius in the fit of tau. */
    public int fitLow() {
        return exponents.fitLow();
    }

    /** The largest radius in the fit of tau. */
    public int fitHigh() {
        return exponents.fitHigh();
    }

    /** How many radii the fit of tau used. */
    public int fitPoints() {
        return exponents.fitPoints();
    }

    /** Node ids of the node fractal dimensions, or null when not requested. */
    public int[] nfdNodeIds() {
        return nodeFractalDimensions == null ? null : nodeFractalDimensions.nodeIds();
    }

    /** Node fractal dimensions, or null when not requested. */
    public double[] nfd() {
        return nodeFractalDimensions == null ? null : nodeFractalDimensions.nfd();
    }

    /** Equal results: every value equal (so a result read back from the store equals the one computed). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SampleResult)) {
            return false;
        }
        SampleResult s = (SampleResult) o;
        return plan.equals(s.plan) && edges == s.edges && sourceNodes == s.sourceNodes
                && selectedNodes == s.selectedNodes && radii == s.radii && exponents.equals(s.exponents)
                && spectrum.equals(s.spectrum) && kept == s.kept
                && Objects.equals(nodeFractalDimensions, s.nodeFractalDimensions) && Objects.equals(evidence, s.evidence)
                && Objects.equals(partition, s.partition);
    }

    @Override
    public int hashCode() {
        return Objects.hash(plan, edges, exponents, spectrum, kept);
    }
}

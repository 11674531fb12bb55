package org.neuromfa.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.arch.ArchitectureOptions;
import org.neuromfa.arch.KernelAggregation;
import org.neuromfa.arch.QkvLayout;
import org.neuromfa.distance.Neighbourhood;
import org.neuromfa.distance.PathDistance;
import org.neuromfa.distance.ShortestPaths;
import org.neuromfa.spectrum.NodeFractalDimension;
import org.neuromfa.spectrum.QGrid;
import org.neuromfa.spectrum.QualityFilter;
import org.neuromfa.spectrum.RadiusRange;
import org.neuromfa.spectrum.SpectrumEstimator;
import org.neuromfa.spectrum.SpectrumOptions;
import org.neuromfa.tensor.NullModel;

/**
 * Everything that decides the numbers of an analysis, immutable, with {@code withX} copies. The
 * defaults are the reference code's: 10 seeds from 0, 32 nodes per layer, T = 150, q from -3 to 3 in
 * steps of 0.1, no quality filter, GPT-NeoX's QKV rows read as thirds, convolution kernels aggregated
 * by their L2 norm, the family detected (no wiring file), raw weights, one-hop distances, the
 * reference's spectrum over all radii, the weights as they are (no null model), no evidence kept and no
 * bootstrap.
 *
 * <p>Each {@code withX} validates its value, copies every setting and changes one; fields are never
 * changed after a copy is handed out, so instances are immutable to their users.
 */
public final class AnalysisOptions {
    private int samples;
    private long firstSeed;
    private int nodesPerLayer;
    private double threshold;
    private QGrid qGrid;
    private QualityFilter filter;
    private double nfdThreshold;
    private boolean nodeFractalDimensions;
    private Neighbourhood neighbourhood;
    private SpectrumOptions spectrum;
    private ArchitectureOptions architecture;
    private boolean normalizeWeights;
    private NullModel nullModel;
    private boolean evidence;
    private Bootstrap bootstrap;

    private AnalysisOptions() {
    }

    /** A copy to change one setting in. */
    private AnalysisOptions copy() {
        AnalysisOptions o = new AnalysisOptions();
        o.samples = samples;
        o.firstSeed = firstSeed;
        o.nodesPerLayer = nodesPerLayer;
        o.threshold = threshold;
        o.qGrid = qGrid;
        o.filter = filter;
        o.nfdThreshold = nfdThreshold;
        o.nodeFractalDimensions = nodeFractalDimensions;
        o.neighbourhood = neighbourhood;
        o.spectrum = spectrum;
        o.architecture = architecture;
        o.normalizeWeights = normalizeWeights;
        o.nullModel = nullModel;
        o.evidence = evidence;
        o.bootstrap = bootstrap;
        return o;
    }

    public static AnalysisOptions defaults() {
        AnalysisOptions o = new AnalysisOptions();
        o.samples = 10;
        o.firstSeed = 0;
        o.nodesPerLayer = 32;
        o.threshold = 150;
        o.qGrid = QGrid.reference();
        o.filter = QualityFilter.NONE;
        o.nfdThreshold = NodeFractalDimension.REFERENCE_THRESHOLD;
        o.nodeFractalDimensions = false;
        o.neighbourhood = Neighbourhood.direct();
        o.spectrum = SpectrumOptions.reference();
        o.architecture = ArchitectureOptions.defaults();
        o.normalizeWeights = false;
        o.nullModel = NullModel.NONE;
        o.evidence = false;
        o.bootstrap = Bootstrap.NONE;
        return o;
    }

    public AnalysisOptions withSamples(int value) {
        if (value < 1) {
            throw new NeuroMfaException(Message.setting("samples") + " must be at least 1, not " + value);
        }
        AnalysisOptions o = copy();
        o.samples = value;
        return o;
    }

    public AnalysisOptions withFirstSeed(long value) {
        if (value < 0 || value > 0xffffffffL) {
            throw new NeuroMfaException(Message.setting("first_seed") + " must be in [0, 2^32), not " + value);
        }
        AnalysisOptions o = copy();
        o.firstSeed = value;
        return o;
    }

    public AnalysisOptions withNodesPerLayer(int value) {
        if (value < 1) {
            throw new NeuroMfaException(Message.setting("nodes_per_layer") + " must be at least 1, not " + value);
        }
        AnalysisOptions o = copy();
        o.nodesPerLayer = value;
        return o;
    }

    public AnalysisOptions withThreshold(double value) {
        if (!(value > 1) || value > 1e7) {
            throw new NeuroMfaException(Message.setting("threshold") + " must be greater than 1 and at most 1e7, not " + value);
        }
        AnalysisOptions o = copy();
        o.threshold = value;
        return o;
    }

    public AnalysisOptions withQGrid(QGrid value) {
        AnalysisOptions o = copy();
        o.qGrid = value;
        return o;
    }

    public AnalysisOptions withFilter(QualityFilter value) {
        AnalysisOptions o = copy();
        o.filter = value;
        return o;
    }

    public AnalysisOptions withNodeFractalDimensions(boolean value) {
        AnalysisOptions o = copy();
        o.nodeFractalDimensions = value;
        return o;
    }

    public AnalysisOptions withNfdThreshold(double value) {
        if (!(value > 0) || value > 1e7) {
            throw new NeuroMfaException(Message.setting("nfd_threshold") + " must be positive and at most 1e7, not " + value);
        }
        AnalysisOptions o = copy();
        o.nfdThreshold = value;
        return o;
    }

    /** How GPT-NeoX's fused QKV rows are read; the reference's thirds by default. */
    public AnalysisOptions withQkvLayout(QkvLayout value) {
        return withArchitecture(architecture.withQkvLayout(value));
    }

    /** How convolution kernels become one weight; their L2 norm by default. */
    public AnalysisOptions withKernelAggregation(KernelAggregation value) {
        return withArchitecture(architecture.withKernelAggregation(value));
    }

    /** How tensors become a network: QKV layout, kernel aggregation, wiring file. */
    public AnalysisOptions withArchitecture(ArchitectureOptions value) {
        AnalysisOptions o = copy();
        o.architecture = java.util.Objects.requireNonNull(value);
        return o;
    }

    public ArchitectureOptions architecture() {
        return architecture;
    }

    /** Whether weights are divided by their matrix's standard deviation before distances (off by default). */
    public AnalysisOptions withNormalizeWeights(boolean value) {
        AnalysisOptions o = copy();
        o.normalizeWeights = value;
        return o;
    }

    /**
     * The null model the samples' weights go through (METHOD.md section 11); {@link NullModel#NONE},
     * the weights as they are, by default.
     */
    public AnalysisOptions withNullModel(NullModel value) {
        AnalysisOptions o = copy();
        o.nullModel = Objects.requireNonNull(value);
        return o;
    }

    public NullModel nullModel() {
        return nullModel;
    }

    /**
     * Whether each sample keeps the evidence of its fits, {@code ln Z_q(r)} at a few q for every
     * radius ({@link org.neuromfa.spectrum.ScalingEvidence}), for the evidence plots. Off by default:
     * it adds about 900 numbers to every sample.
     */
    public AnalysisOptions withEvidence(boolean value) {
        AnalysisOptions o = copy();
        o.evidence = value;
        return o;
    }

    public boolean evidence() {
        return evidence;
    }

    /**
     * The bootstrap over seeds of the intervals of alpha0, width and E (METHOD.md section 6.4);
     * {@link Bootstrap#NONE} by default. It does not change any sample, so results stored under
     * other bootstrap settings are shared ({@link #perSeed()} sets it aside).
     */
    public AnalysisOptions withBootstrap(Bootstrap value) {
        AnalysisOptions o = copy();
        o.bootstrap = Objects.requireNonNull(value);
        return o;
    }

    public Bootstrap bootstrap() {
        return bootstrap;
    }

    public QkvLayout qkvLayout() {
        return architecture.qkvLayout();
    }

    public boolean normalizeWeights() {
        return normalizeWeights;
    }

    /** Which neurons are each node's neighbours, and at what distance (one hop by default). */
    public AnalysisOptions withNeighbourhood(Neighbourhood value) {
        AnalysisOptions o = copy();
        o.neighbourhood = value;
        return o;
    }

    public AnalysisOptions withHops(int value) {
        return withNeighbourhood(neighbourhood.withHops(value));
    }

    public AnalysisOptions withPathDistance(PathDistance form, double lambda, double gamma) {
        return withNeighbourhood(neighbourhood.withPathDistance(form).withLambda(lambda).withGamma(gamma));
    }

    public AnalysisOptions withShortestPaths(ShortestPaths algorithm, int estimateEdges) {
        return withNeighbourhood(neighbourhood.withShortestPaths(algorithm).withEstimateEdges(estimateEdges));
    }

    /** How tau(q) is fitted and f(alpha) estimated. */
    public AnalysisOptions withSpectrum(SpectrumOptions value) {
        AnalysisOptions o = copy();
        o.spectrum = value;
        return o;
    }

    public AnalysisOptions withSpectrumEstimator(SpectrumEstimator value) {
        return withSpectrum(spectrum.withEstimator(value));
    }

    /** The radii tau(q) is fitted over: all (the reference), {@code lo:hi}, or chosen from the data ({@link RadiusRange#auto()}). */
    public AnalysisOptions withRadiusRange(RadiusRange value) {
        return withSpectrum(spectrum.withRadiusRange(value));
    }

    public AnalysisOptions withMinRSquared(double value) {
        return withSpectrum(spectrum.withMinRSquared(value));
    }

    public int samples() {
        return samples;
    }

    /** The seeds of the analysis, {@code firstSeed .. firstSeed + samples - 1}. */
    public List<Long> seeds() {
        List<Long> seeds = new ArrayList<>(samples);
        for (int i = 0; i < samples; i++) {
            seeds.add(firstSeed + i);
        }
        return seeds;
    }

    public long firstSeed() {
        return firstSeed;
    }

    public int nodesPerLayer() {
        return nodesPerLayer;
    }

    public double threshold() {
        return threshold;
    }

    public QGrid qGrid() {
        return qGrid;
    }

    public QualityFilter filter() {
        return filter;
    }

    public double nfdThreshold() {
        return nfdThreshold;
    }

    public boolean nodeFractalDimensions() {
        return nodeFractalDimensions;
    }

    public Neighbourhood neighbourhood() {
        return neighbourhood;
    }

    public SpectrumOptions spectrum() {
        return spectrum;
    }

    /**
     * The options that decide one seed's numbers: these options with the choice of seeds
     * ({@code samples}, {@code firstSeed}) and the bootstrap over them set aside. Results computed under equal such options can
     * be shared, whatever seeds each run asks for.
     */
    public AnalysisOptions perSeed() {
        AnalysisOptions o = copy();
        o.samples = 1;
        o.firstSeed = 0;
        o.bootstrap = Bootstrap.NONE;
        return o;
    }

    /** Equal options: every setting equal. */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof AnalysisOptions)) {
            return false;
        }
        AnalysisOptions o = (AnalysisOptions) other;
        return samples == o.samples && firstSeed == o.firstSeed && nodesPerLayer == o.nodesPerLayer
                && Double.compare(threshold, o.threshold) == 0 && qGrid.equals(o.qGrid) && filter == o.filter
                && Double.compare(nfdThreshold, o.nfdThreshold) == 0 && nodeFractalDimensions == o.nodeFractalDimensions
                && neighbourhood.equals(o.neighbourhood) && spectrum.equals(o.spectrum) && architecture.equals(o.architecture)
                && normalizeWeights == o.normalizeWeights && nullModel == o.nullModel && evidence == o.evidence
                && bootstrap.equals(o.bootstrap);
    }

    @Override
    public int hashCode() {
        return Objects.hash(samples, firstSeed, nodesPerLayer, threshold, qGrid, filter, nfdThreshold,
                nodeFractalDimensions, neighbourhood, spectrum, architecture, normalizeWeights, nullModel, evidence,
                bootstrap);
    }
}

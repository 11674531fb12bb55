package org.neuromfa.study;

import org.neuromfa.NeuroMfaException;
import org.neuromfa.distance.Neighbourhood;
import org.neuromfa.distance.PathDistance;
import org.neuromfa.distance.ShortestPaths;
import org.neuromfa.spectrum.NodeFractalDimension;
import org.neuromfa.spectrum.QGrid;
import org.neuromfa.spectrum.QualityFilter;
import org.neuromfa.spectrum.RadiusRange;
import org.neuromfa.spectrum.SpectrumEstimator;
import org.neuromfa.spectrum.SpectrumOptions;

/**
 * Everything that decides the numbers of an analysis, immutable, with {@code withX} copies. The
 * defaults are the reference code's: 10 seeds from 0, 32 nodes per layer, T = 150, q from -3 to 3 in
 * steps of 0.1, no quality filter, one-hop distances, the reference's spectrum over all radii.
 */
public final class AnalysisOptions {
    private final int samples;
    private final long firstSeed;
    private final int nodesPerLayer;
    private final double threshold;
    private final QGrid qGrid;
    private final QualityFilter filter;
    private final double nfdThreshold;
    private final boolean nodeFractalDimensions;
    private final Neighbourhood neighbourhood;
    private final SpectrumOptions spectrum;

    private AnalysisOptions(int samples, long firstSeed, int nodesPerLayer, double threshold, QGrid qGrid,
                            QualityFilter filter, double nfdThreshold, boolean nodeFractalDimensions,
                            Neighbourhood neighbourhood, SpectrumOptions spectrum) {
        this.samples = samples;
        this.firstSeed = firstSeed;
        this.nodesPerLayer = nodesPerLayer;
        this.threshold = threshold;
        this.qGrid = qGrid;
        this.filter = filter;
        this.nfdThreshold = nfdThreshold;
        this.nodeFractalDimensions = nodeFractalDimensions;
        this.neighbourhood = neighbourhood;
        this.spectrum = spectrum;
    }

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(10, 0, 32, 150, QGrid.reference(), QualityFilter.NONE,
                NodeFractalDimension.REFERENCE_THRESHOLD, false,
                Neighbourhood.direct(), SpectrumOptions.reference());
    }

    public AnalysisOptions withSamples(int value) {
        if (value < 1) {
            throw new NeuroMfaException("--samples must be at least 1, not " + value);
        }
        return new AnalysisOptions(value, firstSeed, nodesPerLayer, threshold, qGrid, filter, nfdThreshold, nodeFractalDimensions,
                neighbourhood, spectrum);
    }

    public AnalysisOptions withFirstSeed(long value) {
        if (value < 0 || value > 0xffffffffL) {
            throw new NeuroMfaException("--first-seed must be in [0, 2^32), not " + value);
        }
        return new AnalysisOptions(samples, value, nodesPerLayer, threshold, qGrid, filter, nfdThreshold, nodeFractalDimensions,
                neighbourhood, spectrum);
    }

    public AnalysisOptions withNodesPerLayer(int value) {
        if (value < 1) {
            throw new NeuroMfaException("--nodes-per-layer must be at least 1, not " + value);
        }
        return new AnalysisOptions(samples, firstSeed, value, threshold, qGrid, filter, nfdThreshold, nodeFractalDimensions,
                neighbourhood, spectrum);
    }

    public AnalysisOptions withThreshold(double value) {
        if (!(value > 1) || value > 1e7) {
            throw new NeuroMfaException("--threshold must be greater than 1 and at most 1e7, not " + value);
        }
        return new AnalysisOptions(samples, firstSeed, nodesPerLayer, value, qGrid, filter, nfdThreshold, nodeFractalDimensions,
                neighbourhood, spectrum);
    }

    public AnalysisOptions withQGrid(QGrid value) {
        return new AnalysisOptions(samples, firstSeed, nodesPerLayer, threshold, value, filter, nfdThreshold, nodeFractalDimensions,
                neighbourhood, spectrum);
    }

    public AnalysisOptions withFilter(QualityFilter value) {
        return new AnalysisOptions(samples, firstSeed, nodesPerLayer, threshold, qGrid, value, nfdThreshold, nodeFractalDimensions,
                neighbourhood, spectrum);
    }

    public AnalysisOptions withNodeFractalDimensions(boolean value) {
        return new AnalysisOptions(samples, firstSeed, nodesPerLayer, threshold, qGrid, filter, nfdThreshold, value,
                neighbourhood, spectrum);
    }

    public AnalysisOptions withNfdThreshold(double value) {
        if (!(value > 0) || value > 1e7) {
            throw new NeuroMfaException("--nfd-threshold must be positive and at most 1e7, not " + value);
        }
        return new AnalysisOptions(samples, firstSeed, nodesPerLayer, threshold, qGrid, filter, value, nodeFractalDimensions,
                neighbourhood, spectrum);
    }

    /** Which neurons are each node's neighbours, and at what distance (one hop by default). */
    public AnalysisOptions withNeighbourhood(Neighbourhood value) {
        return new AnalysisOptions(samples, firstSeed, nodesPerLayer, threshold, qGrid, filter, nfdThreshold, nodeFractalDimensions,
                value, spectrum);
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
        return new AnalysisOptions(samples, firstSeed, nodesPerLayer, threshold, qGrid, filter, nfdThreshold, nodeFractalDimensions,
                neighbourhood, value);
    }

    public AnalysisOptions withSpectrumEstimator(SpectrumEstimator value) {
        return withSpectrum(spectrum.withEstimator(value));
    }

    public AnalysisOptions withRadiusRange(RadiusRange value) {
        return withSpectrum(spectrum.withRadiusRange(value));
    }

    public AnalysisOptions withMinRSquared(double value) {
        return withSpectrum(spectrum.withMinRSquared(value));
    }

    public int samples() {
        return samples;
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
}

package org.neuromfa.study;

import org.neuromfa.NeuroMfaException;
import org.neuromfa.arch.QkvLayout;
import org.neuromfa.spectrum.NodeFractalDimension;
import org.neuromfa.spectrum.QGrid;
import org.neuromfa.spectrum.QualityFilter;

/**
 * Everything that decides the numbers of an analysis, immutable, with {@code withX} copies. The
 * defaults are the reference code's: 10 seeds from 0, 32 nodes per layer, T = 150, q from -3 to 3 in
 * steps of 0.1, no quality filter, GPT-NeoX's QKV rows read as thirds, raw weights.
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
    private final QkvLayout qkvLayout;
    private final boolean normalizeWeights;

    private AnalysisOptions(int samples, long firstSeed, int nodesPerLayer, double threshold, QGrid qGrid,
                            QualityFilter filter, double nfdThreshold, boolean nodeFractalDimensions,
                            QkvLayout qkvLayout, boolean normalizeWeights) {
        this.samples = samples;
        this.firstSeed = firstSeed;
        this.nodesPerLayer = nodesPerLayer;
        this.threshold = threshold;
        this.qGrid = qGrid;
        this.filter = filter;
        this.nfdThreshold = nfdThreshold;
        this.nodeFractalDimensions = nodeFractalDimensions;
        this.qkvLayout = qkvLayout;
        this.normalizeWeights = normalizeWeights;
    }

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(10, 0, 32, 150, QGrid.reference(), QualityFilter.NONE,
                NodeFractalDimension.REFERENCE_THRESHOLD, false,
                QkvLayout.THIRDS, false);
    }

    public AnalysisOptions withSamples(int value) {
        if (value < 1) {
            throw new NeuroMfaException("--samples must be at least 1, not " + value);
        }
        return new AnalysisOptions(value, firstSeed, nodesPerLayer, threshold, qGrid, filter, nfdThreshold, nodeFractalDimensions, qkvLayout, normalizeWeights);
    }

    public AnalysisOptions withFirstSeed(long value) {
        if (value < 0 || value > 0xffffffffL) {
            throw new NeuroMfaException("--first-seed must be in [0, 2^32), not " + value);
        }
        return new AnalysisOptions(samples, value, nodesPerLayer, threshold, qGrid, filter, nfdThreshold, nodeFractalDimensions, qkvLayout, normalizeWeights);
    }

    public AnalysisOptions withNodesPerLayer(int value) {
        if (value < 1) {
            throw new NeuroMfaException("--nodes-per-layer must be at least 1, not " + value);
        }
        return new AnalysisOptions(samples, firstSeed, value, threshold, qGrid, filter, nfdThreshold, nodeFractalDimensions, qkvLayout, normalizeWeights);
    }

    public AnalysisOptions withThreshold(double value) {
        if (!(value > 1) || value > 1e7) {
            throw new NeuroMfaException("--threshold must be greater than 1 and at most 1e7, not " + value);
        }
        return new AnalysisOptions(samples, firstSeed, nodesPerLayer, value, qGrid, filter, nfdThreshold, nodeFractalDimensions, qkvLayout, normalizeWeights);
    }

    public AnalysisOptions withQGrid(QGrid value) {
        return new AnalysisOptions(samples, firstSeed, nodesPerLayer, threshold, value, filter, nfdThreshold, nodeFractalDimensions, qkvLayout, normalizeWeights);
    }

    public AnalysisOptions withFilter(QualityFilter value) {
        return new AnalysisOptions(samples, firstSeed, nodesPerLayer, threshold, qGrid, value, nfdThreshold, nodeFractalDimensions, qkvLayout, normalizeWeights);
    }

    public AnalysisOptions withNodeFractalDimensions(boolean value) {
        return new AnalysisOptions(samples, firstSeed, nodesPerLayer, threshold, qGrid, filter, nfdThreshold, value, qkvLayout, normalizeWeights);
    }

    public AnalysisOptions withNfdThreshold(double value) {
        if (!(value > 0) || value > 1e7) {
            throw new NeuroMfaException("--nfd-threshold must be positive and at most 1e7, not " + value);
        }
        return new AnalysisOptions(samples, firstSeed, nodesPerLayer, threshold, qGrid, filter, value, nodeFractalDimensions, qkvLayout, normalizeWeights);
    }

    /** How GPT-NeoX's fused QKV rows are read; the reference's thirds by default. */
    public AnalysisOptions withQkvLayout(QkvLayout value) {
        return new AnalysisOptions(samples, firstSeed, nodesPerLayer, threshold, qGrid, filter, nfdThreshold, nodeFractalDimensions,
                value, normalizeWeights);
    }

    /** Whether weights are divided by their matrix's standard deviation before distances (off by default). */
    public AnalysisOptions withNormalizeWeights(boolean value) {
        return new AnalysisOptions(samples, firstSeed, nodesPerLayer, threshold, qGrid, filter, nfdThreshold, nodeFractalDimensions,
                qkvLayout, value);
    }

    public QkvLayout qkvLayout() {
        return qkvLayout;
    }

    public boolean normalizeWeights() {
        return normalizeWeights;
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
}

package org.neuromfa.spark;

import java.io.Serializable;
import org.neuromfa.arch.QkvLayout;
import org.neuromfa.io.ResultJson;
import org.neuromfa.spectrum.QGrid;
import org.neuromfa.spectrum.QualityFilter;
import org.neuromfa.study.AnalysisOptions;

/**
 * {@link AnalysisOptions} in a form Spark can ship to executors. {@link #of} checks that the rebuilt
 * options describe themselves exactly as the originals ({@code ResultJson.parameters}), so an option
 * added to the analysis but forgotten here stops the run instead of silently changing numbers.
 */
final class OptionsRecipe implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int samples;
    private final long firstSeed;
    private final int nodesPerLayer;
    private final double threshold;
    private final String qMin;
    private final String qMax;
    private final String qStep;
    private final QualityFilter filter;
    private final double nfdThreshold;
    private final boolean nodeFractalDimensions;
    private final QkvLayout qkvLayout;
    private final boolean normalizeWeights;

    private OptionsRecipe(AnalysisOptions o) {
        samples = o.samples();
        firstSeed = o.firstSeed();
        nodesPerLayer = o.nodesPerLayer();
        threshold = o.threshold();
        qMin = o.qGrid().min();
        qMax = o.qGrid().max();
        qStep = o.qGrid().step();
        filter = o.filter();
        nfdThreshold = o.nfdThreshold();
        nodeFractalDimensions = o.nodeFractalDimensions();
        qkvLayout = o.qkvLayout();
        normalizeWeights = o.normalizeWeights();
    }

    static OptionsRecipe of(AnalysisOptions options) {
        OptionsRecipe recipe = new OptionsRecipe(options);
        String wanted = ResultJson.parameters(options).toString();
        String rebuilt = ResultJson.parameters(recipe.toOptions()).toString();
        if (!wanted.equals(rebuilt)) {
            throw new IllegalStateException("the analysis options do not all reach the Spark executors: "
                    + wanted + " became " + rebuilt);
        }
        return recipe;
    }

    AnalysisOptions toOptions() {
        return AnalysisOptions.defaults().withSamples(samples).withFirstSeed(firstSeed).withNodesPerLayer(nodesPerLayer)
                .withThreshold(threshold).withQGrid(QGrid.of(qMin, qMax, qStep)).withFilter(filter)
                .withNfdThreshold(nfdThreshold).withNodeFractalDimensions(nodeFractalDimensions)
                .withQkvLayout(qkvLayout).withNormalizeWeights(normalizeWeights);
    }
}

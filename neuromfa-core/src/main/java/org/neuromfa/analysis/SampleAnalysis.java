package org.neuromfa.analysis;

import java.io.IOException;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.arch.Architecture;
import org.neuromfa.distance.NodeDistances;
import org.neuromfa.network.Network;
import org.neuromfa.sample.SamplePlan;
import org.neuromfa.spectrum.MassExponents;
import org.neuromfa.spectrum.NodeFractalDimension;
import org.neuromfa.spectrum.PartitionFunction;
import org.neuromfa.spectrum.ScalingEvidence;
import org.neuromfa.spectrum.SelectedNodes;
import org.neuromfa.spectrum.SingularitySpectrum;
import org.neuromfa.tensor.TensorStore;

/**
 * The unit of work: one checkpoint, one seed. Draw the plan, build the network from the weight rows
 * it needs (through the options' null model, when one is asked for), turn edges into distances (one
 * hop, or paths of up to K hops), and compute the spectrum (and node fractal dimensions when asked).
 * The command line, trajectories and the Spark runner all call exactly this. With
 * {@code --radius-range auto} the sample is fitted over all radii and keeps its partition function,
 * from which {@link ScalingWindow} chooses the checkpoint's range and fits it again.
 */
public final class SampleAnalysis {
    private SampleAnalysis() {
    }

    public static SampleResult run(Architecture architecture, TensorStore tensors, long seed, AnalysisOptions options)
            throws IOException {
        SamplePlan plan = architecture.samplePlan(seed, options.nodesPerLayer());
        Network network = architecture.network(plan, options.nullModel().apply(tensors, seed));
        return analyse(plan, network, distances(network, options), options);
    }

    /**
     * The distances of each node's neighbourhood. None above the node filter's T (or the NFD limit,
     * when computed and larger) is ever used, which lets the bounded shortest paths stop early.
     */
    public static NodeDistances distances(Network network, AnalysisOptions options) {
        double cap = options.nodeFractalDimensions()
                ? Math.max(options.threshold(), options.nfdThreshold()) : options.threshold();
        return options.neighbourhood().distances(network, cap);
    }

    /** The spectrum part, for networks and distances built by other means (multi-hop, tests). */
    public static SampleResult analyse(SamplePlan plan, Network network, NodeDistances distances, AnalysisOptions options) {
        long seed = plan.seed();
        SelectedNodes selected = SelectedNodes.select(distances, options.threshold(), SelectedNodes.MIN_COUNT);
        if (selected.size() == 0) {
            throw new NeuroMfaException("seed " + seed + ": no node has more than " + SelectedNodes.MIN_COUNT
                    + " distances in (1, " + format(options.threshold()) + "], so the spectrum is undefined"
                    + " (try a larger " + Message.setting("threshold") + " or " + Message.setting("nodes_per_layer") + ")");
        }
        PartitionFunction z = PartitionFunction.compute(selected, options.qGrid());
        if (z.radii().length < 2) {
            throw new NeuroMfaException("seed " + seed + ": all kept distances round to the same radius "
                    + z.radii()[0] + ", so no scaling can be fitted");
        }
        MassExponents exponents;
        try {
            exponents = MassExponents.fit(z, options.spectrum().radiusRange());
        } catch (NeuroMfaException e) {
            throw new NeuroMfaException(null, e.message().prefixed("seed " + seed + ": "), null);
        }
        SingularitySpectrum spectrum = options.spectrum().estimator().spectrum(options.qGrid(), exponents.tau());
        NodeFractalDimension.Result nfd = options.nodeFractalDimensions()
                ? NodeFractalDimension.compute(distances, options.nfdThreshold()) : null;
        boolean auto = options.spectrum().radiusRange().isAuto();
        return new SampleResult(plan, network.edgeCount(), network.sourceNodeCount(), selected.size(),
                z.radii().length, exponents, spectrum, options.filter().keeps(spectrum.alpha(), spectrum.f()), nfd,
                options.evidence() && !auto ? ScalingEvidence.of(z, options.qGrid()) : null, auto ? z : null);
    }

    static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}

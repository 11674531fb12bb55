package org.neuromfa.distance;

import org.neuromfa.network.Network;

/**
 * Beyond the first hop, each intermediate node relaxes only its B shortest out-edges
 * ({@link Neighbourhood#estimateEdges()}). Distances are upper bounds of the exact ones, and a node
 * some path reaches only through pruned edges is left out of the neighbourhood. Its error against the
 * exact algorithm is measured in docs/BENCHMARKS.md.
 */
public final class EstimatedShortestPaths implements ShortestPaths {
    @Override
    public String label() {
        return "estimated";
    }

    @Override
    public NodeDistances distances(Network network, Neighbourhood n, double cap) {
        return MultiHopDistances.neighbourhoods(network, n.hops(), n.pathDistance(), n.lambda(), n.gamma(),
                n.estimateEdges(), Double.POSITIVE_INFINITY).distances();
    }
}

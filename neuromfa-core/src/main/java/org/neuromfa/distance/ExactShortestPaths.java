package org.neuromfa.distance;

import org.neuromfa.network.Network;

/** Every edge relaxed: the exact shortest path over all paths of at most K edges; the default. */
public final class ExactShortestPaths implements ShortestPaths {
    @Override
    public String label() {
        return "exact";
    }

    @Override
    public NodeDistances distances(Network network, Neighbourhood n, double cap) {
        return MultiHopDistances.neighbourhoods(network, n.hops(), n.pathDistance(), n.lambda(), n.gamma(), 0,
                Double.POSITIVE_INFINITY).distances();
    }
}

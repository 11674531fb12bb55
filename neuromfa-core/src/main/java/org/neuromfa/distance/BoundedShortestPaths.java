package org.neuromfa.distance;

import org.neuromfa.network.Network;

/**
 * Exact up to a cap, the largest distance the analysis uses (the node filter's T, or the NFD limit
 * when larger): paths are abandoned as soon as no continuation can come within it, and longer
 * multi-hop distances are left out (direct neighbours are always kept). Spectrum and NFD are
 * identical to the exact algorithm's.
 */
public final class BoundedShortestPaths implements ShortestPaths {
    @Override
    public String label() {
        return "bounded";
    }

    @Override
    public NodeDistances distances(Network network, Neighbourhood n, double cap) {
        return MultiHopDistances.neighbourhoods(network, n.hops(), n.pathDistance(), n.lambda(), n.gamma(), 0, cap)
                .distances();
    }
}

package org.neuromfa.distance;

import java.util.Locale;
import org.neuromfa.NeuroMfaException;

/** Which shortest-path algorithm computes multi-hop distances. */
public enum ShortestPaths {
    /** Every edge relaxed: the exact shortest path over all paths of at most K edges. */
    EXACT("exact"),
    /**
     * Exact up to a cap, the largest distance the analysis uses (the node filter's T, or the NFD limit
     * when larger): paths are abandoned as soon as no continuation can come within it, and longer
     * multi-hop distances are left out (direct neighbours are always kept). Spectrum and NFD are
     * identical to the exact mode's.
     */
    BOUNDED("bounded"),
    /**
     * Beyond the first hop, each intermediate node relaxes only its B shortest out-edges. Distances are
     * upper bounds of the exact ones, and a node some path reaches only through pruned edges is left
     * out of the neighbourhood. Its error against the exact mode is measured in docs/BENCHMARKS.md.
     */
    ESTIMATED("estimated");

    private final String label;

    ShortestPaths(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static ShortestPaths of(String name) {
        for (ShortestPaths p : values()) {
            if (p.label.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new NeuroMfaException("--shortest-paths must be exact, bounded or estimated, not '" + name + "'");
    }
}

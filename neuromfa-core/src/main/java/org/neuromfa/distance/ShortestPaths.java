package org.neuromfa.distance;

import java.util.Locale;
import org.neuromfa.NeuroMfaException;

/** Which shortest-path algorithm computes multi-hop distances. */
public enum ShortestPaths {
    /** Every edge relaxed: the exact shortest path over all paths of at most K edges. */
    EXACT("exact"),
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
        throw new NeuroMfaException("--shortest-paths must be exact or estimated, not '" + name + "'");
    }
}

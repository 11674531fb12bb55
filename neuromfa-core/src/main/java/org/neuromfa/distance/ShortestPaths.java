package org.neuromfa.distance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.network.Network;

/**
 * How multi-hop distances are computed (METHOD.md section 4.2): one class per algorithm, each a way
 * of running {@link MultiHopDistances} over a network. A new algorithm is a new class here and an
 * entry in {@link #values()}, by which {@link #of} finds it by its {@link #label()} (the name in
 * options and results).
 */
public interface ShortestPaths {
    /** Every edge relaxed: the exact shortest path over all paths of at most K edges. */
    ShortestPaths EXACT = new ExactShortestPaths();
    /** Exact up to the largest distance the analysis uses, and faster. */
    ShortestPaths BOUNDED = new BoundedShortestPaths();
    /** Beyond the first hop, only each node's B shortest out-edges are relaxed. */
    ShortestPaths ESTIMATED = new EstimatedShortestPaths();

    /** The name used in options and in results. */
    String label();

    /**
     * The distances of every node of {@code network} to its neighbourhood as {@code neighbourhood}
     * defines it (hops, path distance, and for {@link #ESTIMATED} the edges per node), where the
     * analysis uses no distance above {@code cap} ({@code +Infinity}: every distance is used).
     */
    NodeDistances distances(Network network, Neighbourhood neighbourhood, double cap);

    /** Every algorithm, the default first. */
    static ShortestPaths[] values() {
        return new ShortestPaths[] {EXACT, BOUNDED, ESTIMATED};
    }

    /** The algorithm labelled {@code name} (case and surrounding spaces ignored). */
    static ShortestPaths of(String name) {
        List<String> labels = new ArrayList<>();
        for (ShortestPaths p : values()) {
            if (p.label().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
            labels.add(p.label());
        }
        throw new NeuroMfaException(Message.setting("shortest_paths") + " must be " + String.join(", ", labels.subList(0, labels.size() - 1))
                + " or " + labels.get(labels.size() - 1) + ", not '" + name + "'");
    }
}

package org.neuromfa.distance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.arch.Architecture;
import org.neuromfa.arch.Architectures;
import org.neuromfa.golden.Golden;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.network.Network;
import org.neuromfa.network.NetworkBuilder;
import org.neuromfa.sample.SamplePlan;

/**
 * Multi-hop distances against an independent brute force (every path of at most K edges enumerated
 * depth first, F applied per path, the minimum kept per target) on sampled networks of the golden
 * fixtures, and against hand-checked small networks.
 */
class MultiHopDistancesTest {

    static Stream<Arguments> goldenCases() {
        return Stream.of(
                Arguments.of("neox-d128-l4-normal-f32", 8, 2, PathDistance.SUM),
                Arguments.of("neox-d128-l4-normal-f32", 8, 3, PathDistance.SUM),
                Arguments.of("neox-d128-l4-normal-f32", 16, 3, PathDistance.SUM),
                Arguments.of("neox-d96-l3-rowscaled-bf16", 12, 3, PathDistance.SUM),
                Arguments.of("neox-d128-l4-student-f16", 8, 3, PathDistance.POWER),
                Arguments.of("neox-d128-l4-student-f16", 8, 3, PathDistance.LINEAR));
    }

    @ParameterizedTest
    @MethodSource("goldenCases")
    void equalsBruteForcePathEnumerationOnGoldenSample(String fixture, int k, int hops, PathDistance form)
            throws Exception {
        Network network;
        try (Checkpoint checkpoint = Checkpoint.open(Golden.dir(fixture))) {
            Architecture arch = Architectures.detect(checkpoint);
            SamplePlan plan = arch.samplePlan(1, k);
            network = arch.network(plan, checkpoint.tensors());
        }
        double lambda = Neighbourhood.PAPER_LAMBDA;
        double gamma = Neighbourhood.PAPER_GAMMA;
        NodeDistances fast = MultiHopDistances.compute(network, hops, form, lambda, gamma, 0);
        int multiHopNeighbours = 0;
        for (int s = 0; s < network.nodeCount(); s++) {
            Map<Integer, Double> best = new HashMap<>();
            enumerate(network, s, s, 0.0, 0, hops, form, lambda, gamma, best);
            double[] want = best.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double[] got = row(fast, s);
            Arrays.sort(got);
            assertThat(got).as("node " + network.nodeIds()[s] + " neighbourhood size").hasSize(want.length);
            for (int i = 0; i < want.length; i++) {
                if (form == PathDistance.SUM) {
                    assertThat(got[i]).as("node " + network.nodeIds()[s]).isEqualTo(want[i]);
                } else {
                    assertThat(Math.abs(got[i] - want[i])).as("node " + network.nodeIds()[s])
                            .isLessThanOrEqualTo(1e-12 * Math.abs(want[i]));
                }
            }
            multiHopNeighbours += Math.max(0, want.length - network.outDegree(s));
        }
        // The sample really has neighbours beyond one hop (otherwise the test would prove little).
        assertThat(multiHopNeighbours).isPositive();
    }

    /** Depth-first enumeration of every path from {@code source} with at most {@code hops} edges. */
    private static void enumerate(Network net, int source, int node, double sum, int depth, int hops, PathDistance form,
                                  double lambda, double gamma, Map<Integer, Double> best) {
        if (depth == hops) {
            return;
        }
        for (int e = net.offsets()[node]; e < net.offsets()[node + 1]; e++) {
            int v = net.targets()[e];
            double s = sum + 1.0 / Math.abs((double) net.weights()[e]);
            if (v != source) {
                double value = form.apply(s, depth + 1, lambda, gamma);
                best.merge(v, value, Math::min);
            }
            enumerate(net, source, v, s, depth + 1, hops, form, lambda, gamma, best);
        }
    }

    private static double[] row(NodeDistances d, int node) {
        return Arrays.copyOfRange(d.distances(), d.offsets()[node], d.offsets()[node + 1]);
    }

    @Test
    void oneHopEqualsTheReferenceDistancesOnGoldenSample() throws Exception {
        Network network;
        try (Checkpoint checkpoint = Checkpoint.open(Golden.dir("neox-d128-l4-normal-f32"))) {
            Architecture arch = Architectures.detect(checkpoint);
            network = arch.network(arch.samplePlan(0, 32), checkpoint.tensors());
        }
        NodeDistances direct = DirectDistances.of(network);
        NodeDistances oneHop = MultiHopDistances.compute(network, 1, PathDistance.SUM, 1, 5, 0);
        assertThat(oneHop.nodeIds()).isEqualTo(direct.nodeIds());
        for (int s = 0; s < network.nodeCount(); s++) {
            double[] a = row(direct, s);
            double[] b = row(oneHop, s);
            Arrays.sort(a);
            Arrays.sort(b);
            assertThat(b).isEqualTo(a);
        }
        assertThat(Neighbourhood.direct().distances(network).distances()).isEqualTo(direct.distances());
    }

    static Stream<Arguments> boundedCases() {
        return Stream.of(
                Arguments.of("neox-d128-l4-normal-f32", 16, PathDistance.SUM, 1.0, 5.0),
                Arguments.of("neox-d128-l4-student-f16", 16, PathDistance.POWER, 1.0, 1.0),
                Arguments.of("neox-d96-l3-rowscaled-bf16", 12, PathDistance.LINEAR, 1.0, 5.0));
    }

    @ParameterizedTest
    @MethodSource("boundedCases")
    void boundedEqualsExactWithinTheCapAndGivesTheSameSpectrum(String fixture, int k, PathDistance form, double lambda,
                                                               double gamma) throws Exception {
        Network network;
        SamplePlan plan;
        try (Checkpoint checkpoint = Checkpoint.open(Golden.dir(fixture))) {
            Architecture arch = Architectures.detect(checkpoint);
            plan = arch.samplePlan(0, k);
            network = arch.network(plan, checkpoint.tensors());
        }
        double cap = 200;
        MultiHopDistances.Result exact = MultiHopDistances.neighbourhoods(network, 3, form, lambda, gamma, 0,
                Double.POSITIVE_INFINITY);
        MultiHopDistances.Result bounded = MultiHopDistances.neighbourhoods(network, 3, form, lambda, gamma, 0, cap);
        long dropped = 0;
        for (int s = 0; s < network.nodeCount(); s++) {
            Map<Integer, Double> want = new HashMap<>();
            for (int e = exact.distances().offsets()[s]; e < exact.distances().offsets()[s + 1]; e++) {
                want.put(exact.targets()[e], exact.distances().distances()[e]);
            }
            Map<Integer, Double> got = new HashMap<>();
            for (int e = bounded.distances().offsets()[s]; e < bounded.distances().offsets()[s + 1]; e++) {
                got.put(bounded.targets()[e], bounded.distances().distances()[e]);
            }
            for (Map.Entry<Integer, Double> g : got.entrySet()) {
                assertThat(g.getValue()).isEqualTo(want.get(g.getKey()));
            }
            Map<Integer, Boolean> direct = new HashMap<>();
            for (int e = network.offsets()[s]; e < network.offsets()[s + 1]; e++) {
                direct.put(network.targets()[e], true);
            }
            for (Map.Entry<Integer, Double> w : want.entrySet()) {
                boolean kept = w.getValue() <= cap || direct.containsKey(w.getKey());
                assertThat(got.containsKey(w.getKey())).as("node " + s + " -> " + w.getKey()).isEqualTo(kept);
                if (!kept) {
                    dropped++;
                }
            }
        }
        assertThat(dropped).as("the cap must leave something out, or the test proves little").isPositive();
        org.neuromfa.analysis.AnalysisOptions options = org.neuromfa.analysis.AnalysisOptions.defaults()
                .withNodeFractalDimensions(true);
        org.neuromfa.analysis.SampleResult a = org.neuromfa.analysis.SampleAnalysis.analyse(plan, network, exact.distances(), options);
        org.neuromfa.analysis.SampleResult b = org.neuromfa.analysis.SampleAnalysis.analyse(plan, network, bounded.distances(), options);
        assertThat(b.tau()).isEqualTo(a.tau());
        assertThat(b.alpha()).isEqualTo(a.alpha());
        assertThat(b.nfdNodeIds()).isEqualTo(a.nfdNodeIds());
        assertThat(b.nfd()).isEqualTo(a.nfd());
    }

    @Test
    void estimatedWithEveryEdgeEqualsExact() throws Exception {
        Network network;
        try (Checkpoint checkpoint = Checkpoint.open(Golden.dir("neox-d96-l3-rowscaled-bf16"))) {
            Architecture arch = Architectures.detect(checkpoint);
            network = arch.network(arch.samplePlan(2, 12), checkpoint.tensors());
        }
        int maxDegree = 0;
        for (int s = 0; s < network.nodeCount(); s++) {
            maxDegree = Math.max(maxDegree, network.outDegree(s));
        }
        NodeDistances exact = MultiHopDistances.compute(network, 3, PathDistance.SUM, 1, 5, 0);
        NodeDistances estimated = MultiHopDistances.compute(network, 3, PathDistance.SUM, 1, 5, maxDegree);
        assertThat(estimated.offsets()).isEqualTo(exact.offsets());
        assertThat(estimated.distances()).isEqualTo(exact.distances());
    }

    /**
     * Hand-checked: 0 -> 1 (l = 8), 0 -> 2 (l = 1); 1 -> 3 (1), 1 -> 4 (2); 2 -> 3 (4), 2 -> 4 (8).
     * Exact two-hop distances of node 0: to 1 = 8, to 2 = 1, to 3 = min(9, 5) = 5, to 4 = min(10, 9) = 9.
     * Estimated with one edge per node: node 1 keeps 1 -> 3, node 2 keeps 2 -> 3, so node 4 is lost.
     */
    @Test
    void estimatedKeepsOnlyTheShortestEdgesBeyondTheFirstHop() {
        NetworkBuilder b = new NetworkBuilder();
        b.add(0, 1, 0.125f);
        b.add(0, 2, 1f);
        b.add(1, 3, 1f);
        b.add(1, 4, -0.5f);
        b.add(2, 3, 0.25f);
        b.add(2, 4, 0.125f);
        Network net = b.build();
        double[] exact = row(MultiHopDistances.compute(net, 2, PathDistance.SUM, 1, 5, 0), 0);
        assertThat(exact).containsExactlyInAnyOrder(8, 1, 5, 9);
        NodeDistances estimated = MultiHopDistances.compute(net, 2, PathDistance.SUM, 1, 5, 1);
        assertThat(row(estimated, 0)).containsExactlyInAnyOrder(8, 1, 5);
        // Node 1's own first hop keeps both of its edges: only later hops are pruned.
        assertThat(row(estimated, 1)).containsExactlyInAnyOrder(1, 2);
        assertThat(estimated.count(3)).isZero();
    }

    /**
     * Hand-checked on a DAG that is not layered: 0 -> 1 (l = 2), 1 -> 2 (2), 0 -> 2 (8). Node 2 is
     * reached in one hop at S = 8 and in two at S = 4; the smaller F wins: sum 4, power (lambda 1,
     * gamma 1) min(8/1, 4/2) = 2, linear (lambda 1, gamma 5) min(8 + 5, 4 + 10) = 13.
     */
    @Test
    void nodeReachedAtSeveralHopCountsKeepsTheSmallestDistance() {
        NetworkBuilder b = new NetworkBuilder();
        b.add(0, 1, 0.5f);
        b.add(1, 2, 0.5f);
        b.add(0, 2, 0.125f);
        Network net = b.build();
        assertThat(row(MultiHopDistances.compute(net, 2, PathDistance.SUM, 1, 5, 0), 0)).containsExactlyInAnyOrder(2, 4);
        assertThat(row(MultiHopDistances.compute(net, 2, PathDistance.POWER, 1, 1, 0), 0)).containsExactlyInAnyOrder(2, 2);
        assertThat(row(MultiHopDistances.compute(net, 2, PathDistance.LINEAR, 1, 5, 0), 0)).containsExactlyInAnyOrder(7, 13);
        // One hop only: the direct edge alone.
        assertThat(row(MultiHopDistances.compute(net, 1, PathDistance.SUM, 1, 5, 0), 0)).containsExactlyInAnyOrder(2, 8);
    }

    /** The library names settings as the results' parameters do; the command line shows flags (FlagMessagesTest). */
    @Test
    void invalidSettingsAreUserErrors() {
        assertThatThrownBy(() -> Neighbourhood.direct().withHops(0)).isInstanceOf(NeuroMfaException.class)
                .hasMessageStartingWith("hops must be");
        assertThatThrownBy(() -> Neighbourhood.direct().withLambda(0)).isInstanceOf(NeuroMfaException.class)
                .hasMessageStartingWith("lambda must be");
        assertThatThrownBy(() -> Neighbourhood.direct().withGamma(-1)).isInstanceOf(NeuroMfaException.class)
                .hasMessageStartingWith("gamma must be");
        assertThatThrownBy(() -> PathDistance.of("mean")).isInstanceOf(NeuroMfaException.class)
                .hasMessageContaining("sum, power or linear");
        assertThatThrownBy(() -> ShortestPaths.of("fast")).isInstanceOf(NeuroMfaException.class);
        assertThat(PathDistance.of("Power")).isEqualTo(PathDistance.POWER);
    }
}

package org.neuromfa.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.SampleAnalysis;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.arch.GptNeoX;
import org.neuromfa.distance.Neighbourhood;
import org.neuromfa.distance.NodeDistances;
import org.neuromfa.distance.ShortestPaths;
import org.neuromfa.network.Network;
import org.neuromfa.sample.SamplePlan;
import org.neuromfa.tensor.TensorInfo;
import org.neuromfa.tensor.TensorStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Multi-hop distances on one Pythia-160M-shaped sample (d=768, m=3072, L=12, k=32; weights
 * N(0, 0.02) from a seeded generator, made in memory row by row, so no file is read):
 * <ul>
 *   <li>{@link #distances}: the K-hop neighbourhoods of every node (exact or estimated);</li>
 *   <li>{@link #analysis}: distances, node filter, partition function, tau, spectrum and node fractal
 *   dimensions: everything a sample costs after its network is built;</li>
 *   <li>{@link #sample}: the same plus drawing the plan and building the network from the
 *   (generated) weight rows.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MultiHopBenchmark {
    static final int D = 768;
    static final int M = 3072;
    static final int LAYERS = 12;
    static final int K = 32;
    static final long WEIGHT_SEED = 20251123L;

    @Param({"1", "2", "3"})
    public int hops;

    @Param({"exact", "bounded", "estimated"})
    public String shortestPaths;

    private GptNeoX architecture;
    private TensorStore weights;
    private SamplePlan plan;
    private Network network;
    private AnalysisOptions options;

    @Setup
    public void setup() throws IOException {
        architecture = new GptNeoX(D, M, LAYERS, "gpt_neox.");
        weights = new GaussianWeights(D, M, LAYERS, 0.02, WEIGHT_SEED);
        plan = architecture.samplePlan(0, K);
        network = architecture.network(plan, weights);
        options = AnalysisOptions.defaults().withSamples(1).withHops(hops)
                .withShortestPaths(ShortestPaths.of(shortestPaths), Neighbourhood.DEFAULT_ESTIMATE_EDGES)
                .withNodeFractalDimensions(true);
        NodeDistances d = SampleAnalysis.distances(network, options);
        SampleResult r = SampleAnalysis.analyse(plan, network, d, options);
        System.err.printf("hops %d %s: %d nodes, %d edges, %d distances, %d selected nodes, %d radii, alpha0 %.4f%n",
                hops, shortestPaths, network.nodeCount(), network.edgeCount(), d.distances().length,
                r.selectedNodes(), r.radii(), r.alpha0());
    }

    @Benchmark
    public NodeDistances distances() {
        return SampleAnalysis.distances(network, options);
    }

    @Benchmark
    public SampleResult analysis() {
        return SampleAnalysis.analyse(plan, network, SampleAnalysis.distances(network, options), options);
    }

    @Benchmark
    public SampleResult sample() throws IOException {
        return SampleAnalysis.run(architecture, weights, 0, options);
    }

    /**
     * GPT-NeoX weights drawn from N(0, sigma^2): row r of a tensor is generated on demand from a
     * generator seeded by (seed, tensor name, row), so any row is the same whenever it is read.
     */
    static final class GaussianWeights implements TensorStore {
        private final int d;
        private final int m;
        private final List<String> names = new ArrayList<>();
        private final double sigma;
        private final long seed;

        GaussianWeights(int d, int m, int layers, double sigma, long seed) {
            this.d = d;
            this.m = m;
            this.sigma = sigma;
            this.seed = seed;
            for (int b = 0; b < layers; b++) {
                for (String t : new String[] {"attention.query_key_value", "attention.dense", "mlp.dense_h_to_4h",
                        "mlp.dense_4h_to_h"}) {
                    names.add("gpt_neox.layers." + b + "." + t + ".weight");
                }
            }
        }

        @Override
        public String name() {
            return "synthetic N(0, " + sigma + ") weights";
        }

        @Override
        public List<String> names() {
            return names;
        }

        @Override
        public TensorInfo info(String tensor) {
            return null;
        }

        @Override
        public float[] readRows(String tensor, int[] rows) {
            int columns = tensor.endsWith("dense_4h_to_h.weight") ? m : d;
            float[] out = new float[rows.length * columns];
            long salt = seed * 31 + tensor.hashCode();
            for (int i = 0; i < rows.length; i++) {
                SplittableRandom random = new SplittableRandom(salt * 1_000_003L + rows[i]);
                for (int c = 0; c < columns; c++) {
                    out[i * columns + c] = (float) (random.nextGaussian() * sigma);
                }
            }
            return out;
        }

        @Override
        public long bytesRead() {
            return 0;
        }

        @Override
        public long bytesTotal() {
            return 0;
        }
    }
}

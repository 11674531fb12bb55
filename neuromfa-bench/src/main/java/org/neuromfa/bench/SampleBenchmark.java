package org.neuromfa.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.neuromfa.arch.GptNeoX;
import org.neuromfa.distance.DirectDistances;
import org.neuromfa.distance.NodeDistances;
import org.neuromfa.network.Network;
import org.neuromfa.sample.SamplePlan;
import org.neuromfa.source.LocalFileSource;
import org.neuromfa.spectrum.MassExponents;
import org.neuromfa.spectrum.PartitionFunction;
import org.neuromfa.spectrum.QGrid;
import org.neuromfa.spectrum.SelectedNodes;
import org.neuromfa.spectrum.SingularitySpectrum;
import org.neuromfa.spectrum.SpectrumEstimator;
import org.neuromfa.tensor.safetensors.SafetensorsStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One Pythia-160M-shaped sample (d=768, m=3072, L=12, k=32, weights N(0, 0.02) from a seeded
 * generator), split the way the authors' code splits its time:
 * <ul>
 *   <li>{@link #extraction}: the sample plan and the network, reading the sampled rows from a real
 *   safetensors file (written at setup, F16 or F32) through {@link SafetensorsStore};</li>
 *   <li>{@link #spectrum}: node filter, partition function, mass exponents and singularity spectrum
 *   from the sample's distances;</li>
 *   <li>{@link #distances}, {@link #selectedNodes}, {@link #partitionFunction}: the parts, for per-node
 *   and per-radius figures.</li>
 * </ul>
 * Setup prints the sample's size (edges, selected nodes, radii) to stderr, for those figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class SampleBenchmark {
    private static final int K = 32;
    private static final double THRESHOLD = 150;

    /** Storage type of the synthetic weights. */
    @Param({"F16", "F32"})
    public String dtype;

    /** Which seed's sample plan to use. */
    @Param({"0"})
    public long seed;

    private Path dir;
    private SafetensorsStore store;
    private GptNeoX architecture;
    private QGrid grid;
    private NodeDistances sampleDistances;
    private Network sampleNetwork;
    private SelectedNodes sampleSelected;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("neuromfa-bench-");
        SyntheticCheckpoint.Spec spec = SyntheticCheckpoint.Spec.pythia160m(dtype);
        // The embeddings are never read by an analysis; leaving them out keeps setup short.
        spec.vocab = 0;
        Path file = SyntheticCheckpoint.write(dir, spec);
        store = new SafetensorsStore(new LocalFileSource(file));
        architecture = new GptNeoX(spec.hidden, spec.intermediate, spec.layers, "gpt_neox.");
        grid = QGrid.reference();
        sampleNetwork = architecture.network(architecture.samplePlan(seed, K), store);
        sampleDistances = DirectDistances.of(sampleNetwork);
        sampleSelected = SelectedNodes.select(sampleDistances, THRESHOLD, SelectedNodes.MIN_COUNT);
        PartitionFunction z = PartitionFunction.compute(sampleSelected, grid);
        System.err.printf(Locale.ROOT, "%nsample: dtype=%s seed=%d edges=%d nodes=%d source_nodes=%d selected_nodes=%d"
                        + " kept_distances=%d radii=%d alpha0=%.6f%n",
                dtype, seed, sampleNetwork.edgeCount(), sampleNetwork.nodeCount(), sampleNetwork.sourceNodeCount(),
                sampleSelected.size(), sampleSelected.rounded().length, z.radii().length,
                SpectrumEstimator.REFERENCE.spectrum(grid, MassExponents.fit(z).tau()).alpha0());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /** Plan and network: what the authors' code spends about 0.45 s on per sample. */
    @Benchmark
    public Network extraction() throws IOException {
        SamplePlan plan = architecture.samplePlan(seed, K);
        return architecture.network(plan, store);
    }

    /** The sample plan alone (numpy-compatible sampler). */
    @Benchmark
    public SamplePlan plan() {
        return architecture.samplePlan(seed, K);
    }

    /** Edge lengths {@code 1/|w|}. */
    @Benchmark
    public NodeDistances distances() {
        return DirectDistances.of(sampleNetwork);
    }

    /** Filter, partition function, tau(q), f(alpha): what the authors' code spends about 0.8 s on. */
    @Benchmark
    public SingularitySpectrum spectrum() {
        SelectedNodes selected = SelectedNodes.select(sampleDistances, THRESHOLD, SelectedNodes.MIN_COUNT);
        PartitionFunction z = PartitionFunction.compute(selected, grid);
        return SpectrumEstimator.REFERENCE.spectrum(grid, MassExponents.fit(z).tau());
    }

    @Benchmark
    public SelectedNodes selectedNodes() {
        return SelectedNodes.select(sampleDistances, THRESHOLD, SelectedNodes.MIN_COUNT);
    }

    @Benchmark
    public PartitionFunction partitionFunction() {
        return PartitionFunction.compute(sampleSelected, grid);
    }
}

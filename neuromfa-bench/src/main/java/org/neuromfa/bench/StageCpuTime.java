package org.neuromfa.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.neuromfa.arch.GptNeoX;
import org.neuromfa.distance.DirectDistances;
import org.neuromfa.distance.NodeDistances;
import org.neuromfa.network.Network;
import org.neuromfa.source.LocalFileSource;
import org.neuromfa.spectrum.MassExponents;
import org.neuromfa.spectrum.PartitionFunction;
import org.neuromfa.spectrum.QGrid;
import org.neuromfa.spectrum.SelectedNodes;
import org.neuromfa.spectrum.SingularitySpectrum;
import org.neuromfa.spectrum.SpectrumEstimator;
import org.neuromfa.tensor.FiniteWeights;
import org.neuromfa.tensor.TensorStore;
import org.neuromfa.tensor.safetensors.SafetensorsStore;

/**
 * The stages of {@link SampleBenchmark}, timed in <em>thread CPU time</em> after a warm-up. On a
 * machine shared with other work, wall-clock benchmarks swing with the load; the CPU time a thread
 * spends is much less sensitive to it, so this is the steadier figure for comparing two versions of
 * the code. Prints the minimum and the median per stage over the measured repetitions.
 *
 * <p>Usage: {@code StageCpuTime [DTYPE=F16] [WARMUP=200] [REPS=200]}.
 */
public final class StageCpuTime {
    private StageCpuTime() {
    }

    public static void main(String[] args) throws IOException {
        String dtype = args.length > 0 ? args[0] : "F16";
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Path dir = Files.createTempDirectory("neuromfa-cpu-");
        try {
            SyntheticCheckpoint.Spec spec = SyntheticCheckpoint.Spec.pythia160m(dtype);
            spec.vocab = 0;
            Path file = SyntheticCheckpoint.write(dir, spec);
            try (TensorStore store = new FiniteWeights(new SafetensorsStore(new LocalFileSource(file)))) {
                run(store, new GptNeoX(spec.hidden, spec.intermediate, spec.layers, "gpt_neox."), warmup, reps, dtype);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void run(TensorStore store, GptNeoX arch, int warmup, int reps, String dtype) throws IOException {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        QGrid grid = QGrid.reference();
        String[] names = {"extraction", "distances", "selectedNodes", "partitionFunction", "massExponents+spectrum"};
        long[][] t = new long[names.length][reps];
        int selected = 0;
        int radii = 0;
        for (int i = -warmup; i < reps; i++) {
            long seed = 0;
            long a = cpu.getCurrentThreadCpuTime();
            Network n = arch.network(arch.samplePlan(seed, 32), store);
            long b = cpu.getCurrentThreadCpuTime();
            NodeDistances l = DirectDistances.of(n);
            long c = cpu.getCurrentThreadCpuTime();
            SelectedNodes s = SelectedNodes.select(l, 150, SelectedNodes.MIN_COUNT);
            long d = cpu.getCurrentThreadCpuTime();
            PartitionFunction z = PartitionFunction.compute(s, grid);
            long e = cpu.getCurrentThreadCpuTime();
            SingularitySpectrum f = SpectrumEstimator.REFERENCE.spectrum(grid, MassExponents.fit(z).tau());
            long g = cpu.getCurrentThreadCpuTime();
            if (f.alpha0() <= 0) {
                throw new IllegalStateException();
            }
            selected = s.size();
            radii = z.radii().length;
            if (i >= 0) {
                t[0][i] = b - a;
                t[1][i] = c - b;
                t[2][i] = d - c;
                t[3][i] = e - d;
                t[4][i] = g - e;
            }
        }
        System.out.printf(Locale.ROOT, "dtype %s, seed 0: %d selected nodes, %d radii; thread CPU time over %d reps"
                + " after %d warm-up%n", dtype, selected, radii, reps, warmup);
        long minSpectrum = 0;
        long medSpectrum = 0;
        for (int k = 0; k < names.length; k++) {
            long[] v = t[k].clone();
            Arrays.sort(v);
            System.out.printf(Locale.ROOT, "  %-24s min %9.1f us  median %9.1f us%n", names[k], v[0] / 1e3,
                    v[v.length / 2] / 1e3);
            if (k >= 2) {
                minSpectrum += v[0];
                medSpectrum += v[v.length / 2];
            }
        }
        System.out.printf(Locale.ROOT, "  %-24s min %9.1f us  median %9.1f us (sum of the three)%n", "spectrum",
                minSpectrum / 1e3, medSpectrum / 1e3);
    }
}

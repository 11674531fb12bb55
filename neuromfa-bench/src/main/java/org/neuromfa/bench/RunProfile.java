package org.neuromfa.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Paths;
import java.util.Locale;
import org.neuromfa.arch.Architecture;
import org.neuromfa.arch.Architectures;
import org.neuromfa.distance.DirectDistances;
import org.neuromfa.distance.NodeDistances;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.network.Network;
import org.neuromfa.sample.SamplePlan;
import org.neuromfa.spectrum.MassExponents;
import org.neuromfa.spectrum.PartitionFunction;
import org.neuromfa.spectrum.QGrid;
import org.neuromfa.spectrum.SelectedNodes;
import org.neuromfa.spectrum.SingularitySpectrum;
import org.neuromfa.spectrum.SpectrumEstimator;

/**
 * Where the time of one {@code analyze} run goes, measured cold in a fresh JVM (as the command line
 * runs): opening the checkpoint (config and safetensors header), then per seed, on one thread, the
 * sample plan, the network (reading rows), the distances and the spectrum. JMH measures the same
 * stages warm; this shows what a short-lived process pays, JIT warm-up included.
 *
 * <p>Usage: {@code RunProfile CHECKPOINT_DIR [SEEDS=10]}. Prints one line per stage, in milliseconds.
 */
public final class RunProfile {
    private RunProfile() {
    }

    public static void main(String[] args) throws IOException {
        long enteredMain = System.nanoTime();
        long uptimeAtMain = ManagementFactory.getRuntimeMXBean().getUptime();
        long cpuAtMain = processCpu();
        int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        QGrid grid = QGrid.reference();
        long t0 = System.nanoTime();
        double plan = 0;
        double network = 0;
        double distances = 0;
        double spectrum = 0;
        double open;
        double detect;
        long bytes;
        try (Checkpoint checkpoint = Checkpoint.open(Paths.get(args[0]))) {
            long t1 = System.nanoTime();
            open = ms(t0, t1);
            Architecture arch = Architectures.detect(checkpoint);
            long t2 = System.nanoTime();
            detect = ms(t1, t2);
            StringBuilder perSeed = new StringBuilder();
            long threadCpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long processCpu0 = processCpu();
            for (int seed = 0; seed < seeds; seed++) {
                long a = System.nanoTime();
                SamplePlan p = arch.samplePlan(seed, 32);
                long b = System.nanoTime();
                Network n = arch.network(p, checkpoint.tensors());
                long c = System.nanoTime();
                NodeDistances l = DirectDistances.of(n);
                long d = System.nanoTime();
                SelectedNodes s = SelectedNodes.select(l, 150, SelectedNodes.MIN_COUNT);
                PartitionFunction z = PartitionFunction.compute(s, grid);
                SingularitySpectrum f = SpectrumEstimator.REFERENCE.spectrum(grid, MassExponents.fit(z).tau());
                long e = System.nanoTime();
                plan += ms(a, b);
                network += ms(b, c);
                distances += ms(c, d);
                spectrum += ms(d, e);
                perSeed.append(String.format(Locale.ROOT, "  seed %d: plan %.1f, network %.1f, distances %.1f,"
                        + " spectrum %.1f ms (alpha0 %.4f)%n", seed, ms(a, b), ms(b, c), ms(c, d), ms(d, e), f.alpha0()));
            }
            bytes = checkpoint.tensors().bytesRead();
            perSeed.append(String.format(Locale.ROOT, "seeds: main thread CPU %.0f ms, process CPU %.0f ms%n",
                    (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - threadCpu0) / 1e6,
                    (processCpu() - processCpu0) / 1e6));
            System.out.print(perSeed);
        }
        System.out.printf(Locale.ROOT, "JVM uptime at main: %d ms, process CPU at main %.0f ms, at end %.0f ms%n",
                uptimeAtMain, cpuAtMain / 1e6, processCpu() / 1e6);
        System.out.printf(Locale.ROOT, "open checkpoint (config + header): %.1f ms%n", open);
        System.out.printf(Locale.ROOT, "detect architecture: %.1f ms%n", detect);
        System.out.printf(Locale.ROOT, "%d seeds, one thread: plan %.1f, network %.1f, distances %.1f, spectrum %.1f ms%n",
                seeds, plan, network, distances, spectrum);
        printThreadCpu();
        System.out.printf(Locale.ROOT, "main total: %.1f ms, bytes read %d, classes loaded %d%n",
                ms(enteredMain, System.nanoTime()), bytes,
                ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
    }

    /** CPU time per thread from /proc (Linux): JIT compiler and GC threads included. */
    private static void printThreadCpu() {
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return;
        }
        java.util.Map<String, Double> byName = new java.util.TreeMap<>();
        for (java.io.File task : tasks) {
            try {
                String stat = new String(java.nio.file.Files.readAllBytes(task.toPath().resolve("stat")),
                        java.nio.charset.StandardCharsets.US_ASCII);
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+$", "#");
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                double ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0;
                byName.merge(name, ms, Double::sum);
            } catch (IOException | RuntimeException e) {
                // a thread that ended meanwhile
            }
        }
        byName.forEach((name, ms) -> {
            if (ms > 0) {
                System.out.printf(Locale.ROOT, "  thread %-22s %6.0f ms CPU%n", name, ms);
            }
        });
    }

    /** CPU time of the whole process (all threads: JIT compilers and GC included), in ns. */
    private static long processCpu() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean
                ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : -1;
    }

    private static double ms(long from, long to) {
        return (to - from) / 1e6;
    }
}

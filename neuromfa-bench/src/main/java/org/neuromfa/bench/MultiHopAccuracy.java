package org.neuromfa.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.SampleAnalysis;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.arch.Architecture;
import org.neuromfa.arch.Architectures;
import org.neuromfa.distance.MultiHopDistances;
import org.neuromfa.distance.PathDistance;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.network.Network;
import org.neuromfa.sample.SamplePlan;

/**
 * The error of the estimated multi-hop shortest paths against the exact ones, on the golden fixtures:
 * for each fixture (its k and T), K = 2 and 3, seeds 0..2, the bounded variant and the estimated one
 * with B edges per node, compares every
 * (node, neighbour) pair and the resulting alpha0 and width. Prints a Markdown table.
 *
 * <p>Usage: {@code java -cp neuromfa-bench/target/benchmarks.jar org.neuromfa.bench.MultiHopAccuracy GOLDEN_DIR}
 */
public final class MultiHopAccuracy {
    private MultiHopAccuracy() {
    }

    public static void main(String[] args) throws Exception {
        Path golden = Paths.get(args.length > 0 ? args[0] : "../shared/golden");
        List<Path> fixtures = new ArrayList<>();
        try (Stream<Path> s = Files.list(golden)) {
            s.filter(p -> Files.isRegularFile(p.resolve("model.safetensors"))).sorted().forEach(fixtures::add);
        }
        ObjectMapper json = new ObjectMapper();
        System.out.println("| fixture (k) | K | variant | neighbours lost | pairs longer | mean rel. error (longer pairs) | max rel. error"
                + " | in-window pairs lost | mean abs. d alpha0 | mean abs. d width |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Path dir : fixtures) {
            JsonNode expected = json.readTree(dir.resolve("expected.json").toFile());
            int k = expected.get("nodes_per_layer").asInt();
            double threshold = expected.get("threshold").asDouble();
            try (Checkpoint checkpoint = Checkpoint.open(dir)) {
                Architecture arch = Architectures.detect(checkpoint);
                List<SamplePlan> plans = new ArrayList<>();
                List<Network> networks = new ArrayList<>();
                for (long seed = 0; seed < 3; seed++) {
                    SamplePlan plan = arch.samplePlan(seed, k);
                    plans.add(plan);
                    networks.add(arch.network(plan, checkpoint.tensors()));
                }
                for (int hops = 2; hops <= 3; hops++) {
                    row(dir.getFileName() + " (" + k + ")", hops, "bounded", 0, threshold, plans, networks);
                    for (int b : new int[] {4, 8, 16}) {
                        row(dir.getFileName() + " (" + k + ")", hops, "estimated B=" + b, b, threshold, plans, networks);
                    }
                }
            }
        }
    }

    private static void row(String fixture, int hops, String variant, int b, double threshold, List<SamplePlan> plans,
                            List<Network> networks) {
        // The bounded variant is capped at the largest distance the analysis uses (T, or the NFD limit 200).
        double cap = b == 0 ? Math.max(threshold, 200) : Double.POSITIVE_INFINITY;
        long pairs = 0;
        long lost = 0;
        long longer = 0;
        double relSum = 0;
        double relMax = 0;
        long window = 0;
        long windowLost = 0;
        double dAlpha0 = 0;
        double dWidth = 0;
        AnalysisOptions options = AnalysisOptions.defaults().withThreshold(threshold);
        for (int i = 0; i < networks.size(); i++) {
            Network net = networks.get(i);
            MultiHopDistances.Result exact = MultiHopDistances.neighbourhoods(net, hops, PathDistance.SUM, 1, 5, 0,
                    Double.POSITIVE_INFINITY);
            MultiHopDistances.Result est = MultiHopDistances.neighbourhoods(net, hops, PathDistance.SUM, 1, 5, b, cap);
            double[] byTarget = new double[net.nodeCount()];
            int[] rows = exact.distances().offsets();
            int[] estRows = est.distances().offsets();
            for (int s = 0; s < net.nodeCount(); s++) {
                Arrays.fill(byTarget, Double.NaN);
                for (int e = estRows[s]; e < estRows[s + 1]; e++) {
                    byTarget[est.targets()[e]] = est.distances().distances()[e];
                }
                for (int e = rows[s]; e < rows[s + 1]; e++) {
                    double want = exact.distances().distances()[e];
                    double got = byTarget[exact.targets()[e]];
                    pairs++;
                    boolean inWindow = want > 1 && want <= threshold;
                    if (inWindow) {
                        window++;
                    }
                    if (Double.isNaN(got)) {
                        lost++;
                        if (inWindow) {
                            windowLost++;
                        }
                    } else if (got > want) {
                        longer++;
                        double rel = (got - want) / want;
                        relSum += rel;
                        relMax = Math.max(relMax, rel);
                    }
                }
            }
            SampleResult a = SampleAnalysis.analyse(plans.get(i), net, exact.distances(), options);
            SampleResult c = SampleAnalysis.analyse(plans.get(i), net, est.distances(), options);
            dAlpha0 += Math.abs(a.alpha0() - c.alpha0());
            dWidth += Math.abs(a.width() - c.width());
        }
        int n = networks.size();
        System.out.printf(Locale.ROOT, "| %s | %d | %s | %.2f%% | %.2f%% | %.4f | %.3f | %.2f%% | %.4f | %.4f |%n",
                fixture, hops, variant, 100.0 * lost / pairs, 100.0 * longer / pairs, longer == 0 ? 0 : relSum / longer,
                relMax, 100.0 * windowLost / Math.max(1, window), dAlpha0 / n, dWidth / n);
    }
}

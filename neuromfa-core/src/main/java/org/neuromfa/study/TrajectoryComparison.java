package org.neuromfa.study;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Several trajectories side by side (the paper's architecture and data-quality studies): per
 * trajectory its label, its checkpoints' alpha0, width and E with their spreads over seeds, and the
 * {@link EmergenceGrowth} of E; for every pair, the {@link EmergenceGrowth.Difference} of the growth
 * rates, first minus second.
 */
public final class TrajectoryComparison {
    /** One trajectory's series, checkpoint by checkpoint in the order of the trajectory. */
    public static final class Series {
        public final String label;
        /** The trajectory file it was read from. */
        public final String file;
        public final String baseline;
        public final String[] revisions;
        /** Training steps; -1 where a checkpoint's label names none. */
        public final long[] steps;
        public final double[] alpha0;
        public final double[] alpha0Std;
        public final double[] width;
        public final double[] widthStd;
        public final double[] emergence;
        public final double[] emergenceStd;
        public final EmergenceGrowth growth;

        public Series(String label, String file, String baseline, String[] revisions, long[] steps, double[] alpha0,
                      double[] alpha0Std, double[] width, double[] widthStd, double[] emergence, double[] emergenceStd) {
            this.label = label;
            this.file = file;
            this.baseline = baseline;
            this.revisions = revisions.clone();
            this.steps = steps.clone();
            this.alpha0 = alpha0.clone();
            this.alpha0Std = alpha0Std.clone();
            this.width = width.clone();
            this.widthStd = widthStd.clone();
            this.emergence = emergence.clone();
            this.emergenceStd = emergenceStd.clone();
            this.growth = EmergenceGrowth.of(this.steps, this.emergence);
        }

        static Series of(String label, String file, TrajectoryResult t) {
            int n = t.points.size();
            String[] revisions = new String[n];
            long[] steps = new long[n];
            double[][] v = new double[6][n];
            for (int i = 0; i < n; i++) {
                TrajectoryPoint p = t.points.get(i);
                revisions[i] = p.revision;
                steps[i] = p.step == null ? -1 : p.step;
                v[0][i] = p.alpha0Mean;
                v[1][i] = p.alpha0Std;
                v[2][i] = p.widthMean;
                v[3][i] = p.widthStd;
                v[4][i] = p.emergence;
                v[5][i] = p.emergenceStd;
            }
            return new Series(label, file, t.points.get(0).revision, revisions, steps, v[0], v[1], v[2], v[3], v[4], v[5]);
        }

        /** The revisions whose label names no training step (they take no part in the growth rate). */
        public List<String> withoutStep() {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < steps.length; i++) {
                if (steps[i] < 0) {
                    out.add(revisions[i]);
                }
            }
            return out;
        }
    }

    /** The difference of two series' growth rates, {@code a} minus {@code b}. */
    public static final class Pair {
        public final String a;
        public final String b;
        public final EmergenceGrowth.Difference difference;

        public Pair(String a, String b, EmergenceGrowth.Difference difference) {
            this.a = a;
            this.b = b;
            this.difference = difference;
        }
    }

    public final List<Series> series;
    public final List<Pair> differences;

    private TrajectoryComparison(List<Series> series) {
        this.series = List.copyOf(series);
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            for (int j = i + 1; j < series.size(); j++) {
                pairs.add(new Pair(series.get(i).label, series.get(j).label,
                        EmergenceGrowth.Difference.of(series.get(i).growth, series.get(j).growth)));
            }
        }
        this.differences = List.copyOf(pairs);
    }

    /** Series already made (read back from a comparison file). */
    public static TrajectoryComparison ofSeries(List<Series> series) {
        return new TrajectoryComparison(series);
    }

    /**
     * The comparison of {@code trajectories}, read from {@code files}; {@code labels} may be null (or
     * hold nulls) for the {@link #defaultLabel}s, made unique by their file names where they repeat.
     */
    public static TrajectoryComparison of(List<TrajectoryResult> trajectories, List<String> files, List<String> labels) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < trajectories.size(); i++) {
            String given = labels == null || i >= labels.size() ? null : labels.get(i);
            names.add(given != null ? given : defaultLabel(trajectories.get(i), files.get(i)));
        }
        Map<String, Integer> count = new HashMap<>();
        names.forEach(n -> count.merge(n, 1, Integer::sum));
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < trajectories.size(); i++) {
            String label = names.get(i);
            if (count.get(label) > 1) {
                label = label + " (" + fileName(files.get(i)) + ")";
            }
            series.add(Series.of(label, files.get(i), trajectories.get(i)));
        }
        return new TrajectoryComparison(series);
    }

    /**
     * A trajectory's model: {@code org/name} when every checkpoint is that Hub model at some
     * revision, else the directory holding every checkpoint ({@code pythia-160m} for
     * {@code ckpts/pythia-160m/step1000}, ...), else the trajectory file's name without {@code .json}.
     */
    public static String defaultLabel(TrajectoryResult t, String file) {
        Set<String> hub = new LinkedHashSet<>();
        Set<String> parents = new LinkedHashSet<>();
        for (TrajectoryPoint p : t.points) {
            String m = p.model;
            int at = m.indexOf('@');
            hub.add(at > 0 ? m.substring(0, at) : null);
            String trimmed = m.replaceAll("[/\\\\]+$", "");
            int slash = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
            String parent = slash > 0 ? trimmed.substring(0, slash) : null;
            parents.add(parent == null ? null : fileName(parent));
        }
        if (hub.size() == 1 && hub.iterator().next() != null) {
            return hub.iterator().next();
        }
        if (parents.size() == 1 && parents.iterator().next() != null && !parents.iterator().next().isEmpty()) {
            return parents.iterator().next();
        }
        String name = fileName(file);
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    private static String fileName(String path) {
        String trimmed = path.replaceAll("[/\\\\]+$", "");
        int slash = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
        return slash >= 0 ? trimmed.substring(slash + 1) : trimmed;
    }
}

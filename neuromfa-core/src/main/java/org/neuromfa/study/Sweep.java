package org.neuromfa.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.analysis.AnalysisOptions;

/**
 * A sensitivity sweep (issue 16): the same trajectory under several values of one setting, to see
 * whether a conclusion depends on it; the paper's text samples 64 neurons per layer where the
 * reference code samples 32, so {@code nodes_per_layer=16,32,64} asks whether E does. The settings
 * swept are those of the sampling and the node filter, which leave the checkpoints' wiring and
 * weights as they are, so one opened checkpoint and one fetch serve every value.
 */
public final class Sweep {
    /** A setting that can be swept. */
    public enum Setting {
        NODES_PER_LAYER("nodes_per_layer"),
        THRESHOLD("threshold");

        private final String label;

        Setting(String label) {
            this.label = label;
        }

        /** Its name among the results' parameters. */
        public String label() {
            return label;
        }
    }

    public final Setting setting;
    /** The values as given, in order. */
    public final List<Double> values;

    private Sweep(Setting setting, List<Double> values) {
        this.setting = setting;
        this.values = List.copyOf(values);
    }

    /** The sweep of {@code setting} over {@code values} as a result file states it. */
    public static Sweep of(Setting setting, List<Double> values) {
        return new Sweep(setting, values);
    }

    /** The setting named {@code label} ({@code nodes_per_layer}, {@code threshold}), or null. */
    public static Setting setting(String label) {
        for (Setting s : Setting.values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        return null;
    }

    /**
     * {@code SETTING=V1,V2,...}: {@code nodes_per_layer} (or {@code nodes-per-layer}) with whole
     * numbers, or {@code threshold}; at least two distinct values.
     */
    public static Sweep parse(String text) {
        int eq = text.indexOf('=');
        if (eq < 0) {
            throw new NeuroMfaException(Message.setting("sweep") + " must look like nodes_per_layer=16,32,64 or"
                    + " threshold=100,150,200, not '" + text + "'");
        }
        String name = text.substring(0, eq).trim().toLowerCase(Locale.ROOT).replace('-', '_');
        Setting setting = null;
        for (Setting s : Setting.values()) {
            if (s.label.equals(name)) {
                setting = s;
            }
        }
        if (setting == null) {
            throw new NeuroMfaException(Message.setting("sweep") + " sweeps nodes_per_layer or threshold, not '"
                    + text.substring(0, eq).trim() + "'");
        }
        List<Double> values = new ArrayList<>();
        for (String v : text.substring(eq + 1).split(",", -1)) {
            double d;
            try {
                d = Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new NeuroMfaException(Message.setting("sweep") + " has a value that is not a number: '" + v.trim() + "'");
            }
            if (setting == Setting.NODES_PER_LAYER && d != Math.rint(d)) {
                throw new NeuroMfaException(Message.setting("sweep") + " needs whole numbers of neurons per layer, not " + v.trim());
            }
            if (values.contains(d)) {
                throw new NeuroMfaException(Message.setting("sweep") + " names " + v.trim() + " twice");
            }
            values.add(d);
        }
        if (values.size() < 2) {
            throw new NeuroMfaException(Message.setting("sweep") + " needs at least two values");
        }
        return new Sweep(setting, values);
    }

    /** The options of each value: {@code options} with the swept setting changed (each value checked). */
    public List<AnalysisOptions> apply(AnalysisOptions options) {
        List<AnalysisOptions> out = new ArrayList<>();
        for (double v : values) {
            out.add(setting == Setting.NODES_PER_LAYER ? options.withNodesPerLayer((int) v) : options.withThreshold(v));
        }
        return out;
    }

    /** A value as the command line would write it: 32, not 32.0. */
    public String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** The swept trajectories, one per value, in the order of the values. */
    public static final class Result {
        public final Sweep sweep;
        public final List<TrajectoryResult> trajectories;

        public Result(Sweep sweep, List<TrajectoryResult> trajectories) {
            if (trajectories.size() != sweep.values.size()) {
                throw new IllegalArgumentException(trajectories.size() + " trajectories for " + sweep.values.size() + " values");
            }
            this.sweep = sweep;
            this.trajectories = List.copyOf(trajectories);
        }
    }
}

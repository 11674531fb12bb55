package org.neuromfa.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.neuromfa.analysis.CheckpointResult;
import org.neuromfa.locate.CheckpointRef;

/**
 * One checkpoint of a trajectory: its samples (one per seed, each the object {@code analyze} writes),
 * their means and spreads, and the degree of emergence against the trajectory's first checkpoint.
 */
public final class TrajectoryPoint {
    public final String model;
    public final String revision;
    /** Training step, or null when the revision names none. */
    public final Long step;
    public final JsonNode architecture;
    /** Sum of the element counts of every tensor in the checkpoint. */
    public final long parameterCount;
    public final List<ObjectNode> samples;
    /** The commit a Hub revision resolved to when it was analysed, or null (local, or unknown). */
    public final String commit;
    /** Fingerprint of a fixed probe of the weights, or null when unknown. */
    public final String fingerprint;
    public final double alpha0Mean;
    public final double widthMean;
    public final int keptSamples;
    /** Sample standard deviations over the kept samples (NaN with fewer than two). */
    public final double alpha0Std;
    public final double widthStd;
    public final double emergence;
    /** Standard deviation over seeds of each seed's E against the same seed at the baseline. */
    public final double emergenceStd;

    public TrajectoryPoint(String model, String revision, Long step, JsonNode architecture, long parameterCount,
                    List<ObjectNode> samples, TrajectoryPoint baseline) {
        this(model, revision, step, architecture, parameterCount, null, samples, baseline);
    }

    /** With the checkpoint's weights fingerprint (see {@link Trajectory#describe}), or null when unknown. */
    public TrajectoryPoint(String model, String revision, Long step, JsonNode architecture, long parameterCount,
                    String fingerprint, List<ObjectNode> samples, TrajectoryPoint baseline) {
        this(model, revision, step, null, architecture, parameterCount, fingerprint, samples, baseline);
    }

    /** With the commit a Hub revision resolved to ({@link CheckpointRef#commit()}), or null. */
    public TrajectoryPoint(String model, String revision, Long step, String commit, JsonNode architecture,
                    long parameterCount, String fingerprint, List<ObjectNode> samples, TrajectoryPoint baseline) {
        this.commit = commit;
        this.fingerprint = fingerprint;
        this.model = model;
        this.revision = revision;
        this.step = step;
        this.architecture = architecture;
        this.parameterCount = parameterCount;
        this.samples = List.copyOf(samples);
        double a = 0;
        double w = 0;
        int kept = 0;
        // Same order and arithmetic as CheckpointResult, so the means equal analyze's to the last bit.
        for (ObjectNode s : samples) {
            if (s.path("kept").asBoolean()) {
                a += value(s, "alpha0");
                w += value(s, "width");
                kept++;
            }
        }
        this.alpha0Mean = kept == 0 ? Double.NaN : a / kept;
        this.widthMean = kept == 0 ? Double.NaN : w / kept;
        this.keptSamples = kept;
        this.alpha0Std = std(samples, "alpha0", alpha0Mean);
        this.widthStd = std(samples, "width", widthMean);
        TrajectoryPoint base = baseline == null ? this : baseline;
        this.emergence = EmergenceDegree.of(base.alpha0Mean, base.widthMean, alpha0Mean, widthMean);
        this.emergenceStd = perSeedEmergenceStd(base);
    }

    static double value(JsonNode sample, String field) {
        JsonNode v = sample.get(field);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }

    private static double std(List<ObjectNode> samples, String field, double mean) {
        double ss = 0;
        int n = 0;
        for (ObjectNode s : samples) {
            if (s.path("kept").asBoolean()) {
                double d = value(s, field) - mean;
                ss += d * d;
                n++;
            }
        }
        return n < 2 ? Double.NaN : Math.sqrt(ss / (n - 1));
    }

    private double perSeedEmergenceStd(TrajectoryPoint base) {
        double[] e = new double[samples.size()];
        int n = 0;
        double sum = 0;
        for (ObjectNode s : samples) {
            ObjectNode b = base.sample(s.path("seed").asLong());
            if (b == null || !s.path("kept").asBoolean() || !b.path("kept").asBoolean()) {
                continue;
            }
            e[n] = EmergenceDegree.of(value(b, "alpha0"), value(b, "width"), value(s, "alpha0"), value(s, "width"));
            sum += e[n++];
        }
        if (n < 2) {
            return Double.NaN;
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += (e[i] - mean) * (e[i] - mean);
        }
        return Math.sqrt(ss / (n - 1));
    }

    /** The sample of {@code seed}, or null. */
    public ObjectNode sample(long seed) {
        for (ObjectNode s : samples) {
            if (s.path("seed").asLong() == seed) {
                return s;
            }
        }
        return null;
    }
}

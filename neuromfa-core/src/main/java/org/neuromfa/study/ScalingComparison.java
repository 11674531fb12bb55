package org.neuromfa.study;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;

/**
 * The degree of emergence at one training step across model sizes (METHOD.md section 8.2): for each
 * trajectory (one per size) its checkpoint at that step, and the least-squares fit
 * {@code E = intercept + slope * ln(N)} over them, N the checkpoint's parameter count.
 */
public final class ScalingComparison {
    /** The compared step. */
    public final long step;
    public final List<Model> models;
    public final ScalingFit fit;

    /** One model size: its trajectory's name and the checkpoint at the step. */
    public static final class Model {
        /** The trajectory, as named by the caller (its file). */
        public final String trajectory;
        public final String revision;
        public final String model;
        public final long parameterCount;
        public final double emergence;
        public final double alpha0Mean;
        public final double widthMean;
        /**
         * The checkpoint's spreads over seeds: of each seed's E against the same seed at its
         * trajectory's baseline, and the sample standard deviations of alpha0 and w; NaN where unknown
         * (one seed, or a file written before they were recorded).
         */
        public final double emergenceStd;
        public final double alpha0Std;
        public final double widthStd;

        public Model(String trajectory, String revision, String model, long parameterCount, double emergence,
                     double alpha0Mean, double widthMean, double emergenceStd, double alpha0Std, double widthStd) {
            this.trajectory = trajectory;
            this.revision = revision;
            this.model = model;
            this.parameterCount = parameterCount;
            this.emergence = emergence;
            this.alpha0Mean = alpha0Mean;
            this.widthMean = widthMean;
            this.emergenceStd = emergenceStd;
            this.alpha0Std = alpha0Std;
            this.widthStd = widthStd;
        }
    }

    public ScalingComparison(long step, List<Model> models, ScalingFit fit) {
        this.step = step;
        this.models = List.copyOf(models);
        this.fit = fit;
    }

    /**
     * Compares {@code trajectories} (named {@code names}, for messages and results) at {@code step},
     * or, when it is null, at the largest step they all have. Every trajectory needs a checkpoint at
     * the step with a known parameter count.
     */
    public static ScalingComparison of(List<String> names, List<TrajectoryResult> trajectories, Long step) {
        if (names.size() != trajectories.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + trajectories.size() + " trajectories");
        }
        long at;
        if (step != null) {
            at = step;
        } else {
            TreeSet<Long> common = null;
            for (TrajectoryResult t : trajectories) {
                TreeSet<Long> steps = new TreeSet<>();
                t.points.stream().filter(x -> x.step != null).forEach(x -> steps.add(x.step));
                if (common == null) {
                    common = steps;
                } else {
                    common.retainAll(steps);
                }
            }
            if (common == null || common.isEmpty()) {
                throw new NeuroMfaException("the trajectories have no training step in common (checkpoints need stepN"
                        + " labels); give " + Message.setting("step") + " N");
            }
            at = common.last();
        }
        List<Model> models = new ArrayList<>();
        long[] counts = new long[trajectories.size()];
        double[] e = new double[trajectories.size()];
        for (int i = 0; i < trajectories.size(); i++) {
            TrajectoryPoint p = at(trajectories.get(i), at, names.get(i));
            if (p.parameterCount <= 0) {
                throw new NeuroMfaException(names.get(i), "revision '" + p.revision + "' has no parameter_count");
            }
            counts[i] = p.parameterCount;
            e[i] = p.emergence;
            models.add(new Model(names.get(i), p.revision, p.model, p.parameterCount, p.emergence, p.alpha0Mean,
                    p.widthMean, p.emergenceStd, p.alpha0Std, p.widthStd));
        }
        return new ScalingComparison(at, models, ScalingFit.of(counts, e));
    }

    private static TrajectoryPoint at(TrajectoryResult t, long step, String name) {
        for (TrajectoryPoint p : t.points) {
            if (p.step != null && p.step == step) {
                return p;
            }
        }
        throw new NeuroMfaException(name, "no checkpoint at step " + step);
    }
}

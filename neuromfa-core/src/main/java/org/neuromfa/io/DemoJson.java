package org.neuromfa.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.neuromfa.analysis.CheckpointResult;
import org.neuromfa.study.TrajectoryPoint;
import org.neuromfa.study.TrajectoryResult;
import org.neuromfa.study.TwinComparison;

/**
 * The JSON form of {@code demo}'s comparison, {@code demo.json} (README, "neuromfa demo"):
 * {@code model}, {@code architecture}, {@code parameters}, {@code initialisation}, {@code trained} and
 * {@code initialised} (each {@code alpha0_mean}, {@code width_mean}, {@code kept_samples}) and
 * {@code emergence}.
 */
public final class DemoJson {
    private DemoJson() {
    }

    public static ObjectNode of(TwinComparison c) {
        ObjectNode demo = ResultJson.MAPPER.createObjectNode();
        demo.put("model", c.trained.model);
        demo.set("architecture", ResultJson.map(c.trained.architecture));
        demo.set("parameters", ResultJson.parameters(c.trained.nullModel != null ? c.trained.nullModel.options
                : c.trained.options));
        ObjectNode init = demo.putObject("initialisation");
        init.put("distribution", c.initialisation.distribution());
        init.put("mean", c.initialisation.mean());
        init.put("std", c.initialisation.std);
        init.put("seed", c.initialisation.seed);
        demo.set("trained", means(c.trained));
        demo.set("initialised", means(c.initialised));
        ResultJson.number(demo, "emergence", c.emergence);
        // The evidence options' fields, each only when its option was used.
        TrajectoryResult pair = c.trajectory();
        TrajectoryPoint trained = pair.points.get(1);
        if (trained.emergenceInterval != null) {
            demo.set("emergence_interval", ResultJson.interval(trained.emergenceInterval));
        }
        if (pair.underNull != null) {
            ObjectNode n = demo.putObject("under_null");
            n.put("model", pair.options.nullModel().label());
            n.put("keeps", pair.options.nullModel().keeps());
            n.set("trained", means(c.trained.nullModel));
            n.set("initialised", means(c.initialised.nullModel));
            ResultJson.number(n, "emergence", pair.underNull.get(1).emergence);
            if (pair.underNull.get(1).emergenceInterval != null) {
                n.set("emergence_interval", ResultJson.interval(pair.underNull.get(1).emergenceInterval));
            }
        }
        return demo;
    }

    private static ObjectNode means(CheckpointResult r) {
        ObjectNode o = ResultJson.MAPPER.createObjectNode();
        ResultJson.number(o, "alpha0_mean", r.alpha0Mean);
        ResultJson.number(o, "width_mean", r.widthMean);
        o.put("kept_samples", r.keptSamples);
        ResultJson.evidenceFields(o, r);
        return o;
    }
}

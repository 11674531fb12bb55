package org.neuromfa.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.neuromfa.study.ScalingComparison;
import org.neuromfa.study.ScalingFit;

/**
 * The JSON form of {@code scaling} (README, "neuromfa scaling"): {@code kind}, {@code step},
 * {@code models[]} ({@code trajectory}, {@code revision}, {@code model}, {@code parameter_count},
 * {@code emergence}, {@code emergence_std}, {@code alpha0_mean}, {@code alpha0_std}, {@code width_mean},
 * {@code width_std}) and {@code fit}.
 */
public final class ScalingJson {
    private ScalingJson() {
    }

    public static ObjectNode of(ScalingComparison s) {
        ObjectNode root = ResultJson.MAPPER.createObjectNode();
        root.put("kind", "scaling");
        root.put("step", s.step);
        ArrayNode models = root.putArray("models");
        for (ScalingComparison.Model m : s.models) {
            ObjectNode o = models.addObject();
            o.put("trajectory", m.trajectory);
            o.put("revision", m.revision);
            o.put("model", m.model);
            o.put("parameter_count", m.parameterCount);
            ResultJson.number(o, "emergence", m.emergence);
            ResultJson.number(o, "emergence_std", m.emergenceStd);
            ResultJson.number(o, "alpha0_mean", m.alpha0Mean);
            ResultJson.number(o, "alpha0_std", m.alpha0Std);
            ResultJson.number(o, "width_mean", m.widthMean);
            ResultJson.number(o, "width_std", m.widthStd);
        }
        root.set("fit", CorrelationJson.fit(s.fit));
        return root;
    }

    /** Whether {@code root} is a scaling file ({@code "kind": "scaling"}). */
    public static boolean isScaling(JsonNode root) {
        return root != null && root.path("kind").asText("").equals("scaling");
    }

    /** Reads a comparison as {@link #of} writes it, the fit as stored; what is missing reads as unknown. */
    public static ScalingComparison parse(JsonNode root) {
        List<ScalingComparison.Model> models = new ArrayList<>();
        for (JsonNode m : root.path("models")) {
            models.add(new ScalingComparison.Model(m.path("trajectory").asText(), m.path("revision").asText(),
                    m.path("model").asText(), m.path("parameter_count").asLong(), number(m.get("emergence")),
                    number(m.get("alpha0_mean")), number(m.get("width_mean")), number(m.get("emergence_std")),
                    number(m.get("alpha0_std")), number(m.get("width_std"))));
        }
        JsonNode f = root.path("fit");
        ScalingFit fit = ScalingFit.stored(f.path("n").asInt(), number(f.get("slope")), number(f.get("intercept")),
                number(f.get("slope_stderr")), number(f.get("r_squared")), number(f.get("p")));
        return new ScalingComparison(root.path("step").asLong(), models, fit);
    }

    private static double number(JsonNode v) {
        return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
    }
}

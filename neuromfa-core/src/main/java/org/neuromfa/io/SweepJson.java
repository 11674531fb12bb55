package org.neuromfa.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.study.Sweep;
import org.neuromfa.study.TrajectoryPoint;
import org.neuromfa.study.TrajectoryResult;

/**
 * A sweep's results ({@code trajectory --sweep}, README "Sensitivity sweeps"): {@code kind: "sweep"},
 * the {@code setting} and its {@code values}, a {@code summary} of E per checkpoint and value side by
 * side, and the {@code trajectories}, one per value, each exactly as {@code trajectory --json} writes
 * it. As CSV: the trajectory CSV's rows of every value, the setting's value in a first column.
 */
public final class SweepJson {
    private SweepJson() {
    }

    public static ObjectNode of(Sweep.Result r) {
        ObjectNode root = ResultJson.MAPPER.createObjectNode();
        root.put("kind", "sweep");
        root.put("setting", r.sweep.setting.label());
        ArrayNode values = root.putArray("values");
        for (double v : r.sweep.values) {
            values.add(v);
        }
        ArrayNode summary = root.putArray("summary");
        TrajectoryResult first = r.trajectories.get(0);
        for (int i = 0; i < first.points.size(); i++) {
            ObjectNode row = summary.addObject();
            TrajectoryPoint p = first.points.get(i);
            row.put("revision", p.revision);
            if (p.step == null) {
                row.putNull("step");
            } else {
                row.put("step", p.step);
            }
            ArrayNode e = row.putArray("emergence");
            ArrayNode n = first.underNull != null ? row.putArray("emergence_under_null") : null;
            for (TrajectoryResult t : r.trajectories) {
                number(e, t.points.get(i).emergence);
                if (n != null) {
                    number(n, t.underNull.get(i).emergence);
                }
            }
        }
        ArrayNode trajectories = root.putArray("trajectories");
        for (TrajectoryResult t : r.trajectories) {
            trajectories.add(TrajectoryJson.of(t));
        }
        return root;
    }

    public static boolean isSweep(JsonNode root) {
        return root != null && "sweep".equals(root.path("kind").asText(null)) && root.get("trajectories") instanceof ArrayNode
                && root.get("values") instanceof ArrayNode;
    }

    /** A sweep file read back: each trajectory as {@link TrajectoryJson#parse} reads it. */
    public static Sweep.Result parse(String where, JsonNode root) {
        Sweep.Setting setting = Sweep.setting(root.path("setting").asText(""));
        List<Double> values = new ArrayList<>();
        for (JsonNode v : root.get("values")) {
            values.add(v.asDouble());
        }
        if (setting == null || values.size() != root.get("trajectories").size() || values.isEmpty()) {
            throw new NeuroMfaException(where, "not a sweep (expected 'setting' nodes_per_layer or threshold and one"
                    + " trajectory per value, as written by 'neuromfa trajectory --sweep --json')");
        }
        List<TrajectoryResult> trajectories = new ArrayList<>();
        int i = 0;
        for (JsonNode t : root.get("trajectories")) {
            trajectories.add(TrajectoryJson.parse(where + ": trajectories[" + i++ + "]", t));
        }
        return new Sweep.Result(Sweep.of(setting, values), trajectories);
    }

    private static void number(ArrayNode a, double v) {
        if (Double.isFinite(v)) {
            a.add(v);
        } else {
            a.addNull();
        }
    }

    /** The trajectory CSV of every value, one after another, each row led by the setting's value. */
    public static byte[] csv(Sweep.Result r) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < r.trajectories.size(); k++) {
            String[] lines = new String(ResultCsv.trajectory(r.trajectories.get(k)), StandardCharsets.UTF_8).split("\n");
            if (k == 0) {
                b.append(r.sweep.setting.label()).append(',').append(lines[0]).append('\n');
            }
            for (int i = 1; i < lines.length; i++) {
                b.append(r.sweep.format(r.sweep.values.get(k))).append(',').append(lines[i]).append('\n');
            }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}

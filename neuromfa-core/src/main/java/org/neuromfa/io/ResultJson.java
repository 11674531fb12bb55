package org.neuromfa.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointResult;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.base.Json;
import org.neuromfa.distance.Neighbourhood;
import org.neuromfa.spectrum.SpectrumOptions;

/**
 * The JSON form of results. Field names are a public contract (README, "JSON fields"): later
 * commands and users' scripts read them. Doubles are written in their shortest round-trip form, so
 * reading a result back gives the identical numbers; undefined values (NaN) are written as null.
 */
public final class ResultJson {
    public static final ObjectMapper MAPPER = Json.RESULTS;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ResultJson() {
    }

    public static ObjectNode checkpoint(CheckpointResult r) {
        ObjectNode root = F.objectNode();
        root.put("model", r.model);
        if (r.commit != null) {
            root.put("commit", r.commit);
        }
        root.set("architecture", map(r.architecture));
        root.set("parameters", parameters(r.options));
        root.set("q", doubles(r.options.qGrid().values()));
        ArrayNode samples = root.putArray("samples");
        for (SampleResult s : r.samples) {
            samples.add(sample(s));
        }
        number(root, "alpha0_mean", r.alpha0Mean);
        number(root, "width_mean", r.widthMean);
        root.put("kept_samples", r.keptSamples);
        root.put("bytes_read", r.bytesRead);
        root.put("bytes_total", r.bytesTotal);
        if (r.fingerprint != null) {
            root.put("fingerprint", r.fingerprint);
        }
        ArrayNode files = root.putArray("files");
        for (org.neuromfa.model.CheckpointFileInfo f : r.files) {
            ObjectNode o = files.addObject();
            o.put("name", f.name());
            o.put("size", f.size());
            if (f.etag() != null) {
                o.put("etag", f.etag());
            }
            if (f.sha256() != null) {
                o.put("sha256", f.sha256());
            }
        }
        return root;
    }

    /** Every option that affects the numbers. */
    public static ObjectNode parameters(AnalysisOptions o) {
        ObjectNode p = F.objectNode();
        p.put("samples", o.samples());
        p.put("first_seed", o.firstSeed());
        p.put("nodes_per_layer", o.nodesPerLayer());
        p.put("threshold", o.threshold());
        p.put("q_min", Double.parseDouble(o.qGrid().min()));
        p.put("q_max", Double.parseDouble(o.qGrid().max()));
        p.put("q_step", Double.parseDouble(o.qGrid().step()));
        p.put("filter_mode", o.filter().mode());
        p.put("nfd", o.nodeFractalDimensions());
        p.put("nfd_threshold", o.nfdThreshold());
        p.put("qkv_layout", o.qkvLayout().optionValue());
        p.put("normalize_weights", o.normalizeWeights());
        ObjectNode distances = p.putObject("distances");
        Neighbourhood n = o.neighbourhood();
        distances.put("hops", n.hops());
        distances.put("path_distance", n.pathDistance().label());
        distances.put("lambda", n.lambda());
        distances.put("gamma", n.gamma());
        distances.put("shortest_paths", n.shortestPaths().label());
        distances.put("estimate_edges", n.estimateEdges());
        ObjectNode spectrum = p.putObject("spectrum");
        SpectrumOptions so = o.spectrum();
        spectrum.put("estimator", so.estimator().label());
        ArrayNode range = spectrum.putArray("radius_range");
        number(range, so.radiusRange().lo());
        number(range, so.radiusRange().hi());
        spectrum.put("min_r_squared", so.minRSquared());
        return p;
    }

    public static ObjectNode sample(SampleResult s) {
        ObjectNode o = F.objectNode();
        o.put("seed", s.seed());
        o.put("kept", s.kept());
        o.put("edges", s.edges());
        o.put("source_nodes", s.sourceNodes());
        o.put("selected_nodes", s.selectedNodes());
        o.put("radii", s.radii());
        ArrayNode scaling = o.putArray("scaling_range");
        scaling.add(s.fitLow());
        scaling.add(s.fitHigh());
        o.put("scaling_points", s.fitPoints());
        number(o, "alpha0", s.alpha0());
        number(o, "width", s.width());
        o.set("tau", doubles(s.tau()));
        o.set("r_squared", doubles(s.rSquared()));
        o.set("tau_stderr", doubles(s.tauStderr()));
        o.set("alpha", doubles(s.alpha()));
        o.set("f_alpha", doubles(s.fAlpha()));
        ObjectNode plan = o.putObject("plan");
        for (Map.Entry<String, int[]> e : s.plan().groups().entrySet()) {
            ArrayNode a = plan.putArray(e.getKey());
            for (int v : e.getValue()) {
                a.add(v);
            }
        }
        if (s.nodeFractalDimensions() != null) {
            ArrayNode ids = o.putArray("nfd_node_ids");
            for (int v : s.nfdNodeIds()) {
                ids.add(v);
            }
            o.set("nfd", doubles(s.nfd()));
        }
        return o;
    }

    public static ArrayNode doubles(double[] values) {
        ArrayNode a = F.arrayNode(values.length);
        for (double v : values) {
            if (Double.isFinite(v)) {
                a.add(v);
            } else {
                a.addNull();
            }
        }
        return a;
    }

    private static void number(ArrayNode a, double v) {
        if (Double.isFinite(v)) {
            a.add(v);
        } else {
            a.addNull();
        }
    }

    public static void number(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }

    private static JsonNode map(Map<String, Object> m) {
        return MAPPER.valueToTree(m);
    }

    public static byte[] bytes(JsonNode node) throws IOException {
        byte[] body = MAPPER.writeValueAsBytes(node);
        byte[] out = java.util.Arrays.copyOf(body, body.length + 1);
        out[body.length] = '\n';
        return out;
    }
}

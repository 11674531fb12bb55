package org.neuromfa.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neuromfa.arch.KernelAggregation;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.Bootstrap;
import org.neuromfa.analysis.ScalingWindow;
import org.neuromfa.analysis.CheckpointInfo;
import org.neuromfa.analysis.CheckpointResult;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.arch.QkvLayout;
import org.neuromfa.base.Json;
import org.neuromfa.distance.Neighbourhood;
import org.neuromfa.distance.PathDistance;
import org.neuromfa.distance.ShortestPaths;
import org.neuromfa.sample.SamplePlan;
import org.neuromfa.spectrum.MassExponents;
import org.neuromfa.spectrum.NodeFractalDimension;
import org.neuromfa.spectrum.PartitionFunction;
import org.neuromfa.spectrum.ScalingEvidence;
import org.neuromfa.spectrum.QGrid;
import org.neuromfa.spectrum.QualityFilter;
import org.neuromfa.spectrum.RadiusRange;
import org.neuromfa.spectrum.SingularitySpectrum;
import org.neuromfa.spectrum.SpectrumEstimator;
import org.neuromfa.spectrum.SpectrumOptions;
import org.neuromfa.tensor.NullModel;

/**
 * The JSON form of results, written and read: an analysis ({@code analyze --json}), its samples, the
 * parameters, and a checkpoint's description. Field names are a public contract (README, "JSON
 * fields"): later commands and users' scripts read them. Doubles are written in their shortest
 * round-trip form, so reading a result back gives the identical numbers; undefined values (NaN) are
 * written as null and read back as NaN.
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
        // The run's parameters: with a null model, those of the analysis under it (the real one is
        // the same with the null set aside), so that the file says which null was asked for.
        root.set("parameters", parameters(r.nullModel != null ? r.nullModel.options : r.options));
        root.set("q", doubles(r.options.qGrid().values()));
        ArrayNode samples = root.putArray("samples");
        for (SampleResult s : r.samples) {
            samples.add(sample(s));
        }
        number(root, "alpha0_mean", r.alpha0Mean);
        number(root, "width_mean", r.widthMean);
        root.put("kept_samples", r.keptSamples);
        evidenceFields(root, r);
        if (r.nullModel != null) {
            root.set("under_null", nullModel(r.nullModel));
        }
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

    /**
     * The fields the evidence options add to a checkpoint's result, each only when its option is used
     * (README, "JSON fields"): {@code scaling_window} ({@code --radius-range auto}),
     * {@code alpha0_interval} and {@code width_interval} ({@code --bootstrap}).
     */
    static void evidenceFields(ObjectNode o, CheckpointResult r) {
        if (r.window != null) {
            o.set("scaling_window", window(r.window));
        }
        if (r.alpha0Interval != null) {
            o.set("alpha0_interval", interval(r.alpha0Interval));
            o.set("width_interval", interval(r.widthInterval));
        }
    }

    /** A chosen scaling range and what its fits reach. */
    public static ObjectNode window(ScalingWindow w) {
        ObjectNode o = F.objectNode();
        o.put("rule", w.outcome.label());
        ArrayNode range = o.putArray("radius_range");
        range.add(w.lo);
        range.add(w.hi);
        number(o, "ln_span", w.lnSpan);
        number(o, "min_ln_span", w.minLnSpan);
        o.put("target_r_squared", w.target);
        o.put("target_reached", w.targetReached());
        number(o, "lowest_r_squared", w.lowestRSquared);
        number(o, "median_r_squared", w.medianRSquared);
        o.put("windows", w.windows);
        return o;
    }

    /** A confidence interval as {@code [low, high]} (nulls when undefined). */
    public static ArrayNode interval(Bootstrap.Interval i) {
        ArrayNode a = F.arrayNode(2);
        number(a, i.low);
        number(a, i.high);
        return a;
    }

    /** The analysis under the null model: what it keeps, its means (and window, intervals) and its samples. */
    static ObjectNode nullModel(CheckpointResult n) {
        ObjectNode o = F.objectNode();
        o.put("model", n.options.nullModel().label());
        o.put("keeps", n.options.nullModel().keeps());
        number(o, "alpha0_mean", n.alpha0Mean);
        number(o, "width_mean", n.widthMean);
        o.put("kept_samples", n.keptSamples);
        evidenceFields(o, n);
        ArrayNode samples = o.putArray("samples");
        for (SampleResult s : n.samples) {
            samples.add(sample(s));
        }
        return o;
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
        // Written only when they differ from the defaults, so that the parameters (and the result
        // store's keys) of analyses that do not use them stay as they were.
        if (o.architecture().kernelAggregation() != KernelAggregation.DEFAULT) {
            p.put("kernel_aggregation", o.architecture().kernelAggregation().label());
        }
        if (o.architecture().hasWiring()) {
            p.put("wiring_sha256", o.architecture().wiringSha256());
        }
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
        if (so.radiusRange().isAuto()) {
            spectrum.put("radius_range", "auto");
        } else {
            ArrayNode range = spectrum.putArray("radius_range");
            number(range, so.radiusRange().lo());
            number(range, so.radiusRange().hi());
        }
        spectrum.put("min_r_squared", so.minRSquared());
        // The evidence options, each written only when used (so other keys stay as they were).
        if (o.nullModel() != NullModel.NONE) {
            p.put("null_model", o.nullModel().label());
        }
        if (o.evidence()) {
            p.put("evidence", true);
        }
        if (o.bootstrap().enabled()) {
            ObjectNode b = p.putObject("bootstrap");
            b.put("resamples", o.bootstrap().resamples());
            b.put("seed", o.bootstrap().seed());
            b.put("confidence", Bootstrap.CONFIDENCE);
        }
        return p;
    }

    /**
     * The options {@link #parameters} wrote. A parameter that is missing (a file of an earlier version,
     * or written by hand) keeps its default; an invalid one is an error, as it would be on the command
     * line.
     */
    public static AnalysisOptions readParameters(JsonNode p) {
        AnalysisOptions o = AnalysisOptions.defaults();
        if (p.path("samples").isIntegralNumber()) {
            o = o.withSamples(p.get("samples").asInt());
        }
        if (p.path("first_seed").isIntegralNumber()) {
            o = o.withFirstSeed(p.get("first_seed").asLong());
        }
        if (p.path("nodes_per_layer").isIntegralNumber()) {
            o = o.withNodesPerLayer(p.get("nodes_per_layer").asInt());
        }
        if (p.path("threshold").isNumber()) {
            o = o.withThreshold(p.get("threshold").asDouble());
        }
        QGrid q = o.qGrid();
        if (p.path("q_min").isNumber() || p.path("q_max").isNumber() || p.path("q_step").isNumber()) {
            o = o.withQGrid(QGrid.of(decimal(p.get("q_min"), q.min()), decimal(p.get("q_max"), q.max()),
                    decimal(p.get("q_step"), q.step())));
        }
        if (p.path("filter_mode").isIntegralNumber()) {
            o = o.withFilter(QualityFilter.ofMode(p.get("filter_mode").asInt()));
        }
        if (p.path("nfd").isBoolean()) {
            o = o.withNodeFractalDimensions(p.get("nfd").asBoolean());
        }
        if (p.path("nfd_threshold").isNumber()) {
            o = o.withNfdThreshold(p.get("nfd_threshold").asDouble());
        }
        if (p.path("qkv_layout").isTextual()) {
            o = o.withQkvLayout(QkvLayout.parse(p.get("qkv_layout").asText()));
        }
        if (p.path("kernel_aggregation").isTextual()) {
            o = o.withKernelAggregation(KernelAggregation.parse(p.get("kernel_aggregation").asText()));
        }
        if (p.path("normalize_weights").isBoolean()) {
            o = o.withNormalizeWeights(p.get("normalize_weights").asBoolean());
        }
        JsonNode d = p.path("distances");
        Neighbourhood n = o.neighbourhood();
        if (d.path("hops").isIntegralNumber()) {
            n = n.withHops(d.get("hops").asInt());
        }
        if (d.path("path_distance").isTextual()) {
            n = n.withPathDistance(PathDistance.of(d.get("path_distance").asText()));
        }
        if (d.path("lambda").isNumber()) {
            n = n.withLambda(d.get("lambda").asDouble());
        }
        if (d.path("gamma").isNumber()) {
            n = n.withGamma(d.get("gamma").asDouble());
        }
        if (d.path("shortest_paths").isTextual()) {
            n = n.withShortestPaths(ShortestPaths.of(d.get("shortest_paths").asText()));
        }
        if (d.path("estimate_edges").isIntegralNumber()) {
            n = n.withEstimateEdges(d.get("estimate_edges").asInt());
        }
        o = o.withNeighbourhood(n);
        JsonNode sp = p.path("spectrum");
        SpectrumOptions so = o.spectrum();
        if (sp.path("estimator").isTextual()) {
            so = so.withEstimator(SpectrumEstimator.of(sp.get("estimator").asText()));
        }
        JsonNode range = sp.path("radius_range");
        if (range.isTextual()) {
            so = so.withRadiusRange(RadiusRange.parse(range.asText()));
        } else if (range.isArray() && range.size() == 2 && range.get(0).isNumber()) {
            double hi = range.get(1).isNumber() ? range.get(1).asDouble() : Double.POSITIVE_INFINITY;
            double lo = range.get(0).asDouble();
            so = so.withRadiusRange(lo == 0 && hi == Double.POSITIVE_INFINITY ? RadiusRange.all() : RadiusRange.of(lo, hi));
        }
        if (sp.path("min_r_squared").isNumber()) {
            so = so.withMinRSquared(sp.get("min_r_squared").asDouble());
        }
        if (p.path("null_model").isTextual()) {
            o = o.withNullModel(NullModel.parse(p.get("null_model").asText()));
        }
        if (p.path("evidence").isBoolean()) {
            o = o.withEvidence(p.get("evidence").asBoolean());
        }
        JsonNode b = p.path("bootstrap");
        if (b.path("resamples").isIntegralNumber()) {
            o = o.withBootstrap(Bootstrap.of(b.get("resamples").asInt(), b.path("seed").asLong()));
        }
        return o.withSpectrum(so);
    }

    /** A q bound as the decimal it was written from ({@code -3.0} for -3), or {@code fallback}. */
    private static String decimal(JsonNode v, String fallback) {
        return v != null && v.isNumber() ? Double.toString(v.asDouble()) : fallback;
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
        if (s.evidence() != null) {
            ScalingEvidence e = s.evidence();
            ObjectNode ev = o.putObject("evidence");
            ev.set("q", doubles(e.q()));
            ArrayNode radii = ev.putArray("radii");
            for (int r : e.radii()) {
                radii.add(r);
            }
            ArrayNode rows = ev.putArray("log_z");
            for (int i = 0; i < e.q().length; i++) {
                rows.add(doubles(e.logZ(i)));
            }
        }
        if (s.partition() != null) {
            // Only in the result store, under --radius-range auto: the checkpoint's window is chosen
            // from every seed's whole partition function once all seeds are there.
            PartitionFunction z = s.partition();
            ObjectNode pf = o.putObject("partition");
            ArrayNode radii = pf.putArray("radii");
            for (int r : z.radii()) {
                radii.add(r);
            }
            pf.set("log_z", doubles(z.logZ()));
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

    static JsonNode map(Map<String, Object> m) {
        return m == null ? F.nullNode() : MAPPER.valueToTree(m);
    }

    /** A checkpoint's description: {@code architecture}, {@code parameter_count}, {@code fingerprint}. */
    public static ObjectNode checkpointInfo(CheckpointInfo info) {
        ObjectNode o = F.objectNode();
        o.set("architecture", map(info.architecture()));
        o.put("parameter_count", info.parameterCount());
        if (info.fingerprint() != null) {
            o.put("fingerprint", info.fingerprint());
        }
        return o;
    }

    /** A description as {@link #checkpointInfo} writes it; what is missing reads as unknown. */
    public static CheckpointInfo readCheckpointInfo(JsonNode o) {
        return new CheckpointInfo(readMap(o.get("architecture")), o.path("parameter_count").asLong(),
                o.path("fingerprint").asText(null));
    }

    /** A JSON object as an ordered map of plain Java values; null for anything else. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> readMap(JsonNode node) {
        return node instanceof ObjectNode ? MAPPER.convertValue(node, LinkedHashMap.class) : null;
    }

    /** A sample that {@link #readSample} with {@code strict} cannot read: what is wrong, in a few words. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /**
     * Reads a sample as {@link #sample} writes it. With {@code strict} (the result store, the Spark
     * runner's results) every field {@link #sample} writes must be there; otherwise (trajectory and
     * analysis files given to {@code correlate}, {@code scaling}, {@code report}, which may be written
     * by hand or by other tools) a missing field reads as unknown: NaN, 0, not kept, no points, no plan.
     * Spectrum points whose {@code alpha} and {@code f_alpha} differ in length are then left out.
     */
    static SampleResult readSample(JsonNode o, boolean strict) throws Malformed {
        long seed = integer(o, "seed", strict).asLong();
        boolean kept = field(o, "kept", strict, JsonNode::isBoolean, "true or false").asBoolean();
        int edges = integer(o, "edges", strict).asInt();
        int sourceNodes = integer(o, "source_nodes", strict).asInt();
        int selectedNodes = integer(o, "selected_nodes", strict).asInt();
        int radii = integer(o, "radii", strict).asInt();
        JsonNode range = field(o, "scaling_range", strict, n -> n.isArray() && n.size() == 2, "[lo, hi]");
        int scalingPoints = integer(o, "scaling_points", strict).asInt();
        double alpha0 = number(o, "alpha0", strict);
        double width = number(o, "width", strict);
        double[] tau = numbers(o, "tau", strict);
        double[] rSquared = numbers(o, "r_squared", strict);
        double[] stderr = numbers(o, "tau_stderr", strict);
        double[] alpha = numbers(o, "alpha", strict);
        double[] f = numbers(o, "f_alpha", strict);
        if (alpha.length != f.length) {
            if (strict) {
                throw new Malformed("'alpha' and 'f_alpha' differ in length");
            }
            alpha = new double[0];
            f = new double[0];
        }
        Map<String, int[]> groups = new LinkedHashMap<>();
        JsonNode plan = field(o, "plan", strict, JsonNode::isObject, "an object");
        for (Map.Entry<String, JsonNode> g : plan.properties()) {
            groups.put(g.getKey(), integers(g.getValue()));
        }
        NodeFractalDimension.Result nfd = null;
        JsonNode nfdValues = o.get("nfd");
        if (nfdValues != null && !nfdValues.isNull()) {
            int[] ids = integers(o.path("nfd_node_ids"));
            double[] values = numbers(o, "nfd", strict);
            if (ids.length != values.length) {
                throw new Malformed("'nfd' and 'nfd_node_ids' differ in length");
            }
            nfd = NodeFractalDimension.Result.stored(ids, values);
        }
        ScalingEvidence evidence = null;
        JsonNode ev = o.get("evidence");
        if (ev instanceof ObjectNode) {
            try {
                JsonNode rows = ev.path("log_z");
                double[][] logZ = new double[rows.size()][];
                for (int i = 0; i < logZ.length; i++) {
                    logZ[i] = numbers(rows.get(i));
                }
                evidence = ScalingEvidence.stored(numbers(ev.path("q")), integers(ev.path("radii")), logZ);
            } catch (IllegalArgumentException e) {
                throw new Malformed("'evidence': " + e.getMessage());
            }
        }
        PartitionFunction partition = null;
        JsonNode pf = o.get("partition");
        if (pf instanceof ObjectNode) {
            try {
                int[] r = integers(pf.path("radii"));
                partition = PartitionFunction.stored(r, numbers(pf.path("log_z")), tau.length);
            } catch (IllegalArgumentException e) {
                throw new Malformed("'partition': " + e.getMessage());
            }
        }
        return new SampleResult(new SamplePlan(seed, groups), edges, sourceNodes, selectedNodes, radii,
                MassExponents.stored(tau, rSquared, stderr, range.path(0).asInt(), range.path(1).asInt(), scalingPoints),
                SingularitySpectrum.stored(alpha, f, alpha0, width), kept, nfd, evidence, partition);
    }

    /** A sample as written by {@link #sample}, every field present (see {@link #readSample}). */
    public static SampleResult readStoredSample(JsonNode o) {
        try {
            return readSample(o, true);
        } catch (Malformed e) {
            throw new IllegalArgumentException("not a complete sample: " + e.getMessage());
        }
    }

    /** A sample of a trajectory or analysis file: what is missing reads as unknown (see {@link #readSample}). */
    public static SampleResult readFileSample(JsonNode o) {
        try {
            return readSample(o, false);
        } catch (Malformed e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static JsonNode field(JsonNode o, String name, boolean strict, java.util.function.Predicate<JsonNode> ok,
                                  String what) throws Malformed {
        JsonNode v = o.get(name);
        if (v != null && ok.test(v)) {
            return v;
        }
        if (strict) {
            throw new Malformed("'" + name + "' is " + (v == null ? "missing" : "not " + what));
        }
        return v == null ? MissingNode.getInstance() : v;
    }

    private static JsonNode integer(JsonNode o, String name, boolean strict) throws Malformed {
        return field(o, name, strict, JsonNode::isIntegralNumber, "an integer");
    }

    /** A number, or null for NaN; anything else is NaN unless {@code strict}. */
    private static double number(JsonNode o, String name, boolean strict) throws Malformed {
        JsonNode v = field(o, name, strict, n -> n.isNumber() || n.isNull(), "a number");
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }

    /** An array of numbers (null for NaN), or empty when missing and not {@code strict}. */
    private static double[] numbers(JsonNode o, String name, boolean strict) throws Malformed {
        JsonNode a = field(o, name, strict, JsonNode::isArray, "an array");
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble(Double.NaN);
        }
        return out;
    }

    /** An array of numbers, null read as NaN. */
    private static double[] numbers(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble(Double.NaN);
        }
        return out;
    }

    private static int[] integers(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    public static byte[] bytes(JsonNode node) throws IOException {
        byte[] body = MAPPER.writeValueAsBytes(node);
        byte[] out = java.util.Arrays.copyOf(body, body.length + 1);
        out[body.length] = '\n';
        return out;
    }
}

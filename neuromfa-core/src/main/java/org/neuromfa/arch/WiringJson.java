package org.neuromfa.arch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.neuromfa.NeuroMfaException;

/**
 * The wiring file format ({@code --wiring FILE.json}, README "Wiring files"), version 1:
 *
 * <pre>
 * {
 *   "neuromfa_wiring": 1,
 *   "family": "my_mlp",
 *   "groups": [{"name": "in", "size": 784}, {"name": "hidden", "tensor": "fc1.weight", "axis": 0}, ...],
 *   "samples": [{"name": "in", "population": 784, "multiple": 1, "whole_if_smaller": false},
 *               {"name": "qkv", "tile": "mix", "copies": 3, "stride": 128}, ...],
 *   "connections": [{"from": "in", "to": "hidden", "tensor": "fc1.weight", "layout": "out_in"},
 *                   {"from": "qkv", "to": "mix", "fixed": 1, "pattern": "same_index", "from_range": [0, 128]}, ...]
 * }
 * </pre>
 *
 * Reading is strict: an unknown field, a value of the wrong type or a reference to a group or sample
 * that does not exist is a one-line error naming the file and the entry ({@code groups[3].size}).
 * Whether the named tensors exist and fit is checked against the checkpoint by
 * {@link WiredArchitecture#of}. {@code comment} fields are allowed anywhere and ignored.
 */
public final class WiringJson {
    private static final ObjectMapper JSON = org.neuromfa.base.Json.MAPPER;
    /** Wiring files are small; refuse absurd ones before parsing (as config.json is limited). */
    public static final long MAX_BYTES = 64L << 20;

    private static final Set<String> ROOT = Set.of("neuromfa_wiring", "family", "groups", "samples", "connections", "comment");
    private static final Set<String> GROUP = Set.of("name", "size", "tensor", "axis", "sample", "comment");
    private static final Set<String> DRAW = Set.of("name", "population", "multiple", "whole_if_smaller", "comment");
    private static final Set<String> TILE = Set.of("name", "tile", "copies", "stride", "comment");
    private static final Set<String> WEIGHTS = Set.of("from", "to", "tensor", "layout", "aggregation", "groups",
            "in_offset", "out_offset", "from_range", "to_range", "comment");
    private static final Set<String> FIXED = Set.of("from", "to", "fixed", "pattern", "from_range", "to_range", "comment");

    private WiringJson() {
    }

    /** Parses and checks the structure of a wiring file; {@code file} names it in errors. */
    public static Wiring parse(String file, byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new NeuroMfaException(file, "wiring file of " + bytes.length + " bytes is larger than the limit of " + MAX_BYTES);
        }
        JsonNode root;
        try {
            // A key given twice would silently let the last one win; in a description that is a mistake.
            root = JSON.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION).readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new NeuroMfaException(file, "not valid JSON (line " + e.getLocation().getLineNr() + "): " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new NeuroMfaException(file, "not a wiring file: expected a JSON object with \"neuromfa_wiring\": "
                    + Wiring.FORMAT_VERSION);
        }
        JsonNode version = root.get("neuromfa_wiring");
        if (version == null) {
            throw new NeuroMfaException(file, "not a wiring file: no \"neuromfa_wiring\" (format version, "
                    + Wiring.FORMAT_VERSION + ")");
        }
        if (!version.isIntegralNumber() || version.asLong() != Wiring.FORMAT_VERSION) {
            throw new NeuroMfaException(file, "\"neuromfa_wiring\" is " + version + ", but this version reads format "
                    + Wiring.FORMAT_VERSION);
        }
        Reader r = new Reader(file);
        r.fields(root, "", ROOT);
        String family = root.has("family") ? r.text(root, "family", "") : "wiring";
        List<Wiring.Group> groups = new ArrayList<>();
        ArrayNode groupArray = r.array(root, "groups", "", true);
        for (int i = 0; i < groupArray.size(); i++) {
            groups.add(group(r, groupArray.get(i), "groups[" + i + "]"));
        }
        List<Wiring.Sample> samples = new ArrayList<>();
        if (root.has("samples")) {
            ArrayNode sampleArray = r.array(root, "samples", "", true);
            for (int i = 0; i < sampleArray.size(); i++) {
                samples.add(sample(r, sampleArray.get(i), "samples[" + i + "]"));
            }
        }
        List<Wiring.Connection> connections = new ArrayList<>();
        ArrayNode connectionArray = r.array(root, "connections", "", true);
        for (int i = 0; i < connectionArray.size(); i++) {
            connections.add(connection(r, connectionArray.get(i), "connections[" + i + "]"));
        }
        return Wiring.of(file, family, groups, samples, connections);
    }

    private static Wiring.Group group(Reader r, JsonNode n, String at) {
        r.object(n, at);
        r.fields(n, at, GROUP);
        String name = r.text(n, "name", at);
        int size = n.has("size") ? r.positive(n, "size", at) : -1;
        String tensor = n.has("tensor") ? r.text(n, "tensor", at) : null;
        int axis = n.has("axis") ? r.nonNegative(n, "axis", at) : -1;
        if (tensor != null && axis < 0) {
            throw r.error(at + ": 'tensor' needs 'axis' (which of its dimensions is the group's size)");
        }
        if (tensor == null && axis >= 0) {
            throw r.error(at + ": 'axis' needs 'tensor'");
        }
        if (size < 0 && tensor == null) {
            throw r.error(at + " ('" + name + "'): give 'size', or 'tensor' and 'axis'");
        }
        String sample = n.has("sample") ? r.text(n, "sample", at) : name;
        return new Wiring.Group(name, size, tensor, axis, sample);
    }

    private static Wiring.Sample sample(Reader r, JsonNode n, String at) {
        r.object(n, at);
        String name = r.text(n, "name", at);
        if (n.has("tile")) {
            r.fields(n, at, TILE);
            return Wiring.Sample.tile(name, r.text(n, "tile", at), r.positive(n, "copies", at), r.nonNegative(n, "stride", at));
        }
        r.fields(n, at, DRAW);
        int population = n.has("population") ? r.positive(n, "population", at) : -1;
        int multiple = n.has("multiple") ? r.positive(n, "multiple", at) : 1;
        boolean whole = false;
        if (n.has("whole_if_smaller")) {
            JsonNode w = n.get("whole_if_smaller");
            if (!w.isBoolean()) {
                throw r.error(at + ".whole_if_smaller must be true or false, not " + w);
            }
            whole = w.asBoolean();
        }
        return Wiring.Sample.draw(name, population, multiple, whole);
    }

    private static Wiring.Connection connection(Reader r, JsonNode n, String at) {
        r.object(n, at);
        String from = r.text(n, "from", at);
        String to = r.text(n, "to", at);
        Wiring.Connection c;
        if (n.has("tensor") && n.has("fixed")) {
            throw r.error(at + ": give either 'tensor' or 'fixed', not both");
        }
        if (n.has("fixed")) {
            r.fields(n, at, FIXED);
            JsonNode w = n.get("fixed");
            if (!w.isNumber() || !Double.isFinite(w.asDouble()) || (float) w.asDouble() == 0f) {
                throw r.error(at + ".fixed must be a finite non-zero number, not " + w);
            }
            String pattern = n.has("pattern") ? r.text(n, "pattern", at) : "all";
            Wiring.Pattern p;
            switch (pattern) {
                case "all": p = Wiring.Pattern.ALL; break;
                case "same_index": p = Wiring.Pattern.SAME_INDEX; break;
                default: throw r.error(at + ".pattern must be 'all' or 'same_index', not '" + pattern + "'");
            }
            c = Wiring.Connection.fixed(from, to, (float) w.asDouble(), p);
        } else if (n.has("tensor")) {
            r.fields(n, at, WEIGHTS);
            String layout = n.has("layout") ? r.text(n, "layout", at) : "out_in";
            Wiring.Layout l;
            switch (layout) {
                case "out_in": l = Wiring.Layout.OUT_IN; break;
                case "in_out": l = Wiring.Layout.IN_OUT; break;
                default: throw r.error(at + ".layout must be 'out_in' or 'in_out', not '" + layout + "'");
            }
            c = Wiring.Connection.weights(from, to, r.text(n, "tensor", at), l);
            if (n.has("aggregation")) {
                String a = r.text(n, "aggregation", at);
                try {
                    c = c.withAggregation(KernelAggregation.parse(a));
                } catch (NeuroMfaException e) {
                    throw r.error(at + ".aggregation must be l2, max, mean or l1, not '" + a + "'");
                }
            }
            if (n.has("groups")) {
                c = c.withGroups(r.positive(n, "groups", at));
            }
            c = c.withOffsets(n.has("in_offset") ? r.nonNegative(n, "in_offset", at) : -1,
                    n.has("out_offset") ? r.nonNegative(n, "out_offset", at) : -1);
        } else {
            throw r.error(at + " (" + from + " -> " + to + "): give 'tensor' (weights) or 'fixed' (a fixed weight)");
        }
        if (n.has("from_range")) {
            c = c.withFromRange(r.range(n, "from_range", at));
        }
        if (n.has("to_range")) {
            c = c.withToRange(r.range(n, "to_range", at));
        }
        return c;
    }

    /** Field access with messages naming the file and the position. */
    private static final class Reader {
        private final String file;

        Reader(String file) {
            this.file = file;
        }

        NeuroMfaException error(String message) {
            return new NeuroMfaException(file, message);
        }

        private static String path(String at, String key) {
            return at.isEmpty() ? key : at + "." + key;
        }

        void object(JsonNode n, String at) {
            if (n == null || !n.isObject()) {
                throw error(at + " must be an object, not " + n);
            }
        }

        void fields(JsonNode n, String at, Set<String> allowed) {
            Iterator<String> names = n.fieldNames();
            while (names.hasNext()) {
                String key = names.next();
                if (!allowed.contains(key)) {
                    throw error((at.isEmpty() ? "" : at + ": ") + "unknown field '" + key + "' (allowed: "
                            + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
                }
            }
        }

        String text(JsonNode n, String key, String at) {
            JsonNode v = n.get(key);
            if (v == null) {
                throw error(path(at, key) + " is missing");
            }
            if (!v.isTextual() || v.asText().isEmpty()) {
                throw error(path(at, key) + " must be a non-empty string, not " + v);
            }
            return v.asText();
        }

        ArrayNode array(JsonNode n, String key, String at, boolean nonEmpty) {
            JsonNode v = n.get(key);
            if (v == null) {
                throw error(path(at, key) + " is missing");
            }
            if (!v.isArray() || (nonEmpty && v.size() == 0)) {
                throw error(path(at, key) + " must be a non-empty array");
            }
            return (ArrayNode) v;
        }

        int positive(JsonNode n, String key, String at) {
            int v = integer(n, key, at);
            if (v < 1) {
                throw error(path(at, key) + " must be a positive integer, not " + v);
            }
            return v;
        }

        int nonNegative(JsonNode n, String key, String at) {
            int v = integer(n, key, at);
            if (v < 0) {
                throw error(path(at, key) + " must not be negative, not " + v);
            }
            return v;
        }

        private int integer(JsonNode n, String key, String at) {
            JsonNode v = n.get(key);
            if (v == null) {
                throw error(path(at, key) + " is missing");
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw error(path(at, key) + " must be an integer below 2^31, not " + v);
            }
            return v.asInt();
        }

        int[] range(JsonNode n, String key, String at) {
            JsonNode v = n.get(key);
            if (!v.isArray() || v.size() != 2 || !v.get(0).canConvertToInt() || !v.get(1).canConvertToInt()
                    || !v.get(0).isIntegralNumber() || !v.get(1).isIntegralNumber()) {
                throw error(path(at, key) + " must be [lo, hi] (integers), not " + v);
            }
            int lo = v.get(0).asInt();
            int hi = v.get(1).asInt();
            if (lo < 0 || hi <= lo) {
                throw error(path(at, key) + " must be [lo, hi] with 0 <= lo < hi, not " + v);
            }
            return new int[] {lo, hi};
        }
    }

    /** The description as a wiring file, one group, sample or connection per line (read back by {@link #parse}). */
    public static String write(Wiring w) {
        StringBuilder b = new StringBuilder();
        b.append("{\n  \"neuromfa_wiring\": ").append(Wiring.FORMAT_VERSION).append(",\n  \"family\": ")
                .append(JSON.getNodeFactory().textNode(w.family())).append(",\n");
        List<ObjectNode> groups = new ArrayList<>();
        for (Wiring.Group g : w.groups()) {
            ObjectNode o = JSON.createObjectNode().put("name", g.name);
            if (g.size >= 0) {
                o.put("size", g.size);
            }
            if (g.tensor != null) {
                o.put("tensor", g.tensor).put("axis", g.axis);
            }
            if (!g.sample.equals(g.name)) {
                o.put("sample", g.sample);
            }
            groups.add(o);
        }
        list(b, "groups", groups, false);
        List<ObjectNode> samples = new ArrayList<>();
        for (Wiring.Sample s : w.samples()) {
            ObjectNode o = JSON.createObjectNode().put("name", s.name);
            if (s.isTile()) {
                o.put("tile", s.tile).put("copies", s.copies).put("stride", s.stride);
            } else {
                if (s.population >= 0) {
                    o.put("population", s.population);
                }
                if (s.multiple != 1) {
                    o.put("multiple", s.multiple);
                }
                if (s.wholeIfSmaller) {
                    o.put("whole_if_smaller", true);
                }
            }
            samples.add(o);
        }
        list(b, "samples", samples, false);
        List<ObjectNode> connections = new ArrayList<>();
        for (Wiring.Connection c : w.connections()) {
            ObjectNode o = JSON.createObjectNode().put("from", c.from).put("to", c.to);
            if (c.isFixed()) {
                o.put("fixed", c.fixed).put("pattern", c.pattern.label());
            } else {
                o.put("tensor", c.tensor).put("layout", c.layout.label());
                if (c.aggregation != null) {
                    o.put("aggregation", c.aggregation.label());
                }
                if (c.groups > 0) {
                    o.put("groups", c.groups);
                }
                if (c.inOffset >= 0) {
                    o.put("in_offset", c.inOffset);
                }
                if (c.outOffset >= 0) {
                    o.put("out_offset", c.outOffset);
                }
            }
            if (c.fromRange != null) {
                o.putArray("from_range").add(c.fromRange[0]).add(c.fromRange[1]);
            }
            if (c.toRange != null) {
                o.putArray("to_range").add(c.toRange[0]).add(c.toRange[1]);
            }
            connections.add(o);
        }
        list(b, "connections", connections, true);
        return b.append("}\n").toString();
    }

    /** One entry on one line, with a space after each colon and comma (Jackson's compact form has none). */
    private static String compact(JsonNode n) {
        if (n.isObject()) {
            StringBuilder b = new StringBuilder("{");
            Iterator<java.util.Map.Entry<String, JsonNode>> it = n.properties().iterator();
            while (it.hasNext()) {
                java.util.Map.Entry<String, JsonNode> e = it.next();
                b.append(JSON.getNodeFactory().textNode(e.getKey())).append(": ").append(compact(e.getValue()));
                if (it.hasNext()) {
                    b.append(", ");
                }
            }
            return b.append('}').toString();
        }
        if (n.isArray()) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < n.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(compact(n.get(i)));
            }
            return b.append(']').toString();
        }
        return n.toString();
    }

    private static void list(StringBuilder b, String key, List<ObjectNode> entries, boolean last) {
        b.append("  \"").append(key).append("\": [\n");
        for (int i = 0; i < entries.size(); i++) {
            b.append("    ").append(compact(entries.get(i))).append(i + 1 < entries.size() ? ",\n" : "\n");
        }
        b.append(last ? "  ]\n" : "  ],\n");
    }
}

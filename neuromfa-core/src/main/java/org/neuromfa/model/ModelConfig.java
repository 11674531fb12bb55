package org.neuromfa.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.base.Json;

/**
 * A model's {@code config.json} (Hugging Face Transformers): the model family and its shapes.
 * Accessors fail with a message naming the file and the key, because a config that lacks a shape is
 * the user's problem to fix, not something to guess.
 */
public final class ModelConfig {
    private static final ObjectMapper JSON = Json.MAPPER;

    private final String file;
    private final JsonNode root;

    private ModelConfig(String file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    public static ModelConfig parse(String file, byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new NeuroMfaException(file, "not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new NeuroMfaException(file, "not a JSON object");
        }
        return new ModelConfig(file, root);
    }

    public String file() {
        return file;
    }

    public JsonNode json() {
        return root;
    }

    /** {@code model_type}, or empty when absent. */
    public String modelType() {
        JsonNode n = root.get("model_type");
        return n != null && n.isTextual() ? n.asText() : "";
    }

    /** The first entry of {@code architectures}, or empty. */
    public String architectureClass() {
        JsonNode n = root.get("architectures");
        return n != null && n.isArray() && n.size() > 0 ? n.get(0).asText() : "";
    }

    public boolean has(String key) {
        return root.hasNonNull(key);
    }

    /** A required positive integer. */
    public int positiveInt(String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            throw new NeuroMfaException(file, "missing '" + key + "'");
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() <= 0) {
            throw new NeuroMfaException(file, "'" + key + "' must be a positive integer, not " + n);
        }
        return n.asInt();
    }

    /** An optional positive integer. */
    public int positiveInt(String key, int fallback) {
        return has(key) ? positiveInt(key) : fallback;
    }
}

package org.neuromfa.evals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.base.Json;

/**
 * Reads an lm-evaluation-harness result file: {@code results} (task to metric to value),
 * {@code config.model_args} (a comma-separated {@code key=value} list whose {@code revision=stepN}
 * gives the training step) and {@code config.num_fewshot}. The step and the few-shot setting come
 * from the file's contents, never from its name. MMLU's 57 subjects ({@code hendrycksTest-*}) are
 * averaged, metric by metric, into one task {@code mmlu}, as MMLU is reported.
 */
public final class LmEvalHarnessJson {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final Pattern STEP = Pattern.compile("step(\\d{1,18})");
    static final String MMLU_PREFIX = "hendrycksTest-";

    private LmEvalHarnessJson() {
    }

    public static boolean looksLike(JsonNode root) {
        return root != null && root.path("results").isObject() && root.path("config").isObject();
    }

    public static List<BenchmarkScore> read(Path file) throws IOException {
        String where = file.toString();
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new NeuroMfaException(where, "not valid JSON: " + e.getOriginalMessage());
        }
        if (!looksLike(root)) {
            throw new NeuroMfaException(where, "not an lm-evaluation-harness result (expected 'results' and 'config' objects)");
        }
        long step = step(where, root.get("config"));
        JsonNode fewshot = root.get("config").get("num_fewshot");
        int numFewshot = fewshot != null && fewshot.canConvertToInt() && fewshot.isIntegralNumber() ? fewshot.asInt() : -1;
        List<BenchmarkScore> scores = new ArrayList<>();
        Map<String, double[]> mmlu = new TreeMap<>();
        int subjects = 0;
        Iterator<Map.Entry<String, JsonNode>> tasks = root.get("results").properties().iterator();
        while (tasks.hasNext()) {
            Map.Entry<String, JsonNode> task = tasks.next();
            Map<String, Double> metrics = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = task.getValue().properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> m = it.next();
                if (m.getValue().isNumber()) {
                    metrics.put(m.getKey(), m.getValue().asDouble());
                }
            }
            if (task.getKey().startsWith(MMLU_PREFIX)) {
                subjects++;
                for (Map.Entry<String, Double> m : metrics.entrySet()) {
                    double[] sumCount = mmlu.computeIfAbsent(m.getKey(), k -> new double[2]);
                    sumCount[0] += m.getValue();
                    sumCount[1]++;
                }
            } else {
                scores.add(new BenchmarkScore(where, step, task.getKey(), numFewshot, metrics));
            }
        }
        if (subjects > 0) {
            Map<String, Double> averaged = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> m : mmlu.entrySet()) {
                // A metric missing from some subjects would average different subjects at different steps.
                if (m.getValue()[1] == subjects) {
                    averaged.put(m.getKey(), m.getValue()[0] / subjects);
                }
            }
            scores.add(new BenchmarkScore(where, step, "mmlu", numFewshot, averaged));
        }
        return scores;
    }

    private static long step(String where, JsonNode config) {
        JsonNode args = config.get("model_args");
        if (args == null || !args.isTextual()) {
            throw new NeuroMfaException(where, "config.model_args is missing, so the training step is unknown");
        }
        for (String part : args.asText().split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equals("revision")) {
                Matcher m = STEP.matcher(part.substring(eq + 1).trim());
                if (m.matches()) {
                    return Long.parseLong(m.group(1));
                }
                throw new NeuroMfaException(where, "config.model_args revision '" + part.substring(eq + 1).trim()
                        + "' is not of the form stepN");
            }
        }
        throw new NeuroMfaException(where, "config.model_args has no revision=stepN, so the training step is unknown");
    }
}

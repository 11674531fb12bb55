package org.neuromfa.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.base.Json;
import org.neuromfa.tensor.FiniteWeights;
import org.neuromfa.tensor.ShardedTensorStore;
import org.neuromfa.tensor.TensorStore;
import org.neuromfa.tensor.onnx.OnnxStore;
import org.neuromfa.tensor.safetensors.SafetensorsStore;
import org.neuromfa.tensor.torch.TorchStore;

/**
 * One model checkpoint: its configuration (when it has a {@code config.json}) and its tensors.
 * Weights are found the way Transformers finds them: a sharded index first, then a single file.
 */
public final class Checkpoint implements Closeable {
    private static final ObjectMapper JSON = Json.MAPPER;

    /** Weight files in the order they are looked for: Transformers' names, then diffusers' (a UNet's folder). */
    static final List<String> WEIGHT_FILES = List.of(
            "model.safetensors.index.json", "model.safetensors",
            "pytorch_model.bin.index.json", "pytorch_model.bin",
            "diffusion_pytorch_model.safetensors.index.json", "diffusion_pytorch_model.safetensors",
            "diffusion_pytorch_model.bin.index.json", "diffusion_pytorch_model.bin");

    private final String label;
    private final CheckpointFiles files;
    private final ModelConfig config;
    private final TensorStore tensors;
    private final String weightsFile;

    private Checkpoint(String label, CheckpointFiles files, ModelConfig config, TensorStore tensors, String weightsFile) {
        this.label = label;
        this.files = files;
        this.config = config;
        this.tensors = tensors;
        this.weightsFile = weightsFile;
    }

    /** A checkpoint directory, or a weights file (its {@code config.json} is looked for beside it). */
    public static Checkpoint open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return open(new LocalCheckpointFiles(path), null);
        }
        if (Files.isRegularFile(path)) {
            Path parent = path.toAbsolutePath().getParent();
            return open(new LocalCheckpointFiles(parent), path.getFileName().toString(), label(path));
        }
        if (Files.exists(path)) {
            throw new NeuroMfaException(path.toString(), "is not a regular file or a directory (a FIFO, device or"
                    + " socket); give a checkpoint directory or a weights file");
        }
        throw new NeuroMfaException(path.toString(), "no such file or directory");
    }

    /**
     * Opens the checkpoint in {@code files}; {@code weightsFile} picks the weights explicitly, or is
     * null to find them by the usual names.
     */
    public static Checkpoint open(CheckpointFiles files, String weightsFile) throws IOException {
        return open(files, weightsFile, files.label());
    }

    /** Weight-file suffixes left out of a file's label, longest first (so that a step can end the label). */
    private static final List<String> WEIGHT_SUFFIXES = List.of(".safetensors.index.json", ".bin.index.json",
            ".safetensors", ".bin", ".pth", ".pt", ".onnx", ".ckpt");

    /**
     * The label of a local checkpoint named by {@code path}: a directory's name; for a weights file
     * with one of the usual names ({@code model.safetensors}, {@code pytorch_model.bin}, ...), which
     * stands for its directory, the directory's name; for any other file its own name without the
     * weights suffix ({@code all-minilm-l6-v2.onnx} is {@code all-minilm-l6-v2},
     * {@code pythia-160m-step1000.safetensors} is {@code pythia-160m-step1000}, step 1000), so that
     * files side by side in one directory are told apart.
     */
    public static String label(Path path) {
        Path named = path.toAbsolutePath().normalize();
        String file = named.getFileName() == null ? named.toString() : named.getFileName().toString();
        if (Files.isDirectory(path)) {
            return file;
        }
        if (WEIGHT_FILES.contains(file) || file.equals("config.json")) {
            Path dir = named.getParent();
            return dir == null || dir.getFileName() == null ? String.valueOf(dir) : dir.getFileName().toString();
        }
        String lower = file.toLowerCase(java.util.Locale.ROOT);
        for (String suffix : WEIGHT_SUFFIXES) {
            if (lower.endsWith(suffix) && lower.length() > suffix.length()) {
                return file.substring(0, file.length() - suffix.length());
            }
        }
        return file;
    }

    private static Checkpoint open(CheckpointFiles files, String weightsFile, String label) throws IOException {
        ModelConfig config = null;
        // The weights file is chosen first so that its headers can be fetched alongside config.json;
        // a missing one is reported after the configuration's own problems, as before.
        String chosen = null;
        NeuroMfaException noWeights = null;
        try {
            chosen = weightsFile != null ? weightsFile : findWeights(files);
        } catch (NeuroMfaException e) {
            noWeights = e;
        }
        List<String> warm = new java.util.ArrayList<>();
        if (files.exists("config.json")) {
            warm.add("config.json");
        }
        if (chosen != null) {
            warm.add(chosen);
        }
        files.warm(warm);
        if (files.exists("config.json")) {
            config = ModelConfig.parse(files.location("config.json"), files.readAll("config.json"));
        }
        if (noWeights != null) {
            throw noWeights;
        }
        String weights = chosen;
        TensorStore store = new FiniteWeights(openWeights(files, weights));
        return new Checkpoint(label, files, config, store, weights);
    }

    private static String findWeights(CheckpointFiles files) throws IOException {
        for (String name : WEIGHT_FILES) {
            if (files.exists(name)) {
                return name;
            }
        }
        for (String name : files.list()) {
            if (name.endsWith(".safetensors")) {
                return name;
            }
        }
        for (String name : files.list()) {
            if (name.endsWith(".onnx")) {
                return name;
            }
        }
        throw new NeuroMfaException(files.location(""), "no weights found (looked for "
                + String.join(", ", WEIGHT_FILES) + ", *.safetensors, *.onnx)");
    }

    /** Opens one weights file, or an index and its shards. */
    public static TensorStore openWeights(CheckpointFiles files, String file) throws IOException {
        if (file.endsWith(".index.json")) {
            return openIndex(files, file);
        }
        if (file.endsWith(".safetensors")) {
            return new SafetensorsStore(files.open(file));
        }
        if (file.endsWith(".bin") || file.endsWith(".pt") || file.endsWith(".pth")) {
            return new TorchStore(files.open(file));
        }
        if (file.endsWith(".onnx")) {
            return new OnnxStore(files.open(file), files::open);
        }
        throw new NeuroMfaException(files.location(file), "unsupported weights format (expected .safetensors,"
                + " a PyTorch .bin/.pt/.pth, .onnx or an index .json)");
    }

    private static TensorStore openIndex(CheckpointFiles files, String indexFile) throws IOException {
        String where = files.location(indexFile);
        JsonNode root;
        try {
            root = JSON.readTree(new String(files.readAll(indexFile), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new NeuroMfaException(where, "not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.size() == 0) {
            throw new NeuroMfaException(where, "index has no 'weight_map'");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        Map<String, TensorStore> shards = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = map.properties().iterator();
        try {
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new NeuroMfaException(where, "weight_map entry for '" + e.getKey() + "' is not a file name");
                }
                String shard = e.getValue().asText();
                if (shard.endsWith(".index.json")) {
                    throw new NeuroMfaException(where, "weight_map names another index, '" + shard + "'");
                }
                weightMap.put(e.getKey(), shard);
                if (!shards.containsKey(shard)) {
                    shards.put(shard, openWeights(files, shard));
                }
            }
            return new ShardedTensorStore(where, weightMap, shards);
        } catch (IOException | RuntimeException e) {
            for (TensorStore s : shards.values()) {
                try {
                    s.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    public String label() {
        return label;
    }

    public CheckpointFiles files() {
        return files;
    }

    /** The parsed {@code config.json}, or null when the checkpoint has none. */
    public ModelConfig config() {
        return config;
    }

    public TensorStore tensors() {
        return tensors;
    }

    /**
     * Bytes read so far for this checkpoint: from disk for local files, over HTTP for the Hub
     * (configuration and index files included).
     */
    public long bytesRead() {
        long viaFiles = files.bytesRead();
        return viaFiles >= 0 ? viaFiles : tensors.bytesRead();
    }

    /** The weights file (or index) that was opened. */
    public String weightsFile() {
        return weightsFile;
    }

    @Override
    public void close() throws IOException {
        tensors.close();
    }
}

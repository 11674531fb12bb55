package org.neuromfa.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointInfo;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.arch.ArchitectureOptions;
import org.neuromfa.base.AtomicFiles;
import org.neuromfa.base.Json;
import org.neuromfa.locate.CheckpointRef;
import org.neuromfa.study.ResultStore;

/**
 * The result store on disk: every sample and checkpoint description a JSON file, written atomically
 * the moment it is computed, and read back through the same codec ({@link ResultJson}), so a resumed
 * run reports exactly what a fresh one does. The options part of the key is a hash of
 * {@link ResultJson#parameters} without {@code samples} and {@code first_seed}, so that any new
 * option enters the key by itself.
 *
 * <p>Layout: {@code DIR/<hash of identity>-<label>/checkpoint.json} (architecture, parameter count
 * and fingerprint, so a complete rerun need not open the checkpoint; {@code checkpoint-<hash>.json}
 * under other architecture options than the defaults, as these change the description) and
 * {@code DIR/<hash of identity>-<label>/<options hash>/seed-<seed>.json}, each holding the identity,
 * the parameters and the sample exactly as {@code analyze} writes it. A Hub checkpoint's label is the
 * commit its revision resolved to. Each file is written atomically ({@link AtomicFiles}); temporary
 * files that killed runs leave behind are deleted by a later run once they are an hour old.
 */
public final class JsonResultStore implements ResultStore {
    /** The key of the default architecture options, whose descriptions keep the name checkpoint.json. */
    private static final ObjectNode DEFAULT_ARCHITECTURE = architectureKey(ArchitectureOptions.defaults());

    private final Path root;
    /** Directories of the store already cleaned of stale temporary files by this instance. */
    private final Set<Path> cleaned = ConcurrentHashMap.newKeySet();

    private JsonResultStore(Path root) {
        this.root = root;
    }

    /** A store in {@code directory} (created when needed). */
    public static JsonResultStore at(Path directory) {
        return new JsonResultStore(directory);
    }

    /** The options part of the key: the parameters that decide one seed's numbers. */
    public static ObjectNode keyParameters(AnalysisOptions options) {
        // perSeed sets the seeds and the bootstrap over them aside; the seeds are removed, not just
        // reset, so that keys written before are still found.
        ObjectNode p = ResultJson.parameters(options.perSeed());
        p.remove("samples");
        p.remove("first_seed");
        return p;
    }

    public static String optionsHash(AnalysisOptions options) {
        return sha256(keyParameters(options).toString()).substring(0, 16);
    }

    @Override
    public SampleResult sample(CheckpointRef checkpoint, AnalysisOptions options, long seed) throws IOException {
        Path file = root.resolve(samplePath(checkpoint, options, seed));
        ObjectNode record = read(file);
        if (record == null) {
            return null;
        }
        if (!checkpoint.identity().equals(record.path("checkpoint").asText())
                // Compared as text: the same numbers may come back as other node types (int or long).
                || !keyParameters(options).toString().equals(String.valueOf(record.get("parameters")))
                || !(record.get("sample") instanceof ObjectNode)
                || record.get("sample").path("seed").asLong(-1) != seed) {
            throw new NeuroMfaException(file.toString(), "stored result does not belong to this checkpoint, seed and options"
                    + " (delete it to recompute)");
        }
        try {
            return ResultJson.readSample(record.get("sample"), true);
        } catch (ResultJson.Malformed e) {
            throw new NeuroMfaException(file.toString(), "stored result is not a complete sample: " + e.getMessage()
                    + " (delete it to recompute)");
        }
    }

    @Override
    public void putSample(CheckpointRef checkpoint, AnalysisOptions options, long seed, SampleResult sample)
            throws IOException {
        if (sample.seed() != seed) {
            throw new IllegalArgumentException("sample of seed " + sample.seed() + " stored as seed " + seed);
        }
        ObjectNode record = Json.RESULTS.createObjectNode();
        record.put("checkpoint", checkpoint.identity());
        record.set("parameters", keyParameters(options));
        record.set("sample", ResultJson.sample(sample));
        write(root.resolve(samplePath(checkpoint, options, seed)), record);
    }

    /**
     * The architecture options a description depends on, as the parameters name them: the QKV layout,
     * and the kernel aggregation and wiring file when given.
     */
    static ObjectNode architectureKey(ArchitectureOptions architecture) {
        ObjectNode p = ResultJson.parameters(AnalysisOptions.defaults().withArchitecture(architecture));
        ObjectNode key = Json.RESULTS.createObjectNode();
        for (String field : new String[] {"qkv_layout", "kernel_aggregation", "wiring_sha256"}) {
            if (p.has(field)) {
                key.set(field, p.get(field));
            }
        }
        return key;
    }

    @Override
    public CheckpointInfo checkpointInfo(CheckpointRef checkpoint, ArchitectureOptions architecture) throws IOException {
        Path file = root.resolve(infoPath(checkpoint, architecture));
        ObjectNode record = read(file);
        if (record == null) {
            return null;
        }
        if (!checkpoint.identity().equals(record.path("checkpoint").asText())) {
            throw new NeuroMfaException(file.toString(), "stored description belongs to another checkpoint"
                    + " (delete it to recompute)");
        }
        if (!architectureKey(architecture).equals(record.get("architecture_options"))) {
            // Written before descriptions were keyed by the wiring (by whichever options that run had):
            // described again, and this file replaced.
            return null;
        }
        return ResultJson.readCheckpointInfo(record);
    }

    @Override
    public void putCheckpointInfo(CheckpointRef checkpoint, ArchitectureOptions architecture, CheckpointInfo info)
            throws IOException {
        ObjectNode record = ResultJson.checkpointInfo(info);
        record.put("checkpoint", checkpoint.identity());
        record.set("architecture_options", architectureKey(architecture));
        write(root.resolve(infoPath(checkpoint, architecture)), record);
    }

    private String checkpointDir(CheckpointRef checkpoint) {
        // A Hub checkpoint's directory is named by its commit, whatever revision name led to it, so
        // that a branch, a tag and the commit itself share the results of the content they name.
        String name = checkpoint.commit() != null ? checkpoint.commit() : checkpoint.revision();
        String label = name.replaceAll("[^A-Za-z0-9._-]", "_");
        if (label.length() > 60) {
            label = label.substring(0, 60);
        }
        return sha256(checkpoint.identity()).substring(0, 16) + "-" + label;
    }

    private String infoPath(CheckpointRef checkpoint, ArchitectureOptions architecture) {
        ObjectNode key = architectureKey(architecture);
        return checkpointDir(checkpoint) + "/checkpoint"
                + (key.equals(DEFAULT_ARCHITECTURE) ? "" : "-" + sha256(key.toString()).substring(0, 16)) + ".json";
    }

    private String samplePath(CheckpointRef checkpoint, AnalysisOptions options, long seed) {
        return checkpointDir(checkpoint) + "/" + optionsHash(options) + "/seed-" + seed + ".json";
    }

    private ObjectNode read(Path file) throws IOException {
        clean(file.getParent());
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonNode node;
        try {
            node = Json.RESULTS.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new NeuroMfaException(file.toString(), "stored result is not valid JSON (delete it to recompute): "
                    + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode)) {
            throw new NeuroMfaException(file.toString(), "stored result is not a JSON object (delete it to recompute)");
        }
        return (ObjectNode) node;
    }

    private void write(Path file, ObjectNode record) throws IOException {
        clean(file.getParent());
        AtomicFiles.write(file, ResultJson.bytes(record));
    }

    /**
     * Deletes the temporary files that runs killed between writing a result and renaming it left in
     * {@code dir} (a checkpoint's or an options' directory), the first time this store uses the
     * directory: one listing per directory and run, so a store of thousands of checkpoints is never
     * walked as a whole, and a directory no run uses again keeps its leftovers harmlessly. Only
     * files older than {@link AtomicFiles#STALE_AFTER} go: several processes may share a store
     * (parallel trajectories, Spark executors), and a younger temporary file may be another
     * process's result being written at this moment.
     */
    private void clean(Path dir) {
        if (cleaned.add(dir)) {
            AtomicFiles.removeStaleTemporaries(dir);
        }
    }

    static String sha256(String text) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(d.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.neuromfa.study;

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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.base.AtomicFiles;
import org.neuromfa.io.ResultJson;
import org.neuromfa.locate.CheckpointRef;

/**
 * Per-(checkpoint, seed, options) results, so that a trajectory run that stops half way (killed,
 * out of time, a network failure) resumes where it was. Each sample is written atomically the moment
 * it is computed. The key is the checkpoint's identity, the seed, and a hash of every option that
 * decides the per-seed numbers, taken from {@link ResultJson#parameters} so that any new option
 * enters the key by itself; only {@code samples} and {@code first_seed}, which choose seeds rather
 * than change a seed's numbers, are left out. Changing an option therefore never mixes results.
 *
 * <p>A Hub checkpoint's identity is the commit its revision resolved to
 * ({@link org.neuromfa.locate.CheckpointLocator#resolve}), so results of a branch that has
 * moved since are not reused, and the label in its directory name is that commit.
 *
 * <p>Layout: {@code DIR/<hash of identity>-<label>/checkpoint.json} (architecture and parameter
 * count, so a complete rerun need not open the checkpoint) and
 * {@code DIR/<hash of identity>-<label>/<options hash>/seed-<seed>.json}, each holding the identity,
 * the parameters and the sample exactly as {@code analyze} writes it. Each file is written
 * atomically ({@link AtomicFiles}); temporary files that killed runs leave behind are deleted by a
 * later run once they are an hour old.
 */
public final class ResultStore {
    private final Path root;
    private final Map<String, ObjectNode> memory = new ConcurrentHashMap<>();
    /** Directories of the store already cleaned of stale temporary files by this instance. */
    private final Set<Path> cleaned = ConcurrentHashMap.newKeySet();

    private ResultStore(Path root) {
        this.root = root;
    }

    /** A store in {@code directory} (created when needed). */
    public static ResultStore at(Path directory) {
        return new ResultStore(directory);
    }

    /** A store that forgets everything when the process ends. */
    public static ResultStore inMemory() {
        return new ResultStore(null);
    }

    /** The options part of the key: the parameters that decide one seed's numbers. */
    public static ObjectNode keyParameters(AnalysisOptions options) {
        ObjectNode p = ResultJson.parameters(options);
        p.remove("samples");
        p.remove("first_seed");
        return p;
    }

    public static String optionsHash(AnalysisOptions options) {
        return sha256(keyParameters(options).toString()).substring(0, 16);
    }

    /** The stored sample, or null when it has not been computed yet. */
    public ObjectNode sample(CheckpointRef checkpoint, AnalysisOptions options, long seed) throws IOException {
        ObjectNode record = read(samplePath(checkpoint, options, seed));
        if (record == null) {
            return null;
        }
        String where = describe(samplePath(checkpoint, options, seed));
        if (!checkpoint.identity().equals(record.path("checkpoint").asText())
                // Compared as text: the same numbers may come back as other node types (int or long).
                || !keyParameters(options).toString().equals(String.valueOf(record.get("parameters")))
                || !(record.get("sample") instanceof ObjectNode)
                || record.get("sample").path("seed").asLong(-1) != seed) {
            throw new NeuroMfaException(where, "stored result does not belong to this checkpoint, seed and options"
                    + " (delete it to recompute)");
        }
        return (ObjectNode) record.get("sample");
    }

    public void putSample(CheckpointRef checkpoint, AnalysisOptions options, long seed, ObjectNode sample) throws IOException {
        ObjectNode record = ResultJson.MAPPER.createObjectNode();
        record.put("checkpoint", checkpoint.identity());
        record.set("parameters", keyParameters(options));
        record.set("sample", sample);
        write(samplePath(checkpoint, options, seed), record);
    }

    /** The stored description of the checkpoint ({@code architecture}, {@code parameter_count}), or null. */
    public ObjectNode checkpointInfo(CheckpointRef checkpoint) throws IOException {
        ObjectNode record = read(infoPath(checkpoint));
        if (record != null && !checkpoint.identity().equals(record.path("checkpoint").asText())) {
            throw new NeuroMfaException(describe(infoPath(checkpoint)), "stored description belongs to another checkpoint"
                    + " (delete it to recompute)");
        }
        return record;
    }

    public void putCheckpointInfo(CheckpointRef checkpoint, ObjectNode info) throws IOException {
        ObjectNode record = info.deepCopy();
        record.put("checkpoint", checkpoint.identity());
        write(infoPath(checkpoint), record);
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

    private String infoPath(CheckpointRef checkpoint) {
        return checkpointDir(checkpoint) + "/checkpoint.json";
    }

    private String samplePath(CheckpointRef checkpoint, AnalysisOptions options, long seed) {
        return checkpointDir(checkpoint) + "/" + optionsHash(options) + "/seed-" + seed + ".json";
    }

    private String describe(String relative) {
        return root == null ? "(memory)/" + relative : root.resolve(relative).toString();
    }

    private ObjectNode read(String relative) throws IOException {
        if (root == null) {
            ObjectNode n = memory.get(relative);
            return n == null ? null : n.deepCopy();
        }
        Path file = root.resolve(relative);
        clean(file.getParent());
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonNode node;
        try {
            node = ResultJson.MAPPER.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new NeuroMfaException(file.toString(), "stored result is not valid JSON (delete it to recompute): "
                    + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode)) {
            throw new NeuroMfaException(file.toString(), "stored result is not a JSON object (delete it to recompute)");
        }
        return (ObjectNode) node;
    }

    private void write(String relative, ObjectNode record) throws IOException {
        if (root == null) {
            memory.put(relative, record.deepCopy());
        } else {
            Path file = root.resolve(relative);
            clean(file.getParent());
            AtomicFiles.write(file, ResultJson.bytes(record));
        }
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

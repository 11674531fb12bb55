package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuromfa.tensor.DType;
import org.neuromfa.tensor.safetensors.SafetensorsWriter;

/**
 * {@code analyze ... --json out/x.json} on mutated checkpoints of every format (safetensors,
 * PyTorch zip, ONNX, sharded index): the command ends with exit 0 and the JSON, or exit 2 and one
 * line on stderr, and in either case no file appears in the temporary tree except the expected
 * output. Index files and ONNX external data that name files outside the checkpoint directory are
 * refused, even when the file they name exists and is a valid checkpoint.
 */
class HostileCheckpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NEOX_CONFIG = "{\"model_type\":\"gpt_neox\",\"hidden_size\":8,\"num_hidden_layers\":2,"
            + "\"intermediate_size\":32}";
    private static final byte[] SAFETENSORS = safetensors(2, 0);
    private static final byte[] ONNX = onnx();
    private static final byte[] TORCH = torch();

    @TempDir
    static Path tmp;

    static IntStream cases() {
        return IntStream.range(0, 400);
    }

    private static byte[] safetensors(int layers, int firstLayer) {
        SafetensorsWriter w = new SafetensorsWriter();
        SplittableRandom r = new SplittableRandom(3 + firstLayer);
        long[][] shapes = {{24, 8}, {8, 8}, {32, 8}, {8, 32}};
        String[] names = {"attention.query_key_value", "attention.dense", "mlp.dense_h_to_4h", "mlp.dense_4h_to_h"};
        DType[] types = {DType.F32, DType.F16, DType.BF16, DType.F32};
        for (int b = firstLayer; b < firstLayer + layers; b++) {
            for (int i = 0; i < names.length; i++) {
                float[] v = new float[(int) (shapes[i][0] * shapes[i][1])];
                for (int j = 0; j < v.length; j++) {
                    v[j] = (float) r.nextDouble(-0.3, 0.3);
                }
                w.add("gpt_neox.layers." + b + "." + names[i] + ".weight", types[i], shapes[i], v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            w.write(out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    private static byte[] torch() {
        try {
            return Files.readAllBytes(Cli.golden("neox-d128-l4-normal-f32-torch").resolve("single/pytorch_model.bin"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // ---- a minimal protobuf writer for a BERT ONNX export (field numbers from onnx.proto) ----

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static void field(ByteArrayOutputStream out, int number, byte[] payload) {
        varint(out, (long) number << 3 | 2);
        varint(out, payload.length);
        out.writeBytes(payload);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A tensor of float32 [in, out] with raw_data, or with an external_data location when {@code external} is set. */
    private static byte[] tensor(String name, int in, int out, float[] values, String external) {
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        ByteArrayOutputStream dims = new ByteArrayOutputStream();
        varint(dims, in);
        varint(dims, out);
        field(t, 1, dims.toByteArray());
        varint(t, 2 << 3);
        varint(t, 1);
        field(t, 8, utf8(name));
        if (external == null) {
            ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                raw.putFloat(v);
            }
            field(t, 9, raw.array());
        } else {
            ByteArrayOutputStream entry = new ByteArrayOutputStream();
            field(entry, 1, utf8("location"));
            field(entry, 2, utf8(external));
            field(t, 13, entry.toByteArray());
            varint(t, 14 << 3);
            varint(t, 1);
        }
        return t.toByteArray();
    }

    /** BERT, d = 8, m = 16, two blocks, as PyTorch's ONNX exporter names the MatMul nodes. */
    private static byte[] onnxModel(String externalLocation) {
        ByteArrayOutputStream graph = new ByteArrayOutputStream();
        SplittableRandom r = new SplittableRandom(9);
        String[] paths = {"attention/self/query", "attention/self/key", "attention/self/value",
            "attention/output/dense", "intermediate/dense", "output/dense"};
        int id = 800;
        for (int b = 0; b < 2; b++) {
            for (String path : paths) {
                String name = "onnx::MatMul_" + id++;
                int in = path.equals("output/dense") ? 16 : 8;
                int out = path.equals("intermediate/dense") ? 16 : 8;
                float[] v = new float[in * out];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextBoolean() ? r.nextDouble(0.01, 0.5) : -r.nextDouble(0.01, 0.5));
                }
                boolean external = externalLocation != null && b == 0 && path.endsWith("query");
                field(graph, 5, tensor(name, in, out, v, external ? externalLocation : null));
                ByteArrayOutputStream node = new ByteArrayOutputStream();
                field(node, 1, utf8("/x" + b + path));
                field(node, 1, utf8(name));
                field(node, 2, utf8("/y" + b + path));
                field(node, 3, utf8("/encoder/layer." + b + "/" + path + "/MatMul"));
                field(node, 4, utf8("MatMul"));
                field(graph, 1, node.toByteArray());
            }
        }
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        varint(model, 1 << 3);
        varint(model, 8);
        field(model, 7, graph.toByteArray());
        return model.toByteArray();
    }

    private static byte[] onnx() {
        return onnxModel(null);
    }

    // ---- mutations ----

    private static final String[] HOSTILE_TEXT = {"-1", "0", "4294967296", "9223372036854775807", "1e308", "null", "\"\"",
        "\"../../../../tmp/escape\"", "\"/tmp/escape\"", "[]", "{}"};

    /** One mutation of one format, chosen by the seed: {file name, bytes}. */
    static Object[] mutant(int seed) {
        SplittableRandom r = new SplittableRandom(seed * 31L + 7);
        int format = seed % 3;
        byte[] b = (format == 0 ? SAFETENSORS : format == 1 ? ONNX : TORCH).clone();
        String file = format == 0 ? "model.safetensors" : format == 1 ? "model.onnx" : "pytorch_model.bin";
        // Torch: aim at the pickle (near the start) and the zip directory (the tail), not the weights.
        int from = 0;
        int to = b.length;
        if (format == 2) {
            boolean head = r.nextBoolean();
            from = head ? 0 : indexOf(b, new byte[] {'P', 'K', 1, 2});
            to = head ? 4096 : b.length;
        } else if (format == 0) {
            to = 8 + (int) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
        }
        switch (r.nextInt(4)) {
            case 0: {
                for (int i = 0, n = 1 + r.nextInt(6); i < n; i++) {
                    b[from + r.nextInt(to - from)] = (byte) r.nextInt(256);
                }
                break;
            }
            case 1:
                b = Arrays.copyOf(b, from + r.nextInt(to - from));
                break;
            case 2: { // a run of 0xff or 0x80 bytes: lengths and varints that claim huge sizes
                int at = from + r.nextInt(to - from);
                byte fill = r.nextBoolean() ? (byte) 0xff : (byte) 0x80;
                for (int i = at; i < Math.min(b.length, at + 1 + r.nextInt(9)); i++) {
                    b[i] = fill;
                }
                break;
            }
            default: {
                if (format == 0) { // a hostile value in the JSON header
                    int headerLength = to - 8;
                    String h = new String(b, 8, headerLength, StandardCharsets.UTF_8);
                    String[] numbers = h.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
                    StringBuilder sb = new StringBuilder();
                    int pick = r.nextInt(numbers.length);
                    for (int i = 0; i < numbers.length; i++) {
                        sb.append(i == pick && numbers[i].matches("\\d+") ? HOSTILE_TEXT[r.nextInt(HOSTILE_TEXT.length)] : numbers[i]);
                    }
                    byte[] nh = sb.toString().getBytes(StandardCharsets.UTF_8);
                    ByteBuffer out = ByteBuffer.allocate(8 + nh.length + b.length - to).order(ByteOrder.LITTLE_ENDIAN);
                    out.putLong(nh.length).put(nh).put(b, to, b.length - to);
                    b = out.array();
                } else {
                    int at = from + r.nextInt(to - from);
                    byte[] insert = new byte[1 + r.nextInt(16)];
                    for (int i = 0; i < insert.length; i++) {
                        insert[i] = (byte) r.nextInt(256);
                    }
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.write(b, 0, at);
                    out.writeBytes(insert);
                    out.write(b, at, b.length - at);
                    b = out.toByteArray();
                }
            }
        }
        return new Object[] {file, b};
    }

    private static int indexOf(byte[] b, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= b.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (b[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    /** Every regular file under {@code root}, relative to it. */
    private static TreeSet<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted((a, b) -> b.compareTo(a)).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }

    @Test
    void unmutatedCheckpointsAnalyse() throws IOException {
        for (int format = 0; format < 3; format++) {
            Path dir = Files.createDirectories(tmp.resolve("valid" + format));
            byte[] b = format == 0 ? SAFETENSORS : format == 1 ? ONNX : TORCH;
            String file = format == 0 ? "model.safetensors" : format == 1 ? "model.onnx" : "pytorch_model.bin";
            Files.write(dir.resolve(file), b);
            if (format != 1) {
                Files.writeString(dir.resolve("config.json"), format == 0 ? NEOX_CONFIG
                        : Files.readString(Cli.golden("neox-d128-l4-normal-f32-torch").resolve("single/config.json")));
            }
            // --json needs its directory to exist (a typo in it is an error, not a new directory).
            Path json = Files.createDirectories(tmp.resolve("valid-out" + format)).resolve("x.json");
            Cli c = Cli.run("analyze", dir.toString(), "--samples", "1", "--nodes-per-layer", "4", "--threshold", "1000",
                    "--json", json.toString());
            assertThat(c.exitCode).as(c.toString()).isZero();
            assertThat(JSON.readTree(json.toFile()).get("samples")).hasSize(1);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    @Timeout(20)
    void mutatedCheckpointWritesOnlyItsOutput(int seed) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("case" + seed));
        Path ckpt = Files.createDirectories(root.resolve("ckpt"));
        Files.createDirectories(root.resolve("out"));
        Object[] m = mutant(seed);
        String file = (String) m[0];
        Files.write(ckpt.resolve(file), (byte[]) m[1]);
        TreeSet<String> expected = new TreeSet<>(List.of("ckpt/" + file));
        if (!file.endsWith(".onnx")) {
            Files.writeString(ckpt.resolve("config.json"), file.endsWith(".safetensors") ? NEOX_CONFIG
                    : Files.readString(Cli.golden("neox-d128-l4-normal-f32-torch").resolve("single/config.json")));
            expected.add("ckpt/config.json");
        }
        Cli c = Cli.run("analyze", ckpt.toString(), "--samples", "1", "--nodes-per-layer", "4", "--threshold", "1000",
                "--json", root.resolve("out/x.json").toString());
        assertThat(c.exitCode).as("case %d: %s", seed, c).isIn(0, 2);
        if (c.exitCode == 0) {
            expected.add("out/x.json");
            assertThat(JSON.readTree(root.resolve("out/x.json").toFile()).get("samples")).hasSize(1);
        } else {
            assertThat(c.err.lines().count()).as("case %d: %s", seed, c).isEqualTo(1);
            assertThat(c.err).startsWith("neuromfa: ").doesNotContain("\tat ");
        }
        assertThat(files(root)).as("case %d: files in the tree", seed).isEqualTo(expected);
        deleteTree(root);
    }

    @Test
    void namesFromTheFileCannotBreakTheLineOrDriveTheTerminal() throws IOException {
        // A tensor name with a line break, a carriage return and an ANSI "clear screen" sequence.
        String header = "{\"a\\n\\rneuromfa: fake\\u001b[2J\\u2028\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,1]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 1).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path ckpt = Files.createDirectories(tmp.resolve("escape"));
        Files.write(ckpt.resolve("model.safetensors"), b.array());
        Cli c = Cli.run("analyze", ckpt.toString());
        assertThat(c.exitCode).isEqualTo(2);
        assertThat(c.err).isEqualTo("neuromfa: " + ckpt.resolve("model.safetensors")
                + ": tensor 'a\\u000a\\u000dneuromfa: fake\\u001b[2J\\u2028': unknown dtype 'Q7'" + System.lineSeparator());
    }

    /** A valid shard outside the checkpoint directory, named by the index through climbing or absolute paths. */
    @ParameterizedTest
    @ValueSource(strings = {"../outside/model-00002.safetensors", "ABSOLUTE", "../../outside/model-00002.safetensors",
        "sub/../../outside/model-00002.safetensors", "./../outside/model-00002.safetensors"})
    void indexNamingFilesOutsideTheCheckpointIsRefused(String shard) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("index-" + Integer.toHexString(shard.hashCode())));
        Path ckpt = Files.createDirectories(root.resolve("ckpt"));
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.write(ckpt.resolve("model-00001.safetensors"), safetensors(1, 0));
        Files.write(outside.resolve("model-00002.safetensors"), safetensors(1, 1));
        Files.createDirectories(ckpt.resolve("sub"));
        String named = shard.equals("ABSOLUTE") ? outside.resolve("model-00002.safetensors").toAbsolutePath().toString() : shard;
        StringBuilder map = new StringBuilder();
        for (String t : new String[] {"attention.query_key_value", "attention.dense", "mlp.dense_h_to_4h", "mlp.dense_4h_to_h"}) {
            map.append(map.length() == 0 ? "" : ",").append("\"gpt_neox.layers.0.").append(t).append(".weight\":\"model-00001.safetensors\"");
            map.append(",\"gpt_neox.layers.1.").append(t).append(".weight\":").append(JSON.writeValueAsString(named));
        }
        Files.writeString(ckpt.resolve("model.safetensors.index.json"), "{\"weight_map\":{" + map + "}}");
        Files.writeString(ckpt.resolve("config.json"), NEOX_CONFIG);

        // The same files inside the directory analyse: the index itself is fine.
        Path inside = Files.createDirectories(root.resolve("inside"));
        Files.write(inside.resolve("model-00001.safetensors"), safetensors(1, 0));
        Files.write(inside.resolve("model-00002.safetensors"), safetensors(1, 1));
        Files.writeString(inside.resolve("model.safetensors.index.json"),
                Files.readString(ckpt.resolve("model.safetensors.index.json")).replace(JSON.writeValueAsString(named),
                        "\"model-00002.safetensors\""));
        Files.writeString(inside.resolve("config.json"), NEOX_CONFIG);
        Cli ok = Cli.run("analyze", inside.toString(), "--samples", "1", "--nodes-per-layer", "4", "--threshold", "1000");
        assertThat(ok.exitCode).as(ok.toString()).isZero();

        Cli c = Cli.run("analyze", ckpt.toString(), "--samples", "1", "--nodes-per-layer", "4", "--threshold", "1000",
                "--json", root.resolve("out/x.json").toString());
        assertThat(c.exitCode).as(c.toString()).isEqualTo(2);
        assertThat(c.err).contains("file name '" + named + "' points outside the checkpoint directory");
        assertThat(c.err.lines().count()).isEqualTo(1);
        assertThat(root.resolve("out/x.json")).doesNotExist();
    }

    /** ONNX external data naming a file outside the model's directory is refused before it is opened. */
    @ParameterizedTest
    @ValueSource(strings = {"../secret.bin", "ABSOLUTE", "../../../../../../etc/passwd", "/etc/passwd"})
    void onnxExternalDataOutsideTheDirectoryIsRefused(String location) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("external-" + Integer.toHexString(location.hashCode())));
        Path ckpt = Files.createDirectories(root.resolve("ckpt"));
        Path secret = root.resolve("secret.bin");
        ByteBuffer values = ByteBuffer.allocate(4 * 64).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 64; i++) {
            values.putFloat(0.05f + 0.01f * (i % 7));
        }
        Files.write(secret, values.array());
        String named = location.equals("ABSOLUTE") ? secret.toAbsolutePath().toString() : location;
        Files.write(ckpt.resolve("model.onnx"), onnxModel(named));
        Cli c = Cli.run("analyze", ckpt.toString(), "--samples", "1", "--nodes-per-layer", "4", "--threshold", "1000");
        assertThat(c.exitCode).as(c.toString()).isEqualTo(2);
        assertThat(c.err).contains("file name '" + named + "' points outside the checkpoint directory");
        // Inside the directory, the same external file is read.
        Files.copy(secret, ckpt.resolve("weights.bin"));
        Files.write(ckpt.resolve("model.onnx"), onnxModel("weights.bin"));
        Cli ok = Cli.run("analyze", ckpt.toString(), "--samples", "1", "--nodes-per-layer", "4", "--threshold", "1000");
        assertThat(ok.exitCode).as(ok.toString()).isZero();
    }
}

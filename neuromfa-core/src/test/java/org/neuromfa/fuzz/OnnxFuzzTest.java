package org.neuromfa.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointAnalysis;
import org.neuromfa.analysis.CheckpointResult;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.tensor.TensorStore;
import org.neuromfa.tensor.onnx.OnnxWriter;

/**
 * Seeded mutations of a valid ONNX model (a two-block BERT export in protobuf wire format, with raw,
 * packed and unpacked float data, external data in a file beside it, and one int8-quantised weight). Every case must end with a clean
 * error (NeuroMfaException, or an IOException such as a read past the end) or a complete analysis;
 * never an unchecked exception of another kind, an OutOfMemoryError or a hang.
 *
 * <p>The mutations work on the wire format's structure: the valid model is walked once to find
 * every varint (tags, lengths, dims, data types, values) and every length-delimited field, so that
 * lengths can be made to claim gigabytes, dims to overflow, tags to change their wire type, and
 * nested messages to be cut or duplicated.
 */
class OnnxFuzzTest {
    private static final int D = 8;
    private static final int M = 16;
    private static final byte[] EXTERNAL = new byte[64 + 256 + 32];
    private static final byte[] VALID = valid();
    private static final List<long[]> VARINTS = new ArrayList<>();
    private static final List<long[]> LENGTH_FIELDS = new ArrayList<>();

    static {
        walk(VALID, 0, VALID.length, 0);
    }

    @TempDir
    static Path tmp;

    static IntStream cases() {
        return IntStream.range(0, 3000);
    }

    /** BERT with d = 8, m = 16 and two blocks, exported as ONNX (MatMul weights stored [in, out]). */
    static byte[] valid() {
        OnnxWriter w = new OnnxWriter();
        SplittableRandom r = new SplittableRandom(5);
        String[] paths = {"attention/self/query", "attention/self/key", "attention/self/value",
            "attention/output/dense", "intermediate/dense", "output/dense"};
        int id = 800;
        for (int b = 0; b < 2; b++) {
            for (String path : paths) {
                String name = "onnx::MatMul_" + id++;
                int in = path.equals("output/dense") ? M : D;
                int out = path.equals("intermediate/dense") ? M : D;
                float[] v = new float[in * out];
                for (int i = 0; i < v.length; i++) {
                    double x = r.nextDouble(0.01, 0.5);
                    v[i] = (float) (r.nextBoolean() ? x : -x);
                }
                String node = "/encoder/layer." + b + "/" + path + "/MatMul";
                String input = name;
                if (b == 1 && path.equals("attention/self/value")) {
                    // Dynamically quantised: int8 raw data, a per-tensor scale, an int8 zero point as int32_data.
                    byte[] q = new byte[v.length];
                    for (int i = 0; i < q.length; i++) {
                        q[i] = (byte) (r.nextBoolean() ? 1 + r.nextInt(127) : -1 - r.nextInt(127));
                    }
                    w.raw(name + "_quantized", 3, new long[] {in, out}, q);
                    w.initializer(OnnxWriter.tensor(name + "_scale", 1).packedFloats(4, 0.01f));
                    w.initializer(OnnxWriter.tensor(name + "_zero_point", 3).packedVarints(5, 0L));
                    input = name + "_quantized";
                    node += "_quant";
                } else if (b == 0 && path.equals("attention/output/dense")) {
                    // External data: 8 x 8 floats at offset 64 of ext.bin (written beside the model).
                    OnnxWriter.Message t = OnnxWriter.tensor(name, 1, in, out);
                    t.message(13, new OnnxWriter.Message().string(1, "location").string(2, "ext.bin"));
                    t.message(13, new OnnxWriter.Message().string(1, "offset").string(2, "64"));
                    t.message(13, new OnnxWriter.Message().string(1, "length").string(2, "256"));
                    t.varint(14, 1);
                    w.initializer(t);
                    byte[] data = OnnxWriter.floats(v);
                    System.arraycopy(data, 0, EXTERNAL, 64, data.length);
                } else if (b == 1 && path.equals("output/dense")) {
                    w.initializer(OnnxWriter.tensor(name, 1, in, out).packedFloats(4, v));
                } else if (b == 1 && path.equals("attention/output/dense")) {
                    OnnxWriter.Message t = OnnxWriter.tensor(name, 1, in, out);
                    for (float x : v) {
                        t.fixed32(4, x);
                    }
                    w.initializer(t);
                } else {
                    w.rawFloat(name, new long[] {in, out}, v);
                }
                w.node(node, node.endsWith("_quant") ? "MatMulInteger" : "MatMul", new String[] {"/x" + b + path, input},
                        "/y" + b + path);
            }
        }
        return w.toBytes();
    }

    /**
     * Records every varint {start, end} and every length-delimited field {start of its length,
     * start of its payload, end} of the message in [from, to); payloads that parse as messages are
     * walked too. Returns false when the bytes are not a message.
     */
    private static boolean walk(byte[] b, int from, int to, int depth) {
        List<long[]> varints = new ArrayList<>();
        List<long[]> lengths = new ArrayList<>();
        List<int[]> nested = new ArrayList<>();
        int p = from;
        while (p < to) {
            int tagStart = p;
            long[] tag = varint(b, p, to);
            if (tag == null || (tag[0] >>> 3) == 0) {
                return false;
            }
            varints.add(new long[] {tagStart, tag[1]});
            p = (int) tag[1];
            switch ((int) (tag[0] & 7)) {
                case 0: {
                    long[] v = varint(b, p, to);
                    if (v == null) {
                        return false;
                    }
                    varints.add(new long[] {p, v[1]});
                    p = (int) v[1];
                    break;
                }
                case 1:
                    p += 8;
                    break;
                case 5:
                    p += 4;
                    break;
                case 2: {
                    long[] v = varint(b, p, to);
                    if (v == null || v[0] > to - v[1]) {
                        return false;
                    }
                    varints.add(new long[] {p, v[1]});
                    lengths.add(new long[] {p, v[1], v[1] + v[0]});
                    nested.add(new int[] {(int) v[1], (int) (v[1] + v[0])});
                    p = (int) (v[1] + v[0]);
                    break;
                }
                default:
                    return false;
            }
            if (p > to) {
                return false;
            }
        }
        VARINTS.addAll(varints);
        LENGTH_FIELDS.addAll(lengths);
        for (int[] n : nested) {
            if (n[1] > n[0] && depth < 4) {
                walkIfMessage(b, n[0], n[1], depth + 1);
            }
        }
        return true;
    }

    private static void walkIfMessage(byte[] b, int from, int to, int depth) {
        int varints = VARINTS.size();
        int lengths = LENGTH_FIELDS.size();
        if (!walk(b, from, to, depth)) {
            VARINTS.subList(varints, VARINTS.size()).clear();
            LENGTH_FIELDS.subList(lengths, LENGTH_FIELDS.size()).clear();
        }
    }

    /** {value, end} of the varint at p, or null when it does not end before {@code to}. */
    private static long[] varint(byte[] b, int p, int to) {
        long value = 0;
        for (int shift = 0; shift < 64 && p < to; shift += 7) {
            int x = b[p++] & 0xff;
            value |= (long) (x & 0x7f) << shift;
            if (x < 0x80) {
                return new long[] {value, p};
            }
        }
        return null;
    }

    private static byte[] encode(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    private static byte[] splice(byte[] b, long start, long end, byte[] replacement) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b, 0, (int) start);
        out.writeBytes(replacement);
        out.write(b, (int) end, b.length - (int) end);
        return out.toByteArray();
    }

    /** Values that make lengths claim gigabytes, dims overflow a long or go negative, types change. */
    private static final long[] HOSTILE = {0, 1, 2, 3, 7, 9, 13, 14, 127, 128, 255, 1L << 31, (1L << 31) - 1, 1L << 32,
        3_000_000_000L, 1L << 40, 1L << 53, 1L << 62, Long.MAX_VALUE, Long.MIN_VALUE, -1, -2, 0x1fffffffL};

    /** One mutation, chosen and parameterised by the seed. */
    static byte[] mutate(long seed) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 1);
        byte[] b = VALID.clone();
        switch (r.nextInt(7)) {
            case 0: { // replace a varint (tag, length, dim, data type, value) with a hostile one
                long[] v = VARINTS.get(r.nextInt(VARINTS.size()));
                return splice(b, v[0], v[1], encode(HOSTILE[r.nextInt(HOSTILE.length)]));
            }
            case 1: { // a length that claims more than there is, up to gigabytes
                long[] f = LENGTH_FIELDS.get(r.nextInt(LENGTH_FIELDS.size()));
                long claimed = (f[2] - f[1]) + 1 + (r.nextBoolean() ? r.nextInt(64) : r.nextLong(1L << 20, 1L << 36));
                return splice(b, f[0], f[1], encode(claimed));
            }
            case 2: { // flip a few bytes anywhere
                int flips = 1 + r.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                return b;
            }
            case 3: // truncate anywhere
                return Arrays.copyOf(b, r.nextInt(b.length));
            case 4: { // cut a field's payload short, keeping its length (the enclosing message then misparses)
                long[] f = LENGTH_FIELDS.get(r.nextInt(LENGTH_FIELDS.size()));
                long cut = f[1] + r.nextLong(Math.max(1, f[2] - f[1]));
                return splice(b, cut, f[2], new byte[0]);
            }
            case 5: { // duplicate a length-delimited field (with its tag) right after itself
                long[] f = LENGTH_FIELDS.get(r.nextInt(LENGTH_FIELDS.size()));
                long tagStart = tagBefore(f[0]);
                byte[] field = Arrays.copyOfRange(b, (int) tagStart, (int) f[2]);
                return splice(b, f[2], f[2], field);
            }
            default: { // change a tag's wire type or field number
                long[] v = VARINTS.get(r.nextInt(VARINTS.size()));
                long[] tag = varint(b, (int) v[0], b.length);
                long changed = r.nextBoolean() ? (tag[0] & ~7L) | r.nextInt(8) : ((long) r.nextInt(1, 20) << 3) | (tag[0] & 7);
                return splice(b, v[0], v[1], encode(changed));
            }
        }
    }

    /** The start of the tag varint that ends right before {@code lengthStart}. */
    private static long tagBefore(long lengthStart) {
        for (long[] v : VARINTS) {
            if (v[1] == lengthStart) {
                return v[0];
            }
        }
        return lengthStart;
    }

    @Test
    void validModelAnalyses() throws IOException {
        assertThat(VARINTS.size()).isGreaterThan(300);
        assertThat(LENGTH_FIELDS.size()).isGreaterThan(50);
        Path dir = Files.createDirectories(tmp.resolve("valid"));
        Files.write(dir.resolve("model.onnx"), VALID);
        Files.write(dir.resolve("ext.bin"), EXTERNAL);
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertThat(c.tensors().names()).hasSize(12);
            CheckpointResult result = CheckpointAnalysis.run(c, options(), 1, null);
            assertThat(result.samples).hasSize(1);
            assertThat(result.alpha0Mean).isFinite();
        }
    }

    private static AnalysisOptions options() {
        return AnalysisOptions.defaults().withSamples(1).withNodesPerLayer(4).withThreshold(1000);
    }

    @ParameterizedTest
    @MethodSource("cases")
    @Timeout(10)
    void mutatedModelFailsCleanlyOrAnalyses(int seed) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("case" + seed));
        Path file = dir.resolve("model.onnx");
        Files.write(file, mutate(seed));
        Files.write(dir.resolve("ext.bin"), EXTERNAL);
        try (Checkpoint c = Checkpoint.open(dir)) {
            readEveryRow(c.tensors());
            CheckpointResult result = CheckpointAnalysis.run(c, options(), 1, null);
            assertThat(result.samples).hasSize(1);
        } catch (NeuroMfaException | IOException expected) {
            assertThat(expected.getMessage()).isNotBlank().doesNotContain("\n");
        } catch (RuntimeException | Error e) {
            fail("case " + seed + " escaped with " + e, e);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir.resolve("ext.bin"));
            try (var s = Files.list(dir)) {
                assertThat(s.toList()).as("files left beside the model").isEmpty();
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void readEveryRow(TensorStore store) throws IOException {
        for (String name : store.names()) {
            var info = store.info(name);
            int rows = (int) Math.min(info.rows(), 64);
            store.readRows(name, IntStream.range(0, rows).toArray());
        }
    }
}

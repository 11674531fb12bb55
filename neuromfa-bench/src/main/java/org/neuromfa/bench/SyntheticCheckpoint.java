package org.neuromfa.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.neuromfa.arch.GptNeoX;
import org.neuromfa.sample.SamplePlan;
import org.neuromfa.tensor.safetensors.SafetensorsWriter;

/**
 * Writes a synthetic GPT-NeoX (Pythia-shaped) checkpoint, {@code config.json} and
 * {@code model.safetensors}, with every weight drawn from N(0, std) and stored as F32, F16 or BF16.
 * It has the tensors a real Pythia checkpoint has (embeddings, layer norms, biases, the four weight
 * matrices per block) so that header size and file size are realistic.
 *
 * <p>Each row of each tensor is drawn from its own generator, seeded from (seed, tensor, row), so a
 * <em>sparse</em> file, which writes only the rows that the given seeds' sample plans read and leaves
 * the rest as holes (zeros), agrees with the full file on every row an analysis of those seeds
 * touches. That makes a 12B-shaped file of 24 GB cost a few megabytes of disk.
 *
 * <p>Usage: {@code SyntheticCheckpoint DIR [--hidden 768] [--intermediate 3072] [--layers 12]
 * [--vocab 50304] [--dtype F16|F32|BF16] [--std 0.02] [--seed 0] [--sparse-seeds S --nodes-per-layer K]}.
 */
public final class SyntheticCheckpoint {
    /** Shape and contents of a synthetic checkpoint. */
    public static final class Spec {
        public int hidden = 768;
        public int intermediate = 3072;
        public int layers = 12;
        public int vocab = 50304;
        public String dtype = "F16";
        public double std = 0.02;
        public long seed = 0;
        /** When positive, write only the rows read by seeds {@code 0 .. sparseSeeds-1}. */
        public int sparseSeeds = 0;
        public int nodesPerLayer = 32;

        /** Pythia-160M: d=768, m=3072, L=12, vocabulary 50304. */
        public static Spec pythia160m(String dtype) {
            Spec s = new Spec();
            s.dtype = dtype;
            return s;
        }

        /** Pythia-12B: d=5120, m=20480, L=36, vocabulary 50688. */
        public static Spec pythia12b(String dtype) {
            Spec s = new Spec();
            s.hidden = 5120;
            s.intermediate = 20480;
            s.layers = 36;
            s.vocab = 50688;
            s.dtype = dtype;
            return s;
        }
    }

    static final class Tensor {
        final String name;
        final long rows;
        final long columns;
        final boolean vector;
        final double std;
        long begin;
        BitSet wanted;

        Tensor(String name, long rows, long columns, boolean vector, double std) {
            this.name = name;
            this.rows = rows;
            this.columns = columns;
            this.vector = vector;
            this.std = std;
        }
    }

    private SyntheticCheckpoint() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args[0].startsWith("-")) {
            System.err.println("usage: SyntheticCheckpoint DIR [--hidden D] [--intermediate M] [--layers L] [--vocab V]"
                    + " [--dtype F16|F32|BF16] [--std S] [--seed N] [--sparse-seeds S] [--nodes-per-layer K]"
                    + " [--pythia-12b]");
            System.exit(2);
        }
        Spec spec = new Spec();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--pythia-12b": {
                    Spec big = Spec.pythia12b(spec.dtype);
                    spec.hidden = big.hidden;
                    spec.intermediate = big.intermediate;
                    spec.layers = big.layers;
                    spec.vocab = big.vocab;
                    break;
                }
                case "--hidden": spec.hidden = Integer.parseInt(args[++i]); break;
                case "--intermediate": spec.intermediate = Integer.parseInt(args[++i]); break;
                case "--layers": spec.layers = Integer.parseInt(args[++i]); break;
                case "--vocab": spec.vocab = Integer.parseInt(args[++i]); break;
                case "--dtype": spec.dtype = args[++i].toUpperCase(Locale.ROOT); break;
                case "--std": spec.std = Double.parseDouble(args[++i]); break;
                case "--seed": spec.seed = Long.parseLong(args[++i]); break;
                case "--sparse-seeds": spec.sparseSeeds = Integer.parseInt(args[++i]); break;
                case "--nodes-per-layer": spec.nodesPerLayer = Integer.parseInt(args[++i]); break;
                default:
                    System.err.println("unknown option " + a);
                    System.exit(2);
            }
        }
        long start = System.nanoTime();
        Path file = write(Paths.get(args[0]), spec);
        System.err.printf(Locale.ROOT, "wrote %s (%d bytes%s) in %.1f s%n", file, Files.size(file),
                spec.sparseSeeds > 0 ? ", sparse" : "", (System.nanoTime() - start) / 1e9);
    }

    /** Writes {@code dir/config.json} and {@code dir/model.safetensors}; returns the weights file. */
    public static Path write(Path dir, Spec spec) throws IOException {
        int bytes = elementBytes(spec.dtype);
        Files.createDirectories(dir);
        Files.write(dir.resolve("config.json"), config(spec).getBytes(StandardCharsets.UTF_8));

        List<Tensor> tensors = tensors(spec);
        if (spec.sparseSeeds > 0) {
            markSampledRows(spec, tensors);
        }
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        for (Tensor t : tensors) {
            long size = t.rows * t.columns * bytes;
            t.begin = offset;
            header.append(",\"").append(t.name).append("\":{\"dtype\":\"").append(spec.dtype)
                    .append("\",\"shape\":").append(t.vector ? "[" + t.columns + "]" : "[" + t.rows + "," + t.columns + "]")
                    .append(",\"data_offsets\":[").append(offset).append(',').append(offset + size).append("]}");
            offset += size;
        }
        header.append('}');
        // Like the reference writer, pad the header with spaces so the data starts 8-byte aligned.
        while ((header.length() + 8) % 8 != 0) {
            header.append(' ');
        }
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.US_ASCII);
        long dataStart = 8 + headerBytes.length;
        Path file = dir.resolve("model.safetensors");
        Files.deleteIfExists(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw");
             FileChannel channel = raf.getChannel()) {
            ByteBuffer head = ByteBuffer.allocate(8 + headerBytes.length).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(headerBytes.length).put(headerBytes).flip();
            writeFully(channel, head, 0);
            int maxColumns = 0;
            for (Tensor t : tensors) {
                maxColumns = (int) Math.max(maxColumns, t.columns);
            }
            ByteBuffer row = ByteBuffer.allocate(maxColumns * bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors) {
                for (long r = 0; r < t.rows; r++) {
                    if (t.wanted != null && !t.wanted.get((int) r)) {
                        continue;
                    }
                    row.clear();
                    fillRow(row, spec, r, t);
                    row.flip();
                    writeFully(channel, row, dataStart + t.begin + r * t.columns * bytes);
                }
            }
            // Holes at the end still count: the file must be as long as the header says.
            raf.setLength(dataStart + offset);
        }
        return file;
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }

    static void fillRow(ByteBuffer row, Spec spec, long r, Tensor t) {
        // Seeded by the tensor's name, so leaving out other tensors (embeddings) changes no weight.
        SplittableRandom random = new SplittableRandom(mix(spec.seed, t.name.hashCode(), r));
        for (long c = 0; c < t.columns; c++) {
            float v = (float) (random.nextGaussian() * t.std);
            switch (spec.dtype) {
                case "F32": row.putFloat(v); break;
                case "F16": row.putShort(SafetensorsWriter.toF16(v)); break;
                default: row.putShort(SafetensorsWriter.toBf16(v)); break;
            }
        }
    }

    private static long mix(long seed, int tensor, long row) {
        long z = seed * 0x9E3779B97F4A7C15L + tensor * 0xC2B2AE3D27D4EB4FL + row * 0x165667B19E3779F9L;
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    private static List<Tensor> tensors(Spec spec) {
        long d = spec.hidden;
        long m = spec.intermediate;
        double std = spec.std;
        List<Tensor> out = new ArrayList<>();
        if (spec.vocab > 0) {
            out.add(new Tensor("gpt_neox.embed_in.weight", spec.vocab, d, false, std));
        }
        for (int b = 0; b < spec.layers; b++) {
            String p = "gpt_neox.layers." + b + ".";
            out.add(new Tensor(p + "input_layernorm.weight", 1, d, true, std));
            out.add(new Tensor(p + "input_layernorm.bias", 1, d, true, std));
            out.add(new Tensor(p + "post_attention_layernorm.weight", 1, d, true, std));
            out.add(new Tensor(p + "post_attention_layernorm.bias", 1, d, true, std));
            out.add(new Tensor(p + "attention.query_key_value.weight", 3 * d, d, false, std));
            out.add(new Tensor(p + "attention.query_key_value.bias", 1, 3 * d, true, std));
            out.add(new Tensor(p + "attention.dense.weight", d, d, false, std));
            out.add(new Tensor(p + "attention.dense.bias", 1, d, true, std));
            out.add(new Tensor(p + "mlp.dense_h_to_4h.weight", m, d, false, std));
            out.add(new Tensor(p + "mlp.dense_h_to_4h.bias", 1, m, true, std));
            out.add(new Tensor(p + "mlp.dense_4h_to_h.weight", d, m, false, std));
            out.add(new Tensor(p + "mlp.dense_4h_to_h.bias", 1, d, true, std));
        }
        out.add(new Tensor("gpt_neox.final_layer_norm.weight", 1, d, true, std));
        out.add(new Tensor("gpt_neox.final_layer_norm.bias", 1, d, true, std));
        if (spec.vocab > 0) {
            out.add(new Tensor("embed_out.weight", spec.vocab, d, false, std));
        }
        return out;
    }

    /** Marks, per weight matrix, the rows that the sample plans of the sparse seeds read. */
    static void markSampledRows(Spec spec, List<Tensor> tensors) {
        for (Tensor t : tensors) {
            t.wanted = new BitSet();
        }
        GptNeoX arch = new GptNeoX(spec.hidden, spec.intermediate, spec.layers, "gpt_neox.");
        for (int seed = 0; seed < spec.sparseSeeds; seed++) {
            SamplePlan plan = arch.samplePlan(seed, spec.nodesPerLayer);
            for (int b = 0; b < spec.layers; b++) {
                String p = "gpt_neox.layers." + b + ".";
                int[] next = b + 1 < spec.layers ? plan.get("block" + (b + 1) + "_nums1") : plan.get("block" + b + "_nums6");
                mark(tensors, p + "attention.query_key_value.weight", plan.get("block" + b + "_nums2"));
                mark(tensors, p + "attention.dense.weight", plan.get("block" + b + "_nums4"));
                mark(tensors, p + "mlp.dense_h_to_4h.weight", plan.get("block" + b + "_nums5"));
                mark(tensors, p + "mlp.dense_4h_to_h.weight", next);
            }
        }
    }

    private static void mark(List<Tensor> tensors, String name, int[] rows) {
        for (Tensor t : tensors) {
            if (t.name.equals(name)) {
                for (int r : rows) {
                    t.wanted.set(r);
                }
                return;
            }
        }
        throw new IllegalStateException("no tensor " + name);
    }

    static String config(Spec spec) {
        return String.format(Locale.ROOT, "{%n"
                + "  \"architectures\": [\"GPTNeoXForCausalLM\"],%n"
                + "  \"model_type\": \"gpt_neox\",%n"
                + "  \"hidden_size\": %d,%n"
                + "  \"intermediate_size\": %d,%n"
                + "  \"num_hidden_layers\": %d,%n"
                + "  \"num_attention_heads\": %d,%n"
                + "  \"vocab_size\": %d,%n"
                + "  \"torch_dtype\": \"%s\"%n"
                + "}%n", spec.hidden, spec.intermediate, spec.layers, Math.max(1, spec.hidden / 64), spec.vocab,
                spec.dtype.equals("F32") ? "float32" : spec.dtype.equals("F16") ? "float16" : "bfloat16");
    }

    static int elementBytes(String dtype) {
        switch (dtype) {
            case "F32": return 4;
            case "F16":
            case "BF16": return 2;
            default: throw new IllegalArgumentException("dtype must be F32, F16 or BF16, not " + dtype);
        }
    }
}

package org.neuromfa.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.neuromfa.arch.Architecture;
import org.neuromfa.arch.Architectures;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.model.CheckpointFiles;
import org.neuromfa.source.ByteSource;

/**
 * How many bytes of a checkpoint an analysis reads: for synthetic GPT-NeoX checkpoints shaped like
 * Pythia-160M, 1.4B and 12B (fp16, k = 32), with a real safetensors header (every tensor of
 * {@code GPTNeoXForCausalLM}, names sorted, data laid out in that order, header padded to 8 bytes as
 * the safetensors library writes it) and a data section that is never stored: the source answers
 * zeros, so a 24 GB checkpoint needs no disk. The real pipeline runs on it (config parsing, header
 * validation, {@code samplePlan}, {@code network}, which reads the sampled rows) and the source
 * records every range read.
 *
 * <p>Reported per shape and number of seeds: the distinct bytes read (config + header + the union
 * of the row ranges: exactly what the Hub source transfers, since its cache fetches only uncached
 * ranges, which is also what {@code bytes_read} reports for a local run), as a fraction of the
 * checkpoint; the bytes delivered to the reader (seeds re-read shared rows); and what a cache of
 * fixed 1 MiB blocks would transfer instead.
 *
 * <p>Run: {@code mvn -B -ntp -q -pl neuromfa-bench -am package -DskipTests &&
 * java -cp neuromfa-bench/target/benchmarks.jar org.neuromfa.bench.CheckpointBytesRead}
 */
public final class CheckpointBytesRead {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIB = 1 << 20;

    private CheckpointBytesRead() {
    }

    /** A Pythia-like shape. */
    static final class Shape {
        final String name;
        final int d;
        final int m;
        final int layers;
        final int heads;
        final int vocab;

        Shape(String name, int d, int m, int layers, int heads, int vocab) {
            this.name = name;
            this.d = d;
            this.m = m;
            this.layers = layers;
            this.heads = heads;
            this.vocab = vocab;
        }
    }

    static final List<Shape> SHAPES = List.of(
            new Shape("Pythia-160M", 768, 3072, 12, 12, 50304),
            new Shape("Pythia-1.4B", 2048, 8192, 24, 16, 50304),
            new Shape("Pythia-12B", 5120, 20480, 36, 40, 50688));

    public static void main(String[] args) throws IOException {
        int k = 32;
        System.out.println("| model | checkpoint | header | seeds | distinct bytes read (Hub transfer) | fraction"
                + " | bytes delivered to the reader | 1 MiB blocks would transfer | fraction |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Shape s : SHAPES) {
            for (int seeds : new int[] {1, 10}) {
                Measurement r = measure(s, seeds, k);
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %d | %s | %.5f%% | %s | %s | %.3f%% |%n",
                        s.name, human(r.total), human(r.header), seeds, human(r.distinct),
                        100.0 * r.distinct / r.total, human(r.delivered), human(r.blockBytes),
                        100.0 * r.blockBytes / r.total);
            }
        }
    }

    static final class Measurement {
        long total;
        long header;
        long distinct;
        long delivered;
        long blockBytes;
    }

    static Measurement measure(Shape s, int seeds, int k) throws IOException {
        byte[] config = config(s);
        Map<String, long[]> tensors = tensors(s);
        byte[] header = header(tensors);
        long dataLength = 0;
        for (long[] shape : tensors.values()) {
            dataLength += 2 * Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        }
        RecordingSource weights = new RecordingSource("model.safetensors", header, 8 + header.length + dataLength);
        VirtualFiles files = new VirtualFiles(config, weights);
        try (Checkpoint checkpoint = Checkpoint.open(files, null)) {
            Architecture arch = Architectures.detect(checkpoint);
            for (int seed = 0; seed < seeds; seed++) {
                arch.network(arch.samplePlan(seed, k), checkpoint.tensors());
            }
            Measurement m = new Measurement();
            m.total = weights.size();
            m.header = 8 + header.length;
            m.distinct = config.length + weights.distinctBytes();
            m.delivered = config.length + weights.bytesRead();
            m.blockBytes = config.length + weights.distinctBlocks(MIB) * MIB;
            return m;
        }
    }

    static byte[] config(Shape s) throws IOException {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("GPTNeoXForCausalLM");
        c.put("model_type", "gpt_neox");
        c.put("hidden_size", s.d);
        c.put("intermediate_size", s.m);
        c.put("num_hidden_layers", s.layers);
        c.put("num_attention_heads", s.heads);
        c.put("vocab_size", s.vocab);
        c.put("torch_dtype", "float16");
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(c);
    }

    /** Every tensor of GPTNeoXForCausalLM with its shape, sorted by name. */
    static Map<String, long[]> tensors(Shape s) {
        Map<String, long[]> t = new TreeMap<>();
        t.put("gpt_neox.embed_in.weight", new long[] {s.vocab, s.d});
        t.put("embed_out.weight", new long[] {s.vocab, s.d});
        t.put("gpt_neox.final_layer_norm.weight", new long[] {s.d});
        t.put("gpt_neox.final_layer_norm.bias", new long[] {s.d});
        for (int b = 0; b < s.layers; b++) {
            String p = "gpt_neox.layers." + b + ".";
            t.put(p + "input_layernorm.weight", new long[] {s.d});
            t.put(p + "input_layernorm.bias", new long[] {s.d});
            t.put(p + "post_attention_layernorm.weight", new long[] {s.d});
            t.put(p + "post_attention_layernorm.bias", new long[] {s.d});
            t.put(p + "attention.query_key_value.weight", new long[] {3L * s.d, s.d});
            t.put(p + "attention.query_key_value.bias", new long[] {3L * s.d});
            t.put(p + "attention.dense.weight", new long[] {s.d, s.d});
            t.put(p + "attention.dense.bias", new long[] {s.d});
            t.put(p + "mlp.dense_h_to_4h.weight", new long[] {s.m, s.d});
            t.put(p + "mlp.dense_h_to_4h.bias", new long[] {s.m});
            t.put(p + "mlp.dense_4h_to_h.weight", new long[] {s.d, s.m});
            t.put(p + "mlp.dense_4h_to_h.bias", new long[] {s.d});
        }
        return t;
    }

    /**
     * The safetensors header (specification: JSON of name to dtype, shape and data_offsets relative
     * to the data section, plus {@code __metadata__}; padded with spaces to a multiple of 8 bytes).
     */
    static byte[] header(Map<String, long[]> tensors) throws IOException {
        ObjectNode h = JSON.createObjectNode();
        h.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Map.Entry<String, long[]> e : tensors.entrySet()) {
            long bytes = 2 * Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
            ObjectNode t = h.putObject(e.getKey());
            t.put("dtype", "F16");
            ArrayNode shape = t.putArray("shape");
            for (long v : e.getValue()) {
                shape.add(v);
            }
            ArrayNode offsets = t.putArray("data_offsets");
            offsets.add(offset);
            offsets.add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(h);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    /** A safetensors file whose header is real and whose data reads as zeros; records every range read. */
    static final class RecordingSource implements ByteSource {
        private final String name;
        private final byte[] prefix;
        private final long size;
        private final TreeMap<Long, Long> ranges = new TreeMap<>();
        private long delivered;

        RecordingSource(String name, byte[] header, long size) {
            this.name = name;
            this.prefix = new byte[8 + header.length];
            ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            System.arraycopy(header, 0, prefix, 8, header.length);
            this.size = size;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public synchronized void read(long position, byte[] destination, int offset, int length) throws IOException {
            if (position < 0 || length < 0 || position > size - length) {
                throw new EOFException(name + ": read past the end");
            }
            Arrays.fill(destination, offset, offset + length, (byte) 0);
            if (position < prefix.length) {
                int n = (int) Math.min(length, prefix.length - position);
                System.arraycopy(prefix, (int) position, destination, offset, n);
            }
            delivered += length;
            if (length > 0) {
                ranges.merge(position, position + length, Math::max);
            }
        }

        @Override
        public synchronized long bytesRead() {
            return delivered;
        }

        /** Size of the union of the ranges read. */
        synchronized long distinctBytes() {
            long total = 0;
            long reach = Long.MIN_VALUE;
            for (Map.Entry<Long, Long> r : ranges.entrySet()) {
                long start = Math.max(r.getKey(), reach);
                if (r.getValue() > start) {
                    total += r.getValue() - start;
                    reach = r.getValue();
                }
            }
            return total;
        }

        /** Number of distinct {@code block}-sized aligned blocks the ranges touch. */
        synchronized long distinctBlocks(long block) {
            TreeSet<Long> blocks = new TreeSet<>();
            for (Map.Entry<Long, Long> r : ranges.entrySet()) {
                for (long b = r.getKey() / block; b <= (r.getValue() - 1) / block; b++) {
                    blocks.add(b);
                }
            }
            return blocks.size();
        }
    }

    /** The two files of the synthetic checkpoint. */
    static final class VirtualFiles implements CheckpointFiles {
        private final byte[] config;
        private final RecordingSource weights;

        VirtualFiles(byte[] config, RecordingSource weights) {
            this.config = config;
            this.weights = weights;
        }

        @Override
        public String label() {
            return "synthetic";
        }

        @Override
        public String location(String file) {
            return "synthetic/" + file;
        }

        @Override
        public List<String> list() {
            return new ArrayList<>(List.of("config.json", "model.safetensors"));
        }

        @Override
        public boolean exists(String file) {
            return list().contains(file);
        }

        @Override
        public ByteSource open(String file) throws IOException {
            if (!file.equals("model.safetensors")) {
                throw new IOException("no " + file);
            }
            return weights;
        }

        @Override
        public byte[] readAll(String file) throws IOException {
            if (!file.equals("config.json")) {
                throw new IOException("no " + file);
            }
            return config.clone();
        }
    }

    static String human(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Writes a synthetic Pythia checkpoint in the layout of Pythia's training-step branches on the Hub
 * ({@code EleutherAI/pythia-*}, {@code stepN}): {@code config.json} and {@code pytorch_model.bin}
 * as {@code torch.save} writes a state dict (or, with {@code --shards N}, N files
 * {@code pytorch_model-0000i-of-0000N.bin} and {@code pytorch_model.bin.index.json}, as the 12B
 * step branches are split).
 *
 * <p>The state dict is that of Transformers' {@code GPTNeoXForCausalLM}, in its order: the input
 * embedding, then per block the two layer norms, the attention's buffers ({@code attention.bias},
 * the causal mask {@code [1, 1, 2048, 2048]} stored as bytes, {@code attention.masked_bias}, a
 * float scalar, and {@code attention.rotary_emb.inv_freq}), the fused QKV, dense and MLP weights
 * with their biases, then the final layer norm and {@code embed_out}. Weights are f16 (or the
 * {@code --dtype}) with the same values, row for row, as {@link SyntheticCheckpoint} writes, so a
 * {@code .bin} and a {@code .safetensors} of one spec analyse to the same numbers.
 *
 * <p>The zip archive is laid out as PyTorch's writer lays it out (from inspecting files it wrote):
 * stored entries under one folder named after the file ({@code pytorch_model/data.pkl}, then the
 * storages {@code data/0}, {@code data/1}, ... in the string order of their keys, then
 * {@code version}), local headers with general-purpose flags 0x0808 (sizes in a data descriptor
 * after the data, UTF-8 names) and an extra field {@code FB} padding each entry's data to a
 * 64-byte boundary, zip64 records where sizes or offsets pass 4 GiB. The pickle (protocol 2)
 * memoises its globals as {@code torch.save} does and rebuilds tensors with
 * {@code torch._utils._rebuild_tensor_v2}.
 *
 * <p>With {@code --sparse-seeds S} only the weight rows the first S seeds' samples read are
 * written, the rest left as holes (zeros), as {@link SyntheticCheckpoint} does: a 12B-shaped
 * checkpoint then costs a few megabytes of disk. The entries' CRC-32 are still computed over the
 * bytes as stored (holes read as zeros).
 *
 * <p>Usage: {@code PythiaBinCheckpoint DIR [--pythia-12b] [--dtype F16] [--shards N]
 * [--sparse-seeds S --nodes-per-layer K] [--std 0.02] [--seed 0]}.
 */
public final class PythiaBinCheckpoint {
    static final int MAX_POSITIONS = 2048;
    static final int ALIGN = 64;

    private PythiaBinCheckpoint() {
    }

    /** One entry of the state dict and its storage. */
    private static final class Item {
        final String name;
        final String storageType;
        final long[] shape;
        final long[] stride;
        final long numel;
        final int elementBytes;
        /** A weight or vector of {@link SyntheticCheckpoint}'s, or null for a buffer. */
        final SyntheticCheckpoint.Tensor weights;
        final String buffer;
        String key;
        long dataOffset;

        Item(String name, String storageType, long[] shape, int elementBytes, SyntheticCheckpoint.Tensor weights,
             String buffer) {
            this.name = name;
            this.storageType = storageType;
            this.shape = shape;
            this.stride = contiguous(shape);
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            this.numel = n;
            this.elementBytes = elementBytes;
            this.weights = weights;
            this.buffer = buffer;
        }

        long bytes() {
            return numel * elementBytes;
        }
    }

    private static long[] contiguous(long[] shape) {
        long[] stride = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= shape[i];
        }
        return stride;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args[0].startsWith("-")) {
            System.err.println("usage: PythiaBinCheckpoint DIR [--pythia-12b] [--dtype F16|F32|BF16] [--shards N]"
                    + " [--sparse-seeds S] [--nodes-per-layer K] [--std S] [--seed N] [--layers L] [--hidden D]"
                    + " [--intermediate M] [--vocab V]");
            System.exit(2);
        }
        SyntheticCheckpoint.Spec spec = new SyntheticCheckpoint.Spec();
        int shards = 1;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--pythia-12b": {
                    SyntheticCheckpoint.Spec big = SyntheticCheckpoint.Spec.pythia12b(spec.dtype);
                    spec.hidden = big.hidden;
                    spec.intermediate = big.intermediate;
                    spec.layers = big.layers;
                    spec.vocab = big.vocab;
                    break;
                }
                case "--dtype": spec.dtype = args[++i].toUpperCase(Locale.ROOT); break;
                case "--shards": shards = Integer.parseInt(args[++i]); break;
                case "--sparse-seeds": spec.sparseSeeds = Integer.parseInt(args[++i]); break;
                case "--nodes-per-layer": spec.nodesPerLayer = Integer.parseInt(args[++i]); break;
                case "--std": spec.std = Double.parseDouble(args[++i]); break;
                case "--seed": spec.seed = Long.parseLong(args[++i]); break;
                case "--layers": spec.layers = Integer.parseInt(args[++i]); break;
                case "--hidden": spec.hidden = Integer.parseInt(args[++i]); break;
                case "--intermediate": spec.intermediate = Integer.parseInt(args[++i]); break;
                case "--vocab": spec.vocab = Integer.parseInt(args[++i]); break;
                default:
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
            }
        }
        long start = System.nanoTime();
        List<Path> files = write(Paths.get(args[0]), spec, shards);
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        System.err.printf(Locale.ROOT, "wrote %d file(s) in %s (%d bytes%s) in %.1f s%n", files.size(), args[0], total,
                spec.sparseSeeds > 0 ? ", sparse" : "", (System.nanoTime() - start) / 1e9);
    }

    /** Writes the checkpoint into {@code dir}; returns the weight files written. */
    public static List<Path> write(Path dir, SyntheticCheckpoint.Spec spec, int shards) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("config.json"), SyntheticCheckpoint.config(spec).getBytes(StandardCharsets.UTF_8));
        List<Item> items = items(spec);
        if (spec.sparseSeeds > 0) {
            List<SyntheticCheckpoint.Tensor> tensors = new ArrayList<>();
            for (Item it : items) {
                if (it.weights != null) {
                    tensors.add(it.weights);
                }
            }
            SyntheticCheckpoint.markSampledRows(spec, tensors);
        }
        List<List<Item>> parts = split(items, shards);
        List<Path> written = new ArrayList<>();
        Map<String, String> weightMap = new LinkedHashMap<>();
        long totalSize = 0;
        for (int s = 0; s < parts.size(); s++) {
            String name = shards == 1 ? "pytorch_model.bin"
                    : String.format(Locale.ROOT, "pytorch_model-%05d-of-%05d.bin", s + 1, shards);
            Path file = dir.resolve(name);
            writeArchive(file, parts.get(s), spec);
            written.add(file);
            for (Item it : parts.get(s)) {
                weightMap.put(it.name, name);
                totalSize += it.bytes();
            }
        }
        if (shards > 1) {
            StringBuilder index = new StringBuilder("{\n  \"metadata\": {\n    \"total_size\": " + totalSize
                    + "\n  },\n  \"weight_map\": {\n");
            int i = 0;
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                index.append("    \"").append(e.getKey()).append("\": \"").append(e.getValue()).append('"')
                        .append(++i < weightMap.size() ? ",\n" : "\n");
            }
            index.append("  }\n}\n");
            Files.writeString(dir.resolve("pytorch_model.bin.index.json"), index.toString());
        }
        return written;
    }

    /** Consecutive groups of items of about equal size, as Transformers shards a state dict. */
    private static List<List<Item>> split(List<Item> items, int shards) {
        long total = 0;
        for (Item it : items) {
            total += it.bytes();
        }
        List<List<Item>> out = new ArrayList<>();
        List<Item> current = new ArrayList<>();
        long size = 0;
        for (Item it : items) {
            if (!current.isEmpty() && size + it.bytes() > total / shards && out.size() < shards - 1) {
                out.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(it);
            size += it.bytes();
        }
        out.add(current);
        return out;
    }

    private static List<Item> items(SyntheticCheckpoint.Spec spec) {
        long d = spec.hidden;
        long m = spec.intermediate;
        String type = spec.dtype.equals("F32") ? "FloatStorage" : spec.dtype.equals("F16") ? "HalfStorage" : "BFloat16Storage";
        int bytes = SyntheticCheckpoint.elementBytes(spec.dtype);
        List<Item> out = new ArrayList<>();
        out.add(weight("gpt_neox.embed_in.weight", spec.vocab, d, type, bytes, spec.std));
        int rotary = (int) (d / Math.max(1, d / 64) * 0.25);
        for (int b = 0; b < spec.layers; b++) {
            String p = "gpt_neox.layers." + b + ".";
            out.add(vector(p + "input_layernorm.weight", d, type, bytes, spec.std));
            out.add(vector(p + "input_layernorm.bias", d, type, bytes, spec.std));
            out.add(vector(p + "post_attention_layernorm.weight", d, type, bytes, spec.std));
            out.add(vector(p + "post_attention_layernorm.bias", d, type, bytes, spec.std));
            out.add(new Item(p + "attention.bias", "ByteStorage", new long[] {1, 1, MAX_POSITIONS, MAX_POSITIONS}, 1,
                    null, "causal-mask"));
            out.add(new Item(p + "attention.masked_bias", "FloatStorage", new long[0], 4, null, "masked-bias"));
            out.add(new Item(p + "attention.rotary_emb.inv_freq", "FloatStorage", new long[] {rotary / 2}, 4, null,
                    "inv-freq"));
            out.add(weight(p + "attention.query_key_value.weight", 3 * d, d, type, bytes, spec.std));
            out.add(vector(p + "attention.query_key_value.bias", 3 * d, type, bytes, spec.std));
            out.add(weight(p + "attention.dense.weight", d, d, type, bytes, spec.std));
            out.add(vector(p + "attention.dense.bias", d, type, bytes, spec.std));
            out.add(weight(p + "mlp.dense_h_to_4h.weight", m, d, type, bytes, spec.std));
            out.add(vector(p + "mlp.dense_h_to_4h.bias", m, type, bytes, spec.std));
            out.add(weight(p + "mlp.dense_4h_to_h.weight", d, m, type, bytes, spec.std));
            out.add(vector(p + "mlp.dense_4h_to_h.bias", d, type, bytes, spec.std));
        }
        out.add(vector("gpt_neox.final_layer_norm.weight", d, type, bytes, spec.std));
        out.add(vector("gpt_neox.final_layer_norm.bias", d, type, bytes, spec.std));
        out.add(weight("embed_out.weight", spec.vocab, d, type, bytes, spec.std));
        for (int i = 0; i < out.size(); i++) {
            out.get(i).key = Integer.toString(i);
        }
        return out;
    }

    private static Item weight(String name, long rows, long columns, String type, int bytes, double std) {
        return new Item(name, type, new long[] {rows, columns}, bytes,
                new SyntheticCheckpoint.Tensor(name, rows, columns, false, std), null);
    }

    private static Item vector(String name, long length, String type, int bytes, double std) {
        return new Item(name, type, new long[] {length}, bytes,
                new SyntheticCheckpoint.Tensor(name, 1, length, true, std), null);
    }

    // ---------------------------------------------------------------------------------------------

    private static void writeArchive(Path file, List<Item> items, SyntheticCheckpoint.Spec spec) throws IOException {
        String folder = file.getFileName().toString().replaceAll("\\.bin$", "") + "/";
        Files.deleteIfExists(file);
        List<long[]> central = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"); FileChannel ch = raf.getChannel()) {
            long at = 0;
            // data.pkl, then the storages in the string order of their keys, then version.
            byte[] pickle = pickle(items);
            at = entry(ch, at, folder + "data.pkl", pickle.length, (c, pos) -> write(c, ByteBuffer.wrap(pickle), pos),
                    central, names);
            List<Item> byKey = new ArrayList<>(items);
            byKey.sort((a, b) -> a.key.compareTo(b.key));
            for (Item it : byKey) {
                at = entry(ch, at, folder + "data/" + it.key, it.bytes(), (c, pos) -> writeStorage(c, pos, it, spec),
                        central, names);
            }
            byte[] version = "3\n".getBytes(StandardCharsets.US_ASCII);
            at = entry(ch, at, folder + "version", version.length, (c, pos) -> write(c, ByteBuffer.wrap(version), pos),
                    central, names);
            List<Long> records = writeCentralDirectory(ch, at, central, names);
            fillCrcs(ch, central, records);
        }
    }

    private interface Body {
        void write(FileChannel channel, long position) throws IOException;
    }

    /** One stored entry: local header with FB padding, data, data descriptor. Returns the next offset. */
    private static long entry(FileChannel ch, long at, String name, long size, Body body, List<long[]> central,
                              List<String> names) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        long headerEnd = at + 30 + nameBytes.length + 4;
        int pad = (int) ((ALIGN - headerEnd % ALIGN) % ALIGN);
        ByteBuffer h = ByteBuffer.allocate(30 + nameBytes.length + 4 + pad).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0x04034b50).putShort((short) 0).putShort((short) 0x0808).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putInt(0).putInt(0).putInt(0)
                .putShort((short) nameBytes.length).putShort((short) (4 + pad)).put(nameBytes)
                .putShort((short) 0x4246).putShort((short) pad);
        h.position(h.limit()).flip();
        write(ch, h, at);
        long dataStart = at + h.limit();
        body.write(ch, dataStart);
        long dataEnd = dataStart + size;
        boolean zip64 = size >= 0xffffffffL;
        ByteBuffer dd = ByteBuffer.allocate(zip64 ? 24 : 16).order(ByteOrder.LITTLE_ENDIAN);
        // CRC filled in after all data is written (fillCrcs); sizes now.
        dd.putInt(0x08074b50).putInt(0);
        if (zip64) {
            dd.putLong(size).putLong(size);
        } else {
            dd.putInt((int) size).putInt((int) size);
        }
        dd.flip();
        write(ch, dd, dataEnd);
        central.add(new long[] {at, size, dataStart, 0, dataEnd + 4});
        names.add(name);
        return dataEnd + dd.limit();
    }

    private static void writeStorage(FileChannel ch, long position, Item it, SyntheticCheckpoint.Spec spec)
            throws IOException {
        if (it.buffer != null) {
            ByteBuffer b;
            switch (it.buffer) {
                case "causal-mask": {
                    byte[] row = new byte[MAX_POSITIONS];
                    for (int r = 0; r < MAX_POSITIONS; r++) {
                        java.util.Arrays.fill(row, 0, r + 1, (byte) 1);
                        write(ch, ByteBuffer.wrap(row), position + (long) r * MAX_POSITIONS);
                    }
                    return;
                }
                case "masked-bias":
                    b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(-1e9f);
                    break;
                default: {
                    b = ByteBuffer.allocate((int) it.bytes()).order(ByteOrder.LITTLE_ENDIAN);
                    long n = it.numel;
                    for (int i = 0; i < n; i++) {
                        b.putFloat((float) (1.0 / Math.pow(10000, (2.0 * i) / (2 * n))));
                    }
                }
            }
            b.flip();
            write(ch, b, position);
            return;
        }
        SyntheticCheckpoint.Tensor t = it.weights;
        ByteBuffer row = ByteBuffer.allocate((int) (t.columns * it.elementBytes)).order(ByteOrder.LITTLE_ENDIAN);
        for (long r = 0; r < t.rows; r++) {
            if (t.wanted != null && !t.wanted.get((int) r)) {
                continue;
            }
            row.clear();
            SyntheticCheckpoint.fillRow(row, spec, r, t);
            row.flip();
            write(ch, row, position + r * t.columns * it.elementBytes);
        }
    }

    /** CRC-32 of each entry's bytes as stored (holes read as zeros), into its data descriptor and central record. */
    private static void fillCrcs(FileChannel ch, List<long[]> central, List<Long> records) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 22);
        for (long[] e : central) {
            CRC32 crc = new CRC32();
            for (long at = e[2]; at < e[2] + e[1]; ) {
                buf.clear().limit((int) Math.min(buf.capacity(), e[2] + e[1] - at));
                int n = ch.read(buf, at);
                if (n <= 0) {
                    throw new IOException("short read while computing CRC");
                }
                buf.flip();
                crc.update(buf);
                at += n;
            }
            e[3] = crc.getValue();
            ByteBuffer v = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) e[3]);
            v.flip();
            write(ch, v, e[4]);
        }
        // Each central record's CRC field is 16 bytes into the record.
        for (int i = 0; i < central.size(); i++) {
            ByteBuffer v = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) central.get(i)[3]);
            v.flip();
            write(ch, v, records.get(i) + 16);
        }
    }

    /** Writes the central directory and end records; returns where each entry's central record starts. */
    private static List<Long> writeCentralDirectory(FileChannel ch, long at, List<long[]> central, List<String> names)
            throws IOException {
        List<Long> records = new ArrayList<>();
        long pos = at;
        for (int i = 0; i < central.size(); i++) {
            long[] e = central.get(i);
            byte[] name = names.get(i).getBytes(StandardCharsets.UTF_8);
            boolean zip64 = e[1] >= 0xffffffffL || e[0] >= 0xffffffffL;
            ByteBuffer r = ByteBuffer.allocate(46 + name.length + (zip64 ? 28 : 0)).order(ByteOrder.LITTLE_ENDIAN);
            r.putInt(0x02014b50).putShort((short) (zip64 ? 45 : 0)).putShort((short) (zip64 ? 45 : 0))
                    .putShort((short) 0x0808).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                    .putInt(0)
                    .putInt(zip64 ? -1 : (int) e[1]).putInt(zip64 ? -1 : (int) e[1])
                    .putShort((short) name.length).putShort((short) (zip64 ? 28 : 0)).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt(zip64 ? -1 : (int) e[0]).put(name);
            if (zip64) {
                r.putShort((short) 1).putShort((short) 24).putLong(e[1]).putLong(e[1]).putLong(e[0]);
            }
            r.flip();
            records.add(pos);
            write(ch, r, pos);
            pos += r.limit();
        }
        long size = pos - at;
        boolean zip64 = at >= 0xffffffffL || central.size() >= 0xffff;
        if (zip64) {
            ByteBuffer z = ByteBuffer.allocate(56 + 20).order(ByteOrder.LITTLE_ENDIAN);
            z.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                    .putLong(central.size()).putLong(central.size()).putLong(size).putLong(at);
            z.putInt(0x07064b50).putInt(0).putLong(pos).putInt(1);
            z.flip();
            write(ch, z, pos);
            pos += z.limit();
        }
        ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                .putShort((short) Math.min(central.size(), 0xffff)).putShort((short) Math.min(central.size(), 0xffff))
                .putInt(zip64 ? -1 : (int) size).putInt(zip64 ? -1 : (int) at).putShort((short) 0);
        end.flip();
        write(ch, end, pos);
        return records;
    }

    private static void write(FileChannel ch, ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) {
            position += ch.write(b, position);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** The state dict as {@code torch.save} pickles it (protocol 2, globals memoised). */
    static byte[] pickle(List<Item> items) {
        Pickle p = new Pickle();
        p.op(0x80).op(2);
        p.global("collections", "OrderedDict");
        p.op(')').op('R');
        p.op('(');
        for (Item it : items) {
            p.str(it.name);
            p.global("torch._utils", "_rebuild_tensor_v2");
            p.op('(');
            p.op('(').str("storage").global("torch", it.storageType).str(it.key).str("cpu").integer(it.numel).op('t');
            p.op('Q');
            p.integer(0);
            p.tuple(it.shape);
            p.tuple(it.stride);
            p.op(0x89);
            p.global("collections", "OrderedDict");
            p.op(')').op('R');
            p.op('t');
            p.op('R');
        }
        p.op('u');
        p.op('.');
        return p.bytes();
    }

    /** Pickle opcodes (values from Python's pickletools), with globals memoised as the pickler does. */
    private static final class Pickle {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        private final Map<String, Integer> memo = new LinkedHashMap<>();
        private int next;

        Pickle op(int opcode) {
            out.write(opcode);
            return this;
        }

        Pickle global(String module, String name) {
            String key = module + "\n" + name;
            Integer index = memo.get(key);
            if (index != null) {
                return get(index);
            }
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            memo.put(key, next);
            return put(next++);
        }

        private Pickle put(int index) {
            if (index < 256) {
                return op('q').op(index);
            }
            op('r');
            le(index, 4);
            return this;
        }

        private Pickle get(int index) {
            if (index < 256) {
                return op('h').op(index);
            }
            op('j');
            le(index, 4);
            return this;
        }

        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            le(b.length, 4);
            out.writeBytes(b);
            return this;
        }

        Pickle integer(long v) {
            if (v >= 0 && v < 256) {
                return op('K').op((int) v);
            }
            if (v >= 0 && v < 65536) {
                op('M');
                le(v, 2);
                return this;
            }
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                op('J');
                le(v, 4);
                return this;
            }
            op(0x8a).op(8);
            le(v, 8);
            return this;
        }

        Pickle tuple(long[] values) {
            if (values.length == 0) {
                return op(')');
            }
            if (values.length <= 3) {
                for (long v : values) {
                    integer(v);
                }
                return op(0x84 + values.length);
            }
            op('(');
            for (long v : values) {
                integer(v);
            }
            return op('t');
        }

        private void le(long v, int bytes) {
            for (int i = 0; i < bytes; i++) {
                out.write((int) (v >>> (8 * i)) & 0xff);
            }
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}

package org.neuromfa.tensor.onnx;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.source.ByteSource;
import org.neuromfa.source.ReadPlan;
import org.neuromfa.tensor.DType;
import org.neuromfa.tensor.ElementDecoder;
import org.neuromfa.tensor.HalfFloats;
import org.neuromfa.tensor.TensorInfo;
import org.neuromfa.tensor.TensorStore;

/**
 * The initializers (weights) of an ONNX model, and its graph's nodes. The protobuf is parsed here
 * directly, with the field numbers of {@code onnx.proto}: {@code ModelProto.graph = 7};
 * {@code GraphProto.node = 1}, {@code initializer = 5}; {@code NodeProto.attribute = 5} (only
 * single-integer attributes are kept: {@code AttributeProto.name = 1}, {@code i = 3}, {@code type = 20}); {@code TensorProto.dims = 1},
 * {@code data_type = 2}, {@code segment = 3}, {@code float_data = 4}, {@code int32_data = 5},
 * {@code int64_data = 7}, {@code name = 8}, {@code raw_data = 9}, {@code double_data = 10},
 * {@code uint64_data = 11}, {@code external_data = 13} (key/value pairs {@code location},
 * {@code offset}, {@code length}), {@code data_location = 14}.
 *
 * <p>Opening indexes the file once: node lists and tensor headers are decoded, tensor contents are
 * skipped. Rows of tensors stored contiguously ({@code raw_data}, packed {@code float_data}, external
 * files) are then read individually; tensors stored as varints ({@code int32_data} and friends) are
 * decoded whole on first use and kept.
 *
 * <p>Dynamically quantised weights, as ONNX Runtime's {@code quantize_dynamic} writes them, are
 * three initializers {@code X_quantized} (int8 or uint8), {@code X_scale} (float) and
 * {@code X_zero_point} (same type as the weight). They are presented as one tensor {@code X}
 * (reported with the stored type) whose rows read as {@code (q - zero_point) * scale}, as
 * {@code DequantizeLinear} computes it. A scale with one element is per tensor; a scale of rank 1
 * whose length is the weight's last dimension is per column (the axis {@code MatMulInteger}'s
 * weight zero points use). The companions are not listed separately.
 *
 * <p>Initializers of types that are never weights (strings, complex numbers, 4- and 8-bit floats)
 * and sparse initializers are not listed.
 */
public final class OnnxStore implements TensorStore {
    /** Opens the files that tensors with {@code data_location = EXTERNAL} name. */
    public interface ExternalFiles {
        ByteSource open(String location) throws IOException;
    }

    /** Tensors decoded whole must stay below this many elements (2^28: 1 GiB of f32). */
    static final long MAX_WHOLE_ELEMENTS = 1L << 28;

    /** Tensors of higher rank are refused (onnx.proto sets no limit; weights have two or three). */
    static final int MAX_RANK = 64;

    /**
     * At most this many nodes, node inputs and outputs, and initializers in a graph. Each costs a few bytes
     * of file but tens of bytes of memory once decoded, so without a limit a large file of empty
     * entries could exhaust memory; real graphs have a few hundred thousand.
     */
    static final int MAX_GRAPH_ENTRIES = 1 << 22;

    private final ByteSource source;
    private final ExternalFiles externalFiles;
    private final Map<String, ByteSource> externalSources = new ConcurrentHashMap<>();
    private final List<OnnxNode> nodes = new ArrayList<>();
    private final Map<String, Initializer> initializers = new LinkedHashMap<>();
    private final Map<String, Weight> weights = new LinkedHashMap<>();
    private final Map<String, String> inputToWeight = new LinkedHashMap<>();
    private final List<String> names;
    private final Map<String, float[]> wholeCache = new ConcurrentHashMap<>();
    private int graphEntries;

    /** One stored initializer, as indexed at open. */
    private static final class Initializer {
        String name = "";
        int dataType;
        DType dtype;
        long[] dims = new long[0];
        long elements;
        long messageStart;
        long messageEnd;
        /** Contiguous little-endian data: raw_data, one packed float_data field, or an external file. */
        long denseOffset = -1;
        long denseLength;
        DType denseType;
        boolean scattered;
        boolean external;
        String location;
        long externalOffset;
        long externalLength = -1;
    }

    /** A tensor as the store presents it: plain, or dequantised from int8/uint8. */
    private static final class Weight {
        final TensorInfo info;
        final Initializer values;
        final float[] scale;
        final float[] zeroPoint;

        Weight(TensorInfo info, Initializer values, float[] scale, float[] zeroPoint) {
            this.info = info;
            this.values = values;
            this.scale = scale;
            this.zeroPoint = zeroPoint;
        }
    }

    /** A model whose tensors are all inside {@code source}; external data is refused. */
    public OnnxStore(ByteSource source) throws IOException {
        this(source, null);
    }

    /** Opens and indexes {@code source}; the store takes ownership of it (and of external files it opens). */
    public OnnxStore(ByteSource source, ExternalFiles externalFiles) throws IOException {
        this.source = source;
        this.externalFiles = externalFiles;
        try {
            index();
            this.names = Collections.unmodifiableList(new ArrayList<>(weights.keySet()));
        } catch (IOException | RuntimeException e) {
            closeAll(e);
            throw e;
        }
    }

    private void index() throws IOException {
        ProtoReader r = new ProtoReader(source, 0, source.size());
        boolean graph = false;
        while (r.hasMore()) {
            int tag = r.readTag();
            if (ProtoReader.field(tag) == 7 && ProtoReader.wireType(tag) == ProtoReader.LENGTH) {
                long length = r.readLength();
                long outer = r.pushLimit(r.position() + length);
                readGraph(r);
                r.popLimit(outer);
                graph = true;
            } else {
                r.skipField(tag);
            }
        }
        if (!graph) {
            throw new NeuroMfaException(source.name(), "not an ONNX model: no graph (ModelProto field 7)");
        }
        List<Initializer> all = new ArrayList<>(initializers.values());
        for (Initializer init : all) {
            if (init.dtype == null || isCompanion(init.name)) {
                continue;
            }
            String base = init.name.endsWith("_quantized") ? init.name.substring(0, init.name.length() - "_quantized".length()) : null;
            Initializer scale = base == null ? null : initializers.get(base + "_scale");
            if (scale != null && (init.dtype == DType.I8 || init.dtype == DType.U8) && !weights.containsKey(base)) {
                addQuantized(base, init, scale, initializers.get(base + "_zero_point"));
            } else if (!weights.containsKey(init.name)) {
                weights.put(init.name, new Weight(new TensorInfo(init.name, init.dtype, init.dims), init, null, null));
                inputToWeight.put(init.name, init.name);
            }
        }
    }

    private boolean isCompanion(String name) {
        for (String suffix : new String[] {"_scale", "_zero_point"}) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                Initializer q = initializers.get(base + "_quantized");
                if (q != null && (q.dtype == DType.I8 || q.dtype == DType.U8) && initializers.containsKey(base + "_scale")) {
                    return true;
                }
            }
        }
        return false;
    }

    private void addQuantized(String base, Initializer q, Initializer scaleInit, Initializer zeroInit) throws IOException {
        float[] scale = whole(scaleInit);
        if (scaleInit.dataType != OnnxDataType.FLOAT) {
            throw new NeuroMfaException(source.name(), "quantised tensor '" + base + "': scale '" + scaleInit.name
                    + "' is not float32");
        }
        long last = q.dims.length == 0 ? 1 : q.dims[q.dims.length - 1];
        boolean perTensor = scale.length == 1 && scaleInit.dims.length <= 1;
        boolean perColumn = scaleInit.dims.length == 1 && scale.length == last;
        if (!perTensor && !perColumn) {
            throw new NeuroMfaException(source.name(), "quantised tensor '" + base + "': scale shape "
                    + Arrays.toString(scaleInit.dims) + " is neither one value nor one per column of "
                    + Arrays.toString(q.dims));
        }
        float[] zero = new float[scale.length];
        if (zeroInit != null) {
            float[] z = whole(zeroInit);
            if (z.length != scale.length) {
                throw new NeuroMfaException(source.name(), "quantised tensor '" + base + "': zero point has "
                        + z.length + " values, the scale " + scale.length);
            }
            zero = z;
        }
        weights.put(base, new Weight(new TensorInfo(base, q.dtype, q.dims), q, scale, zero));
        inputToWeight.put(q.name, base);
    }

    private void readGraph(ProtoReader r) throws IOException {
        while (r.hasMore()) {
            int tag = r.readTag();
            int field = ProtoReader.field(tag);
            if ((field == 1 || field == 5) && ProtoReader.wireType(tag) == ProtoReader.LENGTH) {
                long length = r.readLength();
                long start = r.position();
                long outer = r.pushLimit(start + length);
                countGraphEntry(start);
                if (field == 1) {
                    nodes.add(readNode(r));
                } else {
                    Initializer init = readTensor(r, start, start + length);
                    if (initializers.containsKey(init.name)) {
                        throw new NeuroMfaException(source.name(), "two initializers are named '" + init.name + "'");
                    }
                    initializers.put(init.name, init);
                }
                r.popLimit(outer);
            } else {
                r.skipField(tag);
            }
        }
    }

    private OnnxNode readNode(ProtoReader r) throws IOException {
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        String name = "";
        String op = "";
        String domain = "";
        Map<String, Long> attributes = new LinkedHashMap<>();
        while (r.hasMore()) {
            int tag = r.readTag();
            int field = ProtoReader.field(tag);
            if (ProtoReader.wireType(tag) == ProtoReader.LENGTH && field == 5) {
                countGraphEntry(r.position());
                long length = r.readLength();
                long outer = r.pushLimit(r.position() + length);
                readIntAttribute(r, attributes);
                r.popLimit(outer);
            } else if (ProtoReader.wireType(tag) == ProtoReader.LENGTH && (field == 1 || field == 2 || field == 3 || field == 4 || field == 7)) {
                if (field == 1 || field == 2) {
                    countGraphEntry(r.position());
                }
                String s = r.readString();
                switch (field) {
                    case 1: in.add(s); break;
                    case 2: out.add(s); break;
                    case 3: name = s; break;
                    case 4: op = s; break;
                    default: domain = s; break;
                }
            } else {
                r.skipField(tag);
            }
        }
        return new OnnxNode(name, op, domain, in, out, attributes);
    }

    /**
     * One {@code AttributeProto} ({@code name = 1}, {@code i = 3}, {@code type = 20}), kept only when it
     * is a single integer ({@code type} INT = 2, or absent with {@code i} present): the attributes
     * architectures need ({@code group} of Conv, {@code transB} of Gemm) are integers, and the others
     * (tensors, graphs, lists) are skipped without being decoded.
     */
    private static void readIntAttribute(ProtoReader r, Map<String, Long> attributes) throws IOException {
        String name = null;
        Long value = null;
        long type = -1;
        while (r.hasMore()) {
            int tag = r.readTag();
            int field = ProtoReader.field(tag);
            if (field == 1 && ProtoReader.wireType(tag) == ProtoReader.LENGTH) {
                name = r.readString();
            } else if (field == 3 && ProtoReader.wireType(tag) == ProtoReader.VARINT) {
                value = r.readVarint();
            } else if (field == 20 && ProtoReader.wireType(tag) == ProtoReader.VARINT) {
                type = r.readVarint();
            } else {
                r.skipField(tag);
            }
        }
        if (name != null && value != null && (type == 2 || type == -1)) {
            attributes.put(name, value);
        }
    }

    private Initializer readTensor(ProtoReader r, long start, long end) throws IOException {
        Initializer t = new Initializer();
        t.messageStart = start;
        t.messageEnd = end;
        List<Long> dims = new ArrayList<>();
        int floatFields = 0;
        boolean dataLocationExternal = false;
        while (r.hasMore()) {
            int tag = r.readTag();
            int field = ProtoReader.field(tag);
            int wire = ProtoReader.wireType(tag);
            switch (field) {
                case 1:
                    if (wire == ProtoReader.VARINT) {
                        addDim(dims, r.readVarint(), start);
                    } else if (wire == ProtoReader.LENGTH) {
                        long n = r.readLength();
                        long outer = r.pushLimit(r.position() + n);
                        while (r.hasMore()) {
                            addDim(dims, r.readVarint(), start);
                        }
                        r.popLimit(outer);
                    } else {
                        r.skipField(tag);
                    }
                    break;
                case 2:
                    t.dataType = wire == ProtoReader.VARINT ? (int) r.readVarint() : skipAndZero(r, tag);
                    break;
                case 3:
                    throw new NeuroMfaException(source.name(), "tensor at byte " + start
                            + " is stored in segments, which are not supported");
                case 4:
                    floatFields++;
                    if (wire == ProtoReader.LENGTH) {
                        long n = r.readLength();
                        t.denseOffset = r.position();
                        t.denseLength = n;
                        t.denseType = DType.F32;
                        r.skip(n);
                    } else {
                        t.scattered = true;
                        r.skipField(tag);
                    }
                    break;
                case 5: case 7: case 10: case 11:
                    t.scattered = true;
                    r.skipField(tag);
                    break;
                case 8:
                    if (wire == ProtoReader.LENGTH) {
                        t.name = r.readString();
                    } else {
                        r.skipField(tag);
                    }
                    break;
                case 9:
                    if (wire == ProtoReader.LENGTH) {
                        long n = r.readLength();
                        t.denseOffset = r.position();
                        t.denseLength = n;
                        t.denseType = null;
                        r.skip(n);
                    } else {
                        r.skipField(tag);
                    }
                    break;
                case 13:
                    if (wire == ProtoReader.LENGTH) {
                        readExternalEntry(r, t);
                    } else {
                        r.skipField(tag);
                    }
                    break;
                case 14:
                    dataLocationExternal = wire == ProtoReader.VARINT ? r.readVarint() == 1 : skipAndZero(r, tag) == 1;
                    break;
                default:
                    r.skipField(tag);
            }
        }
        String where = "tensor '" + t.name + "'";
        t.dims = new long[dims.size()];
        for (int i = 0; i < t.dims.length; i++) {
            t.dims[i] = dims.get(i);
        }
        t.elements = TensorInfo.elementCount(t.dims);
        if (t.elements < 0) {
            throw new NeuroMfaException(source.name(), where + ": invalid shape " + Arrays.toString(t.dims));
        }
        t.dtype = OnnxDataType.toDType(t.dataType);
        if (t.dtype == null) {
            return t;
        }
        if (floatFields > 1) {
            t.scattered = true;
        }
        if (dataLocationExternal) {
            if (t.location == null) {
                throw new NeuroMfaException(source.name(), where + ": data_location is EXTERNAL but external_data has no 'location'");
            }
            t.external = true;
            t.denseOffset = t.externalOffset;
            t.denseType = null;
            t.denseLength = t.externalLength >= 0 ? t.externalLength : t.elements * t.dtype.bytes();
            t.scattered = false;
        } else if (t.scattered) {
            t.denseOffset = -1;
        }
        if (t.denseOffset >= 0) {
            long elementBytes = t.denseType == DType.F32 ? 4 : t.dtype.bytes();
            if (t.denseType == DType.F32 && t.dtype != DType.F32) {
                throw new NeuroMfaException(source.name(), where + ": float_data holds data of type " + t.dtype);
            }
            if (t.elements > Long.MAX_VALUE / elementBytes || t.denseLength != t.elements * elementBytes) {
                throw new NeuroMfaException(source.name(), where + ": holds " + t.denseLength + " bytes of data, but shape "
                        + Arrays.toString(t.dims) + " of " + t.dtype + " needs " + t.elements * elementBytes);
            }
        } else if (!t.scattered && t.elements > 0) {
            throw new NeuroMfaException(source.name(), where + ": has shape " + Arrays.toString(t.dims) + " but no data");
        }
        return t;
    }

    private void countGraphEntry(long at) {
        if (++graphEntries > MAX_GRAPH_ENTRIES) {
            throw new NeuroMfaException(source.name(), "graph has more than " + MAX_GRAPH_ENTRIES
                    + " nodes, node inputs and outputs, and initializers (at byte " + at + ")");
        }
    }

    /** Dims are kept in a list while a tensor is read; a rank this high is no weight, and would only fill memory. */
    private void addDim(List<Long> dims, long dim, long tensorStart) {
        if (dims.size() >= MAX_RANK) {
            throw new NeuroMfaException(source.name(), "tensor at byte " + tensorStart + " has more than " + MAX_RANK
                    + " dimensions");
        }
        dims.add(dim);
    }

    private static int skipAndZero(ProtoReader r, int tag) throws IOException {
        r.skipField(tag);
        return 0;
    }

    private void readExternalEntry(ProtoReader r, Initializer t) throws IOException {
        long length = r.readLength();
        long outer = r.pushLimit(r.position() + length);
        String key = null;
        String value = null;
        while (r.hasMore()) {
            int tag = r.readTag();
            if (ProtoReader.wireType(tag) == ProtoReader.LENGTH && ProtoReader.field(tag) == 1) {
                key = r.readString();
            } else if (ProtoReader.wireType(tag) == ProtoReader.LENGTH && ProtoReader.field(tag) == 2) {
                value = r.readString();
            } else {
                r.skipField(tag);
            }
        }
        r.popLimit(outer);
        if (key == null || value == null) {
            return;
        }
        try {
            switch (key) {
                case "location": t.location = value; break;
                case "offset": t.externalOffset = Long.parseLong(value); break;
                case "length": t.externalLength = Long.parseLong(value); break;
                default: break;
            }
        } catch (NumberFormatException e) {
            throw new NeuroMfaException(source.name(), "tensor '" + t.name + "': external_data " + key + " '" + value
                    + "' is not a number");
        }
        if (t.externalOffset < 0 || t.externalLength < -1) {
            throw new NeuroMfaException(source.name(), "tensor '" + t.name + "': negative external_data " + key);
        }
    }

    /** The graph's nodes in file (topological) order. */
    public List<OnnxNode> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /**
     * The tensor of this store that a node input names: the initializer itself, or {@code X} for the
     * {@code X_quantized} input of a quantised weight; null when the input is not a weight.
     */
    public String tensorForInput(String input) {
        return inputToWeight.get(input);
    }

    /** Whether the tensor is stored quantised (its rows are dequantised when read). */
    public boolean isQuantized(String tensor) {
        Weight w = weights.get(tensor);
        return w != null && w.scale != null;
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public TensorInfo info(String tensor) {
        Weight w = weights.get(tensor);
        return w == null ? null : w.info;
    }

    @Override
    public float[] readRows(String tensor, int[] rows) throws IOException {
        Weight w = weights.get(tensor);
        if (w == null) {
            require(tensor);
        }
        Initializer t = w.values;
        DType type = t.dtype;
        boolean quantized = w.scale != null;
        if (!quantized && !type.isReadable()) {
            throw new NeuroMfaException(name(), "tensor '" + tensor + "' has type " + type
                    + " without a scale, which cannot be read as weights");
        }
        long columns = w.info.columns();
        if ((long) rows.length * columns > Integer.MAX_VALUE - 8) {
            throw new NeuroMfaException(name(), "tensor '" + tensor + "': " + rows.length + " rows of " + columns
                    + " elements are too many to read at once");
        }
        float[] whole = t.denseOffset < 0 ? whole(t) : null;
        // Opening the data checks that it lies inside its file, before anything of its claimed size is allocated.
        ByteSource data = whole == null ? dataSource(t) : null;
        long elementBytes = t.denseType == DType.F32 ? 4 : type.bytes();
        if (columns * elementBytes > Integer.MAX_VALUE - 8) {
            throw new NeuroMfaException(name(), "tensor '" + tensor + "': a row of " + columns + " elements is too long to read");
        }
        float[] out = new float[(int) (rows.length * columns)];
        byte[] buffer = whole == null ? new byte[(int) (columns * elementBytes)] : null;
        for (int i = 0; i < rows.length; i++) {
            int row = rows[i];
            if (row < 0 || row >= w.info.rows()) {
                throw new NeuroMfaException(name(), "tensor '" + tensor + "': row " + row + " out of range for shape "
                        + Arrays.toString(w.info.shape()));
            }
            int at = (int) (i * columns);
            if (whole != null) {
                System.arraycopy(whole, (int) (row * columns), out, at, (int) columns);
            } else {
                data.read(t.denseOffset + row * buffer.length, buffer, 0, buffer.length);
                decode(buffer, type, out, at, (int) columns);
            }
        }
        if (quantized) {
            dequantize(w, out, (int) columns);
        }
        return out;
    }

    /**
     * Rows of contiguously stored tensors are planned as the rows they are; a tensor stored as
     * varints is decoded whole on first use, so its whole message is planned (none once decoded).
     */
    @Override
    public void planRows(String tensor, int[] rows, ReadPlan plan) throws IOException {
        Weight w = weights.get(tensor);
        if (w == null) {
            require(tensor);
        }
        Initializer t = w.values;
        for (int row : rows) {
            if (row < 0 || row >= w.info.rows()) {
                throw new NeuroMfaException(name(), "tensor '" + tensor + "': row " + row + " out of range for shape "
                        + Arrays.toString(w.info.shape()));
            }
        }
        if (t.denseOffset < 0) {
            if (!wholeCache.containsKey(t.name)) {
                plan.add(source, t.messageStart, t.messageEnd - t.messageStart);
            }
            return;
        }
        ByteSource data = dataSource(t);
        long columns = w.info.columns();
        long rowBytes = columns * (t.denseType == DType.F32 ? 4 : t.dtype.bytes());
        for (int row : rows) {
            plan.add(data, t.denseOffset + row * rowBytes, rowBytes);
        }
    }

    private static void decode(byte[] buffer, DType type, float[] out, int at, int count) {
        if (type == DType.I8) {
            for (int c = 0; c < count; c++) {
                out[at + c] = buffer[c];
            }
        } else if (type == DType.U8) {
            for (int c = 0; c < count; c++) {
                out[at + c] = buffer[c] & 0xff;
            }
        } else if (type.isReadable()) {
            ElementDecoder.decode(buffer, 0, type, out, at, count);
        } else {
            for (int c = 0; c < count; c++) {
                out[at + c] = (float) ElementDecoder.element(buffer, c * type.bytes(), type);
            }
        }
    }

    private static void dequantize(Weight w, float[] values, int columns) {
        boolean perColumn = w.scale.length > 1;
        for (int i = 0; i < values.length; i++) {
            int c = perColumn ? i % columns : 0;
            values[i] = (values[i] - w.zeroPoint[c]) * w.scale[c];
        }
    }

    private ByteSource dataSource(Initializer t) throws IOException {
        if (!t.external) {
            return source;
        }
        ByteSource s = externalSources.get(t.location);
        if (s == null) {
            if (externalFiles == null) {
                throw new NeuroMfaException(source.name(), "tensor '" + t.name + "' keeps its data in the external file '"
                        + t.location + "', and no directory was given to look for it");
            }
            synchronized (externalSources) {
                s = externalSources.get(t.location);
                if (s == null) {
                    s = externalFiles.open(t.location);
                    externalSources.put(t.location, s);
                }
            }
        }
        if (t.denseOffset > s.size() - t.denseLength) {
            throw new NeuroMfaException(s.name(), "tensor '" + t.name + "': external data at offset " + t.denseOffset
                    + " of " + t.denseLength + " bytes runs past the end of the file (" + s.size() + " bytes)");
        }
        return s;
    }

    /** All elements of a tensor as f32 (integers converted exactly up to 2^24); cached for varint storage. */
    private float[] whole(Initializer t) throws IOException {
        float[] cached = wholeCache.get(t.name);
        if (cached != null) {
            return cached;
        }
        if (t.elements > MAX_WHOLE_ELEMENTS) {
            throw new NeuroMfaException(source.name(), "tensor '" + t.name + "' has " + t.elements
                    + " elements stored as varints; too many to decode at once");
        }
        float[] out = new float[(int) t.elements];
        if (t.denseOffset >= 0) {
            long elementBytes = t.denseType == DType.F32 ? 4 : t.dtype.bytes();
            byte[] bytes = new byte[(int) (t.elements * elementBytes)];
            dataSource(t).read(t.denseOffset, bytes, 0, bytes.length);
            decode(bytes, t.denseType == DType.F32 ? DType.F32 : t.dtype, out, 0, out.length);
        } else {
            decodeScattered(t, out);
        }
        wholeCache.put(t.name, out);
        return out;
    }

    private void decodeScattered(Initializer t, float[] out) throws IOException {
        ProtoReader r = new ProtoReader(source, t.messageStart, t.messageEnd);
        int n = 0;
        while (r.hasMore()) {
            int tag = r.readTag();
            int field = ProtoReader.field(tag);
            int wire = ProtoReader.wireType(tag);
            if (field != 4 && field != 5 && field != 7 && field != 10 && field != 11) {
                r.skipField(tag);
                continue;
            }
            long end = r.position();
            long outer = -1;
            if (wire == ProtoReader.LENGTH) {
                long length = r.readLength();
                outer = r.pushLimit(r.position() + length);
                end = r.position() + length;
            }
            do {
                if (n >= out.length) {
                    throw new NeuroMfaException(source.name(), "tensor '" + t.name + "' holds more values than its shape "
                            + Arrays.toString(t.dims) + " allows");
                }
                out[n++] = element(r, field, t.dtype);
            } while (outer >= 0 && r.position() < end);
            if (outer >= 0) {
                r.popLimit(outer);
            }
        }
        if (n != out.length) {
            throw new NeuroMfaException(source.name(), "tensor '" + t.name + "' holds " + n + " values, but its shape "
                    + Arrays.toString(t.dims) + " needs " + out.length);
        }
    }

    private static float element(ProtoReader r, int field, DType dtype) throws IOException {
        switch (field) {
            case 4:
                return Float.intBitsToFloat(r.readFixed32());
            case 5: {
                int v = (int) r.readVarint();
                if (dtype == DType.F16) {
                    return HalfFloats.f16ToFloat(v & 0xffff);
                }
                if (dtype == DType.BF16) {
                    return HalfFloats.bf16ToFloat(v & 0xffff);
                }
                return v;
            }
            case 7:
                return (float) r.readVarint();
            case 10:
                return (float) Double.longBitsToDouble(r.readFixed64());
            default: {
                long v = r.readVarint();
                // uint64: an unsigned value may use the sign bit of the long.
                return v >= 0 ? (float) v : (float) ((v >>> 1) * 2.0);
            }
        }
    }

    @Override
    public long bytesRead() {
        long n = source.bytesRead();
        for (ByteSource s : externalSources.values()) {
            n += s.bytesRead();
        }
        return n;
    }

    @Override
    public long bytesTotal() {
        long n = source.size();
        for (ByteSource s : externalSources.values()) {
            n += s.size();
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (ByteSource s : externalSources.values()) {
            try {
                s.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        source.close();
        if (first != null) {
            throw first;
        }
    }

    private void closeAll(Exception e) {
        try {
            close();
        } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
        }
    }
}

package org.neuromfa.tensor.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.base.Json;
import org.neuromfa.source.ByteSource;
import org.neuromfa.source.ReadPlan;
import org.neuromfa.tensor.DType;
import org.neuromfa.tensor.ElementDecoder;
import org.neuromfa.tensor.Submatrix;
import org.neuromfa.tensor.TensorInfo;
import org.neuromfa.tensor.TensorStore;

/**
 * One safetensors file. Format (from the safetensors specification): an unsigned little-endian
 * 64-bit header length N, N bytes of UTF-8 JSON mapping each tensor name to {@code dtype},
 * {@code shape} and {@code data_offsets [begin, end)} relative to the byte after the header, an
 * optional {@code __metadata__} entry, then the row-major little-endian data.
 *
 * <p>The header is validated completely when the file is opened, before anything is allocated from
 * its numbers, so a hostile or truncated file fails with a one-line message and never with an
 * out-of-memory error or a read past the end.
 */
public final class SafetensorsStore implements TensorStore {
    /** Headers are a few hundred kilobytes even for the largest models; refuse absurd claims early. */
    public static final long MAX_HEADER_BYTES = 100L << 20;

    private static final ObjectMapper JSON = Json.MAPPER;

    private final ByteSource source;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final List<String> names;

    private static final class Entry {
        final TensorInfo info;
        final long begin;

        Entry(TensorInfo info, long begin) {
            this.info = info;
            this.begin = begin;
        }
    }

    /** Opens and validates the header of {@code source}; the store takes ownership of the source. */
    public SafetensorsStore(ByteSource source) throws IOException {
        this.source = source;
        String file = source.name();
        long size = source.size();
        if (size < 8) {
            throw new NeuroMfaException(file, "truncated safetensors file: " + size + " bytes, too short for the 8-byte header length");
        }
        long headerLength = ByteBuffer.wrap(source.read(0, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 2 || headerLength > size - 8) {
            throw new NeuroMfaException(file, "safetensors header length " + Long.toUnsignedString(headerLength)
                    + " does not fit in the file (" + size + " bytes)");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new NeuroMfaException(file, "safetensors header length " + headerLength + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        byte[] headerBytes = source.read(8, (int) headerLength);
        this.dataStart = 8 + headerLength;
        long dataLength = size - dataStart;
        JsonNode header;
        try {
            header = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new NeuroMfaException(file, "safetensors header is not valid JSON: " + e.getOriginalMessage());
        }
        if (header == null || !header.isObject()) {
            throw new NeuroMfaException(file, "safetensors header is not a JSON object");
        }
        Map<String, Entry> map = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = header.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (name.equals("__metadata__")) {
                continue;
            }
            map.put(name, parseEntry(file, name, field.getValue(), dataLength));
        }
        this.entries = map;
        this.names = Collections.unmodifiableList(new ArrayList<>(map.keySet()));
    }

    private static Entry parseEntry(String file, String name, JsonNode node, long dataLength) {
        if (!node.isObject()) {
            throw new NeuroMfaException(file, "tensor '" + name + "': header entry is not an object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new NeuroMfaException(file, "tensor '" + name + "': missing dtype");
        }
        DType dtype = DType.fromSafetensors(dtypeNode.asText());
        if (dtype == null) {
            throw new NeuroMfaException(file, "tensor '" + name + "': unknown dtype '" + dtypeNode.asText() + "'");
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new NeuroMfaException(file, "tensor '" + name + "': missing shape");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode dim = shapeNode.get(i);
            if (!dim.canConvertToLong() || !dim.isIntegralNumber() || dim.asLong() < 0) {
                throw new NeuroMfaException(file, "tensor '" + name + "': invalid shape " + shapeNode);
            }
            shape[i] = dim.asLong();
        }
        long elements = TensorInfo.elementCount(shape);
        if (elements < 0 || elements > Long.MAX_VALUE / dtype.bytes()) {
            throw new NeuroMfaException(file, "tensor '" + name + "': shape " + shapeNode + " overflows");
        }
        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2
                || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()
                || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
            throw new NeuroMfaException(file, "tensor '" + name + "': invalid data_offsets");
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin || end > dataLength) {
            throw new NeuroMfaException(file, "tensor '" + name + "': data_offsets [" + begin + ", " + end
                    + "] lie outside the data section (" + dataLength + " bytes)");
        }
        if (end - begin != elements * dtype.bytes()) {
            throw new NeuroMfaException(file, "tensor '" + name + "': data_offsets [" + begin + ", " + end
                    + "] hold " + (end - begin) + " bytes but shape " + shapeNode + " of " + dtype + " needs "
                    + elements * dtype.bytes());
        }
        return new Entry(new TensorInfo(name, dtype, shape), begin);
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
        Entry e = entries.get(tensor);
        return e == null ? null : e.info;
    }

    @Override
    public float[] readRows(String tensor, int[] rows) throws IOException {
        return read(tensor, rows, null);
    }

    @Override
    public float[] readSubmatrix(String tensor, int[] rows, int[] columns) throws IOException {
        Entry e = entries.get(tensor);
        if (e != null) {
            Submatrix.checkColumns(this, tensor, columns, e.info.columns());
        }
        return read(tensor, rows, columns);
    }

    @Override
    public void planRows(String tensor, int[] rows, ReadPlan plan) {
        Entry e = entries.get(tensor);
        if (e == null) {
            require(tensor);
        }
        long rowBytes = e.info.columns() * e.info.dtype().bytes();
        for (int row : rows) {
            checkRow(e.info, tensor, row);
            plan.add(source, dataStart + e.begin + row * rowBytes, rowBytes);
        }
    }

    private void checkRow(TensorInfo info, String tensor, int row) {
        if (row < 0 || row >= info.rows()) {
            throw new NeuroMfaException(name(), "tensor '" + tensor + "': row " + row + " out of range for shape "
                    + java.util.Arrays.toString(info.shape()));
        }
    }

    /** Whole rows when {@code picked} is null, else only those columns of each row. */
    private float[] read(String tensor, int[] rows, int[] picked) throws IOException {
        Entry e = entries.get(tensor);
        if (e == null) {
            require(tensor);
        }
        TensorInfo info = e.info;
        if (!info.dtype().isReadable()) {
            throw new NeuroMfaException(name(), "tensor '" + tensor + "' has dtype " + info.dtype()
                    + ", which cannot be read as weights (supported: F32, F16, BF16, F64)");
        }
        long columns = info.columns();
        long rowBytes = columns * info.dtype().bytes();
        if ((long) rows.length * columns > Integer.MAX_VALUE - 8 || rowBytes > Integer.MAX_VALUE - 8) {
            throw new NeuroMfaException(name(), "tensor '" + tensor + "': " + rows.length + " rows of " + columns
                    + " elements are too many to read at once");
        }
        int width = picked == null ? (int) columns : picked.length;
        float[] out = new float[rows.length * width];
        byte[] buffer = new byte[(int) rowBytes];
        long[] positions = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int row = rows[i];
            checkRow(info, tensor, row);
            positions[i] = dataStart + e.begin + row * rowBytes;
        }
        source.prefetch(positions, (int) rowBytes);
        for (int i = 0; i < rows.length; i++) {
            int row = rows[i];
            source.read(dataStart + e.begin + row * rowBytes, buffer, 0, buffer.length);
            if (picked == null) {
                ElementDecoder.decode(buffer, 0, info.dtype(), out, i * width, width);
            } else {
                ElementDecoder.gather(buffer, 0, info.dtype(), picked, out, i * width);
            }
        }
        return out;
    }

    @Override
    public long bytesRead() {
        return source.bytesRead();
    }

    @Override
    public long bytesTotal() {
        return source.size();
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}

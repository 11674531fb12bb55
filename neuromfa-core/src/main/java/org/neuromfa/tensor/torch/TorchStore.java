package org.neuromfa.tensor.torch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.source.ByteSource;
import org.neuromfa.source.ReadPlan;
import org.neuromfa.tensor.DType;
import org.neuromfa.tensor.ElementDecoder;
import org.neuromfa.tensor.Submatrix;
import org.neuromfa.tensor.TensorInfo;
import org.neuromfa.tensor.TensorStore;

/**
 * A PyTorch checkpoint as written by {@code torch.save} (PyTorch 1.6 and later, for example
 * {@code pytorch_model.bin}): a zip archive whose single top folder (any name: {@code archive/},
 * {@code pytorch_model/}, ...) holds {@code data.pkl}, the pickled state dict, and one entry
 * {@code data/<key>} per storage with its raw little-endian elements.
 *
 * <p>The pickle is read by {@link Unpickler}, which accepts only an allow-list of globals and never
 * executes anything; tensors are views (offset, shape, strides) of storages that several tensors
 * may share. Storage bytes are read in place through the {@link ByteSource}, only for the rows that
 * are asked for; a row of a non-contiguous view is gathered element run by element run.
 */
public final class TorchStore implements TensorStore {
    /** The pickle of a state dict is about a hundred bytes per tensor; refuse absurd claims early. */
    public static final long MAX_PICKLE_BYTES = 16L << 20;

    private final ByteSource source;
    private final ZipArchive zip;
    private final String folder;
    private final Map<String, Tensor> tensors;
    private final List<String> names;

    private static final class Tensor {
        final TensorInfo info;
        final TensorView view;
        final ZipArchive.Entry entry;

        Tensor(TensorInfo info, TensorView view, ZipArchive.Entry entry) {
            this.info = info;
            this.view = view;
            this.entry = entry;
        }
    }

    /** Opens and validates the checkpoint in {@code source}; the store takes ownership of the source. */
    public TorchStore(ByteSource source) throws IOException {
        this.source = source;
        try {
            String file = source.name();
            if (source.size() >= 2 && (source.read(0, 1)[0] & 0xff) == 0x80) {
                throw new NeuroMfaException(file, "legacy (pre-zip) torch.save format, written by PyTorch before 1.6,"
                        + " is not supported; re-save it with a current PyTorch");
            }
            this.zip = ZipArchive.open(source);
            this.folder = findFolder(zip);
            checkByteOrder();
            ZipArchive.Entry pickleEntry = zip.entry(folder + "data.pkl");
            zip.requireStored(pickleEntry);
            byte[] pickle = zip.readEntry(pickleEntry, MAX_PICKLE_BYTES);
            Object root = new Unpickler(file, pickleEntry.name, pickle).load();
            this.tensors = describe(root);
            this.names = Collections.unmodifiableList(new ArrayList<>(tensors.keySet()));
            // The storages of weight matrices will be read; where each begins is in its local
            // header, which a remote file starts fetching now (a local one ignores this).
            List<ZipArchive.Entry> matrices = new ArrayList<>();
            for (Tensor t : tensors.values()) {
                if (t.info.rank() >= 2 && t.info.dtype().isReadable()) {
                    matrices.add(t.entry);
                }
            }
            zip.startFetchingLocalHeaders(matrices);
        } catch (IOException | RuntimeException e) {
            try {
                source.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The top folder holding {@code data.pkl}, with its slash: torch names it after the file, but any name is valid. */
    private static String findFolder(ZipArchive zip) {
        String found = null;
        for (String name : zip.names()) {
            int slash = name.indexOf('/');
            if (slash > 0 && name.indexOf('/', slash + 1) < 0 && name.endsWith("/data.pkl")
                    && name.length() == slash + "/data.pkl".length()) {
                if (found != null) {
                    throw new NeuroMfaException(zip.name(), "zip archive holds two pickles, '" + found + "data.pkl' and '"
                            + name + "'");
                }
                found = name.substring(0, slash + 1);
            }
        }
        if (found == null) {
            throw new NeuroMfaException(zip.name(), "not a PyTorch checkpoint: the zip archive has no <folder>/data.pkl");
        }
        return found;
    }

    /** PyTorch 2 records the byte order of the storages; all our decoders are little-endian. */
    private void checkByteOrder() throws IOException {
        ZipArchive.Entry e = zip.entry(folder + "byteorder");
        if (e != null) {
            String order = new String(zip.readEntry(e, 16), StandardCharsets.US_ASCII).trim();
            if (!order.equals("little")) {
                throw new NeuroMfaException(zip.name(), "storages are stored in '" + order
                        + "' byte order; only little-endian checkpoints are supported");
            }
        }
    }

    private Map<String, Tensor> describe(Object root) {
        if (!(root instanceof Map)) {
            throw new NeuroMfaException(name(), folder + "data.pkl does not hold a state dict (a dict of tensors)");
        }
        Map<String, Tensor> map = new LinkedHashMap<>();
        Map<String, ZipArchive.Entry> storageEntries = new LinkedHashMap<>();
        for (Map.Entry<?, ?> item : ((Map<?, ?>) root).entrySet()) {
            if (!(item.getValue() instanceof TensorView)) {
                continue; // plain values beside the tensors carry no weights
            }
            if (!(item.getKey() instanceof String)) {
                throw new NeuroMfaException(name(), "state dict has a tensor under a non-string key");
            }
            String tensorName = (String) item.getKey();
            TensorView view = (TensorView) item.getValue();
            StorageRef storage = view.storage;
            ZipArchive.Entry entry = storageEntries.get(storage.key);
            if (entry == null) {
                entry = zip.entry(folder + "data/" + storage.key);
                if (entry == null) {
                    throw new NeuroMfaException(name(), "tensor '" + tensorName + "': storage entry '" + folder + "data/"
                            + storage.key + "' is missing from the archive");
                }
                zip.requireStored(entry);
                long needed = storage.elements * storage.dtype.bytes();
                if (entry.size < needed) {
                    throw new NeuroMfaException(name(), "tensor '" + tensorName + "': storage entry '" + entry.name + "' holds "
                            + entry.size + " bytes but the pickle claims " + storage.elements + " elements of "
                            + storage.dtype + " (" + needed + " bytes)");
                }
                storageEntries.put(storage.key, entry);
            }
            map.put(tensorName, new Tensor(new TensorInfo(tensorName, storage.dtype, view.shape), view, entry));
        }
        if (map.isEmpty()) {
            throw new NeuroMfaException(name(), folder + "data.pkl holds no tensors at its top level (a state dict of tensors is"
                    + " expected; nested checkpoints such as {'model': state_dict} are not supported)");
        }
        return map;
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
        Tensor t = tensors.get(tensor);
        return t == null ? null : t.info;
    }

    /** Storage offset (in elements) of a tensor's first element, as the pickle gives it. */
    public long storageOffset(String tensor) {
        return tensor(tensor).view.offset;
    }

    /** Strides (in elements) of a tensor, as the pickle gives them. */
    public long[] strides(String tensor) {
        return tensor(tensor).view.stride.clone();
    }

    private Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            require(name);
        }
        return t;
    }

    @Override
    public float[] readRows(String tensor, int[] rows) throws IOException {
        Tensor t = tensor(tensor);
        DType dtype = t.info.dtype();
        if (!dtype.isReadable()) {
            throw new NeuroMfaException(name(), "tensor '" + tensor + "' has dtype " + dtype
                    + ", which cannot be read as weights (supported: F32, F16, BF16, F64)");
        }
        byte[] bytes = gather(t, rows);
        int count = (int) (rows.length * t.view.columns());
        float[] out = new float[count];
        ElementDecoder.decode(bytes, 0, dtype, out, 0, count);
        return out;
    }

    @Override
    public float[] readSubmatrix(String tensor, int[] rows, int[] columns) throws IOException {
        Tensor t = tensor(tensor);
        DType dtype = t.info.dtype();
        if (!dtype.isReadable()) {
            throw new NeuroMfaException(name(), "tensor '" + tensor + "' has dtype " + dtype
                    + ", which cannot be read as weights (supported: F32, F16, BF16, F64)");
        }
        long rowLength = t.view.columns();
        Submatrix.checkColumns(this, tensor, columns, rowLength);
        byte[] bytes = gather(t, rows);
        int rowBytes = (int) (rowLength * dtype.bytes());
        float[] out = new float[rows.length * columns.length];
        for (int i = 0; i < rows.length; i++) {
            ElementDecoder.gather(bytes, i * rowBytes, dtype, columns, out, i * columns.length);
        }
        return out;
    }

    /**
     * Every element of a tensor of any numeric type (integers included) as doubles, in row-major
     * order. Meant for small tensors: refused beyond what one array can hold.
     */
    public double[] readAll(String tensor) throws IOException {
        Tensor t = tensor(tensor);
        long rowCount = t.view.rows();
        if (rowCount > Integer.MAX_VALUE) {
            throw new NeuroMfaException(name(), "tensor '" + tensor + "' is too large to read whole");
        }
        int[] rows = new int[(int) rowCount];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        byte[] bytes = gather(t, rows);
        int size = t.info.dtype().bytes();
        double[] out = new double[bytes.length / size];
        for (int i = 0; i < out.length; i++) {
            out[i] = ElementDecoder.element(bytes, i * size, t.info.dtype());
        }
        return out;
    }

    /** The local headers of the tensors' storage entries, fetched together (see {@link ZipArchive#prefetchLocalHeaders}). */
    @Override
    public void prepare(java.util.Collection<String> names) throws IOException {
        List<ZipArchive.Entry> entries = new ArrayList<>();
        for (String n : names) {
            Tensor t = tensors.get(n);
            if (t != null) {
                entries.add(t.entry);
            }
        }
        zip.prefetchLocalHeaders(entries);
    }

    @Override
    public void planRows(String tensor, int[] rows, ReadPlan plan) throws IOException {
        Tensor t = tensor(tensor);
        long start = zip.dataStart(t.entry);
        int size = t.info.dtype().bytes();
        for (int row : rows) {
            if (row < 0 || row >= t.view.rows()) {
                checkRows(t, new int[] {row});
            }
            t.view.forEachRun(row, (first, length) -> plan.add(source, start + first * size, length * size));
        }
    }

    /** The raw bytes of the given rows in logical order, read run by run from the storage entry. */
    private byte[] gather(Tensor t, int[] rows) throws IOException {
        TensorView view = t.view;
        long columns = view.columns();
        int size = t.info.dtype().bytes();
        if ((long) rows.length * columns > (Integer.MAX_VALUE - 8) / size) {
            throw new NeuroMfaException(name(), "tensor '" + t.info.name() + "': " + rows.length + " rows of " + columns
                    + " elements are too many to read at once");
        }
        byte[] out = new byte[(int) (rows.length * columns * size)];
        if (out.length == 0) {
            checkRows(t, rows);
            return out;
        }
        long start = zip.dataStart(t.entry);
        int[] filled = {0};
        for (int row : rows) {
            if (row < 0 || row >= view.rows()) {
                checkRows(t, new int[] {row});
            }
            view.forEachRun(row, (first, length) -> {
                int n = (int) (length * size);
                source.read(start + first * size, out, filled[0], n);
                filled[0] += n;
            });
        }
        return out;
    }

    private void checkRows(Tensor t, int[] rows) {
        for (int row : rows) {
            if (row < 0 || row >= t.view.rows()) {
                throw new NeuroMfaException(name(), "tensor '" + t.info.name() + "': row " + row + " out of range for shape "
                        + Arrays.toString(t.view.shape));
            }
        }
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

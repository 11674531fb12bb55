package org.neuromfa.tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A content fingerprint of a checkpoint's weights, computed from the values an analysis reads: a
 * {@link TensorStore} view that passes reads through and adds up a hash of every value.
 *
 * <p>Definition (128 bits, written as 32 hex digits): two sums modulo 2<sup>64</sup>, over every
 * value read, of two 64-bit hashes of (tensor name, row, column, the value's f32 bits). A sum does
 * not depend on the order or the thread of the reads, and the reads of an analysis are fixed by its
 * seeds and options, so the same analysis of the same weights always gives the same fingerprint,
 * whatever the file format (a safetensors and a PyTorch file with the same weights agree). Two
 * revisions analysed with the same options and the same fingerprint used the same value for every
 * weight their networks contain; a difference in any of those values changes it.
 *
 * <p>{@link #ofValuesRead} hashes exactly the weights the networks use (k of a row's d elements, so
 * fingerprinting costs nothing next to reading the rows). {@link #ofWholeRows} widens every read to
 * whole rows and hashes all of them: a trajectory's small probe of each checkpoint uses it, so that
 * few rows still cover many weights. The two definitions differ and are never compared.
 *
 * <p>Not a cryptographic hash: it recognises identical and accidentally different weights, not
 * weights crafted to collide. It replaced SHA-256 over whole rows, which cost more CPU than the
 * rest of a short analysis.
 */
public final class WeightFingerprint extends ForwardingTensorStore {
    private final boolean wholeRows;
    private final AtomicLong low = new AtomicLong();
    private final AtomicLong high = new AtomicLong();

    private WeightFingerprint(TensorStore inner, boolean wholeRows) {
        super(inner);
        this.wholeRows = wholeRows;
    }

    /** Fingerprints the values read, as read. */
    public static WeightFingerprint ofValuesRead(TensorStore inner) {
        return new WeightFingerprint(inner, false);
    }

    /** Fingerprints whole rows: a submatrix read reads, and hashes, its rows whole. */
    public static WeightFingerprint ofWholeRows(TensorStore inner) {
        return new WeightFingerprint(inner, true);
    }

    @Override
    public float[] readSubmatrix(String tensor, int[] rows, int[] columns) throws IOException {
        if (!wholeRows) {
            return super.readSubmatrix(tensor, rows, columns);
        }
        long rowLength = require(tensor).columns();
        Submatrix.checkColumns(this, tensor, columns, rowLength);
        return Submatrix.pick(readRows(tensor, rows), (int) rowLength, rows.length, columns);
    }

    @Override
    protected float[] view(String tensor, int[] rows, int[] columns, float[] values) {
        if (rows.length == 0) {
            return values;
        }
        long name = nameHash(tensor);
        int width = values.length / rows.length;
        long sumLow = 0;
        long sumHigh = 0;
        for (int i = 0, v = 0; i < rows.length; i++) {
            long row = (long) rows[i] << 32;
            for (int j = 0; j < width; j++, v++) {
                long column = columns == null ? j : columns[j] & 0xffffffffL;
                // A bijection of the position for a given tensor, then two different mixes with the value.
                long position = mix(name ^ (row | column));
                long bits = Float.floatToRawIntBits(values[v]) & 0xffffffffL;
                sumLow += mix(position ^ (bits * 0x9E3779B97F4A7C15L));
                sumHigh += mix((position * 0xC2B2AE3D27D4EB4FL) ^ bits ^ 0x165667B19E3779F9L);
            }
        }
        low.addAndGet(sumLow);
        high.addAndGet(sumHigh);
        return values;
    }

    /** The fingerprint of the values read so far, as 32 hex digits. */
    public String fingerprint() {
        return String.format("%016x%016x", high.get(), low.get());
    }

    /** Whether {@code fingerprint} has this definition's form (32 lower-case hex digits), as stored results are checked. */
    public static boolean isCurrentForm(String fingerprint) {
        return fingerprint.length() == 32 && fingerprint.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    /** A 64-bit FNV-1a hash of the tensor's name (UTF-8), so that equal positions of different tensors differ. */
    private static long nameHash(String tensor) {
        long h = 0xcbf29ce484222325L;
        for (byte b : tensor.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    /** MurmurHash3's 64-bit finaliser (constants from its public description): a bijection that mixes all bits. */
    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
        x = (x ^ (x >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }
}

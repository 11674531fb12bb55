package org.neuromfa.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A content fingerprint of a checkpoint's weights, computed from the rows an analysis reads: a
 * {@link TensorStore} that passes reads through and remembers the SHA-256 of every distinct row.
 *
 * <p>The fingerprint is SHA-256 over, for each tensor in name order and each of its rows in index
 * order: the tensor name (UTF-8) and a zero byte, the row index (4 bytes big-endian), and the row's
 * digest, the SHA-256 of its values as little-endian f32. It depends only on which rows were read
 * and their values, not on the order or the thread that read them, nor on the file format (a
 * safetensors and a PyTorch file with the same weights agree). Two revisions analysed with the same
 * options and the same fingerprint read identical values for every sampled row; costly to fake by
 * accident, cheap to compute (the rows were read anyway).
 */
public final class RowFingerprint extends ForwardingTensorStore {
    private final Map<String, Map<Integer, byte[]>> rowDigests = new ConcurrentHashMap<>();

    public RowFingerprint(TensorStore inner) {
        super(inner);
    }

    @Override
    public float[] readRows(String tensor, int[] rows) throws IOException {
        float[] values = inner.readRows(tensor, rows);
        int columns = rows.length == 0 ? 0 : values.length / rows.length;
        Map<Integer, byte[]> digests = rowDigests.computeIfAbsent(tensor, t -> new ConcurrentHashMap<>());
        for (int i = 0; i < rows.length; i++) {
            int from = i * columns;
            digests.computeIfAbsent(rows[i], r -> digest(values, from, columns));
        }
        return values;
    }

    private static byte[] digest(float[] values, int from, int count) {
        ByteBuffer b = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
        // One bulk copy of the raw bits (the same bytes as putFloat element by element, which was
        // slow before the JIT's second tier).
        b.asFloatBuffer().put(values, from, count);
        MessageDigest sha = sha256();
        sha.update(b.array());
        return sha.digest();
    }

    /** The fingerprint of the rows read so far, as 64 hex digits. */
    public String fingerprint() {
        MessageDigest sha = sha256();
        Map<String, Map<Integer, byte[]>> sorted = new TreeMap<>(rowDigests);
        ByteBuffer index = ByteBuffer.allocate(4);
        for (Map.Entry<String, Map<Integer, byte[]>> t : sorted.entrySet()) {
            sha.update(t.getKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            for (Map.Entry<Integer, byte[]> r : new TreeMap<>(t.getValue()).entrySet()) {
                index.clear();
                index.putInt(r.getKey());
                sha.update(index.array());
                sha.update(r.getValue());
            }
        }
        StringBuilder hex = new StringBuilder(64);
        for (byte v : sha.digest()) {
            hex.append(Character.forDigit((v >> 4) & 15, 16)).append(Character.forDigit(v & 15, 16));
        }
        return hex.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** The store read through (wrapping stores expose what they wrap). */

}

package org.neuromfa.tensor.onnx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.source.ByteSource;

/**
 * A cursor over protocol-buffer wire format stored in a {@link ByteSource} (wire format as in the
 * protobuf encoding documentation: a tag is the varint {@code field << 3 | wireType}; wire type 0 is a
 * varint, 1 eight fixed bytes, 2 a varint length then that many bytes, 5 four fixed bytes; 3 and 4
 * are the deprecated groups). Bytes are fetched in small chunks on demand, so skipping a large
 * {@code raw_data} field costs nothing: only the bytes of the fields actually decoded are read.
 *
 * <p>Every message is read within a limit (its end); a length or a varint that runs past it is a
 * one-line {@link NeuroMfaException} naming the file and the byte position.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH = 2;
    static final int FIXED32 = 5;

    private static final int CHUNK = 8192;

    private final ByteSource source;
    private byte[] buffer = new byte[0];
    private long bufferStart;
    private long position;
    private long limit;

    ProtoReader(ByteSource source, long start, long end) {
        this.source = source;
        this.position = start;
        this.limit = end;
    }

    long position() {
        return position;
    }

    long limit() {
        return limit;
    }

    boolean hasMore() {
        return position < limit;
    }

    /** Restricts reading to {@code end} (the end of a nested message); returns the previous limit. */
    long pushLimit(long end) {
        long old = limit;
        limit = end;
        return old;
    }

    /** Leaves a nested message: continues after it, under the enclosing limit. */
    void popLimit(long oldLimit) {
        position = limit;
        limit = oldLimit;
    }

    private int readByte(String what) throws IOException {
        if (position >= limit) {
            throw malformed(position, "truncated " + what + ": the message ends at byte " + limit);
        }
        int index = (int) (position - bufferStart);
        if (position < bufferStart || index >= buffer.length) {
            int n = (int) Math.min(CHUNK, limit - position);
            buffer = source.read(position, n);
            bufferStart = position;
            index = 0;
        }
        position++;
        return buffer[index] & 0xff;
    }

    /** A varint of up to ten bytes, as an unsigned 64-bit value in a long. */
    long readVarint() throws IOException {
        long start = position;
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte("varint at byte " + start);
            value |= (long) (b & 0x7f) << shift;
            if (b < 0x80) {
                return value;
            }
        }
        throw malformed(start, "varint at byte " + start + " is longer than 10 bytes");
    }

    /** The next tag; checks that its wire type is one this reader can skip or decode. */
    int readTag() throws IOException {
        long at = position;
        long tag = readVarint();
        int wire = (int) (tag & 7);
        long field = tag >>> 3;
        if (field == 0 || field > 0x1fffffff) {
            throw malformed(at, "invalid field number " + field + " at byte " + at);
        }
        if (wire == 3 || wire == 4) {
            throw malformed(at, "field " + field + " at byte " + at + " uses the deprecated group wire type " + wire);
        }
        if (wire > 5) {
            throw malformed(at, "field " + field + " at byte " + at + " has invalid wire type " + wire);
        }
        return (int) tag;
    }

    static int field(int tag) {
        return tag >>> 3;
    }

    static int wireType(int tag) {
        return tag & 7;
    }

    /** The length of a length-delimited field; checks that its payload ends within the message. */
    long readLength() throws IOException {
        long at = position;
        long length = readVarint();
        if (length < 0 || length > limit - position) {
            throw malformed(at, "length " + Long.toUnsignedString(length) + " at byte " + at
                    + " runs past the end of its message (byte " + limit + ")");
        }
        return length;
    }

    void skip(long n) throws IOException {
        if (n > limit - position) {
            throw malformed(position, "truncated field at byte " + position + ": " + n + " bytes needed, the message ends at byte " + limit);
        }
        position += n;
    }

    /** Skips the payload of a field whose tag was just read. */
    void skipField(int tag) throws IOException {
        switch (wireType(tag)) {
            case VARINT:
                readVarint();
                break;
            case FIXED64:
                skip(8);
                break;
            case LENGTH:
                skip(readLength());
                break;
            case FIXED32:
                skip(4);
                break;
            default:
                throw new IllegalStateException("unchecked wire type");
        }
    }

    byte[] readBytes(int n) throws IOException {
        if (n > limit - position) {
            throw malformed(position, "truncated field at byte " + position + ": " + n + " bytes needed, the message ends at byte " + limit);
        }
        byte[] out = new byte[n];
        long inBuffer = bufferStart + buffer.length - position;
        if (position >= bufferStart && inBuffer >= n) {
            System.arraycopy(buffer, (int) (position - bufferStart), out, 0, n);
        } else {
            source.read(position, out, 0, n);
        }
        position += n;
        return out;
    }

    /** A length-delimited UTF-8 string (the tag was just read). */
    String readString() throws IOException {
        long length = readLength();
        if (length > 1 << 24) {
            throw malformed(position, "string of " + length + " bytes at byte " + position + " is implausibly long");
        }
        return new String(readBytes((int) length), StandardCharsets.UTF_8);
    }

    int readFixed32() throws IOException {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= readByte("fixed32 at byte " + position) << (8 * i);
        }
        return v;
    }

    long readFixed64() throws IOException {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) readByte("fixed64 at byte " + position) << (8 * i);
        }
        return v;
    }

    NeuroMfaException malformed(long at, String message) {
        return new NeuroMfaException(source.name(), "malformed ONNX protobuf: " + message);
    }
}

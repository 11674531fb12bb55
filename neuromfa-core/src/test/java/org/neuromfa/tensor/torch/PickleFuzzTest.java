package org.neuromfa.tensor.torch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.source.ByteSource;

/**
 * Seeded multi-byte mutations of a PyTorch state-dict pickle (TorchFuzzTest covers every single-byte
 * change): overwritten runs, inserted opcodes with hostile arguments (memo indices, lengths of
 * gigabytes, frames), truncations and duplicated slices. Every case reads or fails with a one-line
 * NeuroMfaException or an IOException; never another exception, an OutOfMemoryError, a stack
 * overflow or a hang. Also: self-referencing and deeply nested values used as dict keys.
 */
class PickleFuzzTest {
    private static final byte[] STORAGE = floats(64);
    private static final byte[] VALID = new TestPickle().proto(2).orderedDict().mark()
            .str("a.weight").tensor("FloatStorage", "0", 64, 0, new long[] {8, 8}, new long[] {8, 1})
            .str("b.weight").tensor("HalfStorage", "1", 32, 4, new long[] {4, 6}, new long[] {1, 4})
            .str("step").integer(7)
            .op('u').stop().bytes();

    /** Opcodes with arguments that claim much or point nowhere (opcode values from pickletools). */
    private static final byte[][] HOSTILE_OPS = {
        {'h', (byte) 0xff}, // BINGET 255
        {'j', (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}, // LONG_BINGET
        {'q', (byte) 0xff}, {'r', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, {(byte) 0x94}, // BINPUT, LONG_BINPUT, MEMOIZE
        {'X', (byte) 0xf0, (byte) 0xff, (byte) 0xff, 0x7f}, // BINUNICODE of 2 GiB
        {(byte) 0x8d, 0, 0, 0, 0, 0, 0, 0, 0x40}, // BINUNICODE8 of 2^62
        {(byte) 0x8e, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}, // BINBYTES8
        {(byte) 0x95, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0}, // FRAME of 4 GiB
        {(byte) 0x8b, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}, // LONG4 of 2 GiB
        {'B', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // BINBYTES
        {'T', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // BINSTRING
        {'(', '(', '(', '(', '(', '(', '(', '(', '('}, {')'}, {']'}, {'}'}, {'t'}, {'s'}, {'u'}, {'a'}, {'e'}, {'R'},
        {'0'}, {'1'}, {'2'}, {'.'}, {'Q'}, {'b'}, {(byte) 0x85}, {(byte) 0x86}, {(byte) 0x87},
        {'c', 'o', 's', '\n', 's', 'y', 's', 't', 'e', 'm', '\n'}, // GLOBAL os system: refused, never run
        {(byte) 0x93}, // STACK_GLOBAL
        {(byte) 0x80, 9}, // PROTO 9
    };

    static IntStream cases() {
        return IntStream.range(0, 3000);
    }

    private static byte[] floats(int n) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(0.5f + i);
        }
        return b.array();
    }

    private static byte[] archive(byte[] pickle) {
        return new TestZip().add("archive/data.pkl", pickle).add("archive/data/0", STORAGE)
                .add("archive/data/1", new byte[64]).bytes();
    }

    /** Bytes in memory. */
    private static final class Bytes implements ByteSource {
        private final byte[] data;

        Bytes(byte[] data) {
            this.data = data;
        }

        @Override
        public String name() {
            return "mutant.bin";
        }

        @Override
        public long size() {
            return data.length;
        }

        @Override
        public void read(long position, byte[] destination, int offset, int length) throws IOException {
            if (position < 0 || length < 0 || position > data.length - length) {
                throw new EOFException("mutant.bin: read past the end");
            }
            System.arraycopy(data, (int) position, destination, offset, length);
        }

        @Override
        public long bytesRead() {
            return 0;
        }
    }

    static byte[] mutate(long seed) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 3);
        byte[] b = VALID.clone();
        int at = 2 + r.nextInt(b.length - 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (r.nextInt(5)) {
            case 0: { // overwrite a run with random bytes
                for (int i = at; i < Math.min(b.length, at + 1 + r.nextInt(8)); i++) {
                    b[i] = (byte) r.nextInt(256);
                }
                return b;
            }
            case 1: { // insert one to three hostile opcodes
                out.write(b, 0, at);
                for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
                    out.writeBytes(HOSTILE_OPS[r.nextInt(HOSTILE_OPS.length)]);
                }
                out.write(b, at, b.length - at);
                return out.toByteArray();
            }
            case 2: // truncate
                return Arrays.copyOf(b, at);
            case 3: { // duplicate a slice in place
                int end = Math.min(b.length, at + 1 + r.nextInt(40));
                out.write(b, 0, end);
                out.write(b, at, b.length - at);
                return out.toByteArray();
            }
            default: { // delete a slice
                int end = Math.min(b.length, at + 1 + r.nextInt(20));
                out.write(b, 0, at);
                out.write(b, end, b.length - end);
                return out.toByteArray();
            }
        }
    }

    private static void openAndRead(byte[] zip) throws IOException {
        try (TorchStore store = new TorchStore(new Bytes(zip))) {
            for (String name : store.names()) {
                if (store.info(name).dtype().isReadable()) {
                    store.readRows(name, IntStream.range(0, (int) Math.min(64, store.info(name).rows())).toArray());
                }
            }
        }
    }

    @Test
    void unmutatedPickleReads() throws IOException {
        try (TorchStore store = new TorchStore(new Bytes(archive(VALID)))) {
            assertThat(store.names()).containsExactly("a.weight", "b.weight");
            assertThat(store.readRows("a.weight", new int[] {1})).containsExactly(8.5f, 9.5f, 10.5f, 11.5f, 12.5f, 13.5f,
                    14.5f, 15.5f);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    @Timeout(10)
    void mutatedPickleFailsCleanlyOrReads(int seed) {
        try {
            openAndRead(archive(mutate(seed)));
        } catch (NeuroMfaException | IOException expected) {
            assertThat(expected.getMessage()).isNotBlank().doesNotContain("\n");
        } catch (RuntimeException | Error e) {
            fail("case " + seed + " escaped with " + e, e);
        }
    }

    @Test
    @Timeout(10)
    void selfReferencingListInATupleKeyIsRefused() {
        // {(L,): 1} where L = []; L.append(L): hashing the key would recurse forever.
        byte[] pickle = new TestPickle().proto(2).op('}').op(']').op('q').op(0).op('h').op(0).op('a').op(0x85)
                .integer(1).op('s').stop().bytes();
        assertThatThrownBy(() -> openAndRead(archive(pickle))).isInstanceOf(NeuroMfaException.class)
                .hasMessageContaining("unsupported dict key");
    }

    @Test
    @Timeout(10)
    void deeplyNestedTupleKeyIsRefused() {
        // ((((...()...),),),) nested 200000 deep as a dict key.
        TestPickle p = new TestPickle().proto(2).op('}').op(')');
        for (int i = 0; i < 200_000; i++) {
            p.op(0x85);
        }
        byte[] pickle = p.integer(1).op('s').stop().bytes();
        assertThatThrownBy(() -> openAndRead(archive(pickle))).isInstanceOf(NeuroMfaException.class)
                .hasMessageContaining("unsupported dict key");
    }

    @Test
    @Timeout(10)
    void hashableTupleKeysStillWork() throws IOException {
        // {('x', 1, (2.5, None, True)): 1, 'w': tensor}: a tuple of hashable values is a fine key.
        byte[] pickle = new TestPickle().proto(2).op('}').mark()
                .mark().str("x").integer(1).mark().op('G').raw("\u0040\u0004\0\0\0\0\0\0").op('N').op(0x88).tuple().tuple()
                .integer(1)
                .str("w").tensor("FloatStorage", "0", 64, 0, new long[] {8, 8}, new long[] {8, 1})
                .op('u').stop().bytes();
        try (TorchStore store = new TorchStore(new Bytes(archive(pickle)))) {
            assertThat(store.names()).containsExactly("w");
        }
    }
}

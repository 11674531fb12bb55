package org.neuromfa.tensor.torch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.golden.Golden;
import org.neuromfa.source.LocalFileSource;

/**
 * Malformed and hostile archives and pickles fail with one-line messages naming the file, before
 * anything is allocated from the numbers they claim; unusual but valid layouts (zip64, padded local
 * headers, any folder name, permuted and expanded views) read correctly.
 */
class TorchMalformedTest {
    @TempDir
    Path tmp;

    private Path write(byte[] bytes) throws Exception {
        Path file = tmp.resolve("pytorch_model.bin");
        Files.write(file, bytes);
        return file;
    }

    private TorchStore open(byte[] bytes) throws Exception {
        return new TorchStore(new LocalFileSource(write(bytes)));
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertFails(byte[] bytes) {
        return assertThatThrownBy(() -> open(bytes).close())
                .isInstanceOf(NeuroMfaException.class)
                .hasMessageStartingWith(tmp.resolve("pytorch_model.bin").toString() + ": ")
                .hasMessageNotContaining("\n");
    }

    private static byte[] zip(byte[] pickle, Object... storages) {
        TestZip zip = new TestZip().add("archive/data.pkl", pickle);
        for (int i = 0; i < storages.length; i += 2) {
            zip.add("archive/data/" + storages[i], (byte[]) storages[i + 1]);
        }
        return zip.bytes();
    }

    private static byte[] floats(int n) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(i);
        }
        return b.array();
    }

    /** A state dict with one f32 tensor 'w' on storage '0'. */
    private static byte[] oneTensor(long numel, long offset, long[] shape, long[] stride) {
        return new TestPickle().proto(2).orderedDict().mark()
                .str("w").tensor("FloatStorage", "0", numel, offset, shape, stride)
                .op('u').stop().bytes();
    }

    private static byte[] views() throws Exception {
        return Files.readAllBytes(Golden.dir("torch-views").resolve("views.bin"));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void everyTruncationIsAOneLineError() throws Exception {
        byte[] full = views();
        for (int length = 0; length < full.length; length += 7) {
            byte[] cut = java.util.Arrays.copyOf(full, length);
            assertFails(cut);
        }
        assertFails(java.util.Arrays.copyOf(full, 1000)).hasMessageContaining("no end of central directory");
    }

    @Test
    void badCentralDirectoryHeader() throws Exception {
        byte[] bytes = views();
        int cd = indexOf(bytes, new byte[] {'P', 'K', 1, 2});
        bytes[cd + 3] = 9;
        assertFails(bytes).hasMessageContaining("bad central directory header");
    }

    @Test
    void centralDirectoryOutsideTheFile() throws Exception {
        byte[] bytes = views();
        int end = indexOf(bytes, new byte[] {'P', 'K', 5, 6});
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(end + 16, 0x7ffffff0);
        assertFails(bytes).hasMessageContaining("lies outside the file");
    }

    @Test
    void entryClaimingGigabytesIsRejectedBeforeAllocation() throws Exception {
        byte[] bytes = views();
        int cd = indexOf(bytes, new byte[] {'P', 'K', 1, 2}); // first entry: views/data.pkl
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(cd + 20, 0xC0000000);
        b.putInt(cd + 24, 0xC0000000);
        assertFails(bytes).hasMessageContaining("views/data.pkl").hasMessageContaining("claims 3221225472 bytes");
    }

    @Test
    void pickleValueClaimingGigabytes() throws Exception {
        byte[] pickle = new TestPickle().proto(2).op('X').raw("\u00f0\u00ff\u00ff\u00ff").raw("abc").stop().bytes();
        assertFails(zip(pickle)).hasMessageContaining("claims 4294967280 bytes");
    }

    @Test
    void unknownOpcode() throws Exception {
        assertFails(zip(new TestPickle().proto(2).op(0xff).stop().bytes()))
                .hasMessageContaining("unknown pickle opcode 0xff").hasMessageContaining("archive/data.pkl at offset 2");
    }

    @Test
    void truncatedPickle() throws Exception {
        byte[] full = oneTensor(4, 0, new long[] {2, 2}, new long[] {2, 1});
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 3);
        assertFails(zip(cut, "0", floats(4))).hasMessageContaining("archive/data.pkl");
        assertFails(zip(java.util.Arrays.copyOf(full, full.length - 1), "0", floats(4)))
                .hasMessageContaining("without a STOP opcode");
    }

    @Test
    void integerBeyond64Bits() throws Exception {
        byte[] pickle = new TestPickle().proto(2).op(0x8a).op(9).raw("123456789").stop().bytes();
        assertFails(zip(pickle)).hasMessageContaining("exceeds 64 bits");
    }

    @Test
    void compressedEntriesAreRefusedClearly() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(oneTensor(4, 0, new long[] {2, 2}, new long[] {2, 1}));
            z.closeEntry();
            z.putNextEntry(new ZipEntry("archive/data/0"));
            z.write(floats(4));
            z.closeEntry();
        }
        assertFails(out.toByteArray()).hasMessageContaining("'archive/data.pkl' is compressed (method 8)");
    }

    @Test
    void storageSmallerThanTheView() throws Exception {
        assertFails(zip(oneTensor(4, 0, new long[] {3, 3}, new long[] {3, 1}), "0", floats(4)))
                .hasMessageContaining("needs element 8").hasMessageContaining("is smaller");
        assertFails(zip(oneTensor(9, 0, new long[] {3, 3}, new long[] {3, 1}), "0", floats(4)))
                .hasMessageContaining("holds 16 bytes").hasMessageContaining("36 bytes");
    }

    @Test
    void shapeOverflowingALong() throws Exception {
        assertFails(zip(oneTensor(4, 0, new long[] {1L << 40, 1L << 40}, new long[] {1L << 40, 1}), "0", floats(4)))
                .hasMessageContaining("overflows");
        assertFails(zip(oneTensor(Long.MAX_VALUE / 2, 0, new long[] {2}, new long[] {1}), "0", floats(4)))
                .hasMessageContaining("claims");
    }

    @Test
    void missingStorageEntryAndMissingPickle() throws Exception {
        assertFails(zip(oneTensor(4, 0, new long[] {2, 2}, new long[] {2, 1})))
                .hasMessageContaining("'archive/data/0' is missing");
        assertFails(new TestZip().add("archive/other.pkl", new byte[] {1}).bytes())
                .hasMessageContaining("no <folder>/data.pkl");
    }

    @Test
    void legacyFormatAndNonZip() throws Exception {
        assertFails(new TestPickle().proto(2).op('K').op(1).stop().bytes()).hasMessageContaining("legacy");
        assertFails("not a zip file at all, just some text that is long enough".getBytes())
                .hasMessageContaining("not a zip archive");
    }

    @Test
    void bigEndianCheckpointsAreRefused() throws Exception {
        byte[] bytes = new TestZip().add("archive/data.pkl", oneTensor(4, 0, new long[] {2, 2}, new long[] {2, 1}))
                .add("archive/byteorder", "big".getBytes()).add("archive/data/0", floats(4)).bytes();
        assertFails(bytes).hasMessageContaining("'big' byte order");
    }

    @Test
    void zip64AndPaddedLocalHeadersWithAnyFolderName() throws Exception {
        byte[] bytes = new TestZip().zip64().localPadding(37)
                .add("my_weights/data.pkl", oneTensor(6, 0, new long[] {2, 3}, new long[] {3, 1}))
                .add("my_weights/byteorder", "little".getBytes())
                .add("my_weights/data/0", floats(6)).bytes();
        try (TorchStore store = open(bytes)) {
            assertThat(store.readRows("w", new int[] {1, 0})).containsExactly(3, 4, 5, 0, 1, 2);
        }
    }

    @Test
    void permutedAndExpandedViewsGatherByStride() throws Exception {
        // storage 0..23 seen as a contiguous (2, 3, 4) tensor t; 'p' = t.permute(2, 0, 1), shape (4, 2, 3),
        // strides (1, 12, 4); 'e' = a (3,) slice expanded to (2, 3) (stride 0); 'r' = t[1] sliced [:, 1:3].
        byte[] pickle = new TestPickle().proto(2).orderedDict().mark()
                .str("p").tensor("FloatStorage", "0", 24, 0, new long[] {4, 2, 3}, new long[] {1, 12, 4})
                .str("e").tensor("FloatStorage", "0", 24, 5, new long[] {2, 3}, new long[] {0, 1})
                .str("r").tensor("FloatStorage", "0", 24, 13, new long[] {3, 2}, new long[] {4, 1})
                .op('u').stop().bytes();
        try (TorchStore store = open(zip(pickle, "0", floats(24)))) {
            // p[a][b][c] = t[b][c][a] = 12 b + 4 c + a
            assertThat(store.readRows("p", new int[] {3})).containsExactly(3, 7, 11, 15, 19, 23);
            assertThat(store.readRows("p", new int[] {0, 1})).containsExactly(0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21);
            assertThat(store.readRows("e", new int[] {1, 0})).containsExactly(5, 6, 7, 5, 6, 7);
            assertThat(store.readRows("r", new int[] {2, 0})).containsExactly(21, 22, 13, 14);
            assertThat(store.readAll("r")).containsExactly(13, 14, 17, 18, 21, 22);
            assertThatThrownBy(() -> store.readRows("r", new int[] {3})).isInstanceOf(NeuroMfaException.class)
                    .hasMessageContaining("row 3 out of range");
        }
    }

    @Test
    void stateDictVariantsThatPyTorchWrites() throws Exception {
        // A plain dict (EMPTY_DICT + SETITEM), a tensor wrapped by _rebuild_parameter, a 4-argument
        // _rebuild_tensor, FRAME and MEMOIZE of protocol 4, and the state dict's '_metadata'
        // attached with BUILD, as pickling module.state_dict() produces.
        TestPickle p = new TestPickle().proto(4).op(0x95).raw("\0\0\0\0\0\0\0\0").op('}').op(0x94)
                .str("a").global("torch._utils", "_rebuild_parameter")
                .tensor("HalfStorage", "k", 4, 2, new long[] {2}, new long[] {1})
                .op(0x89).orderedDict().op(0x87).op('R').op('s')
                .str("b").global("torch._utils", "_rebuild_tensor").mark()
                .mark().str("storage").global("torch", "DoubleStorage").str("d").str("cuda:0").integer(2).tuple().op('Q')
                .integer(1).ints(1, 1).ints(1, 1).tuple().op('R').op('s')
                .str("step").integer(7).op('s');
        p.op('}').str("_metadata").op('}').str("").op('}').str("version").integer(1).op('s').op('s').op('s').op('b');
        byte[] pickle = p.stop().bytes();
        ByteBuffer half = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        half.putShort((short) 0x3c00).putShort((short) 0x4000).putShort((short) 0x4200).putShort((short) 0xc400);
        ByteBuffer doubles = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.5).putDouble(-2.25);
        try (TorchStore store = open(zip(pickle, "k", half.array(), "d", doubles.array()))) {
            assertThat(store.names()).containsExactly("a", "b");
            assertThat(store.readRows("a", new int[] {1, 0})).containsExactly(-4f, 3f); // f16 bits of 3.0 and -4.0
            assertThat(store.readRows("b", new int[] {0})).containsExactly(-2.25f);
            assertThat(store.info("b").shape()).containsExactly(1, 1);
        }
    }

    @Test
    void picklesThatAreNotStateDicts() throws Exception {
        assertFails(zip(new TestPickle().proto(2).op(']').stop().bytes())).hasMessageContaining("does not hold a state dict");
        assertFails(zip(new TestPickle().proto(2).op('}').str("model").op('}').op('s').stop().bytes()))
                .hasMessageContaining("holds no tensors at its top level");
    }
}

package org.neuromfa.tensor.torch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.golden.Golden;
import org.neuromfa.source.ByteSource;

/**
 * Every single-byte corruption of the fixture's pickle and zip directory either still reads or
 * fails with a {@link NeuroMfaException}: never another exception type, whatever the bytes claim.
 */
class TorchFuzzTest {

    /** Bytes in memory, for opening thousands of variants quickly. */
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
                throw new EOFException("read past the end");
            }
            System.arraycopy(data, (int) position, destination, offset, length);
        }

        @Override
        public long bytesRead() {
            return 0;
        }
    }

    private static void openAndReadEverything(byte[] bytes) throws IOException {
        try (TorchStore store = new TorchStore(new Bytes(bytes))) {
            for (String name : store.names()) {
                store.readAll(name);
            }
        } catch (NeuroMfaException expected) {
            assertThat(expected.getMessage()).doesNotContain("\n");
        }
    }

    @Test
    @Timeout(120)
    void pickleMutations() throws Exception {
        byte[] pickle;
        try (ZipFile z = new ZipFile(Golden.dir("torch-views").resolve("views.bin").toFile())) {
            ZipEntry e = z.getEntry("views/data.pkl");
            pickle = z.getInputStream(e).readAllBytes();
        }
        byte[] storage = new byte[120];
        int[] values = {0x00, 0x01, 0x7f, 0x80, 0xff, '(', 't', 'R', 'Q', 'h', 'q', 'e', 0x95};
        for (int at = 0; at < pickle.length; at++) {
            for (int v : values) {
                byte[] mutant = pickle.clone();
                mutant[at] = (byte) v;
                byte[] zip = new TestZip().add("views/data.pkl", mutant).add("views/data/0", storage)
                        .add("views/data/1", new byte[24]).add("views/data/2", new byte[12])
                        .add("views/data/3", new byte[40]).bytes();
                openAndReadEverything(zip);
            }
        }
    }

    @Test
    @Timeout(120)
    void archiveMutations() throws Exception {
        byte[] original = Files.readAllBytes(Golden.dir("torch-views").resolve("views.bin"));
        int[] values = {0x00, 0x01, 0x7f, 0x80, 0xff};
        // The central directory and the end records are the last part of the file.
        for (int at = 1208; at < original.length; at++) {
            for (int v : values) {
                byte[] mutant = original.clone();
                mutant[at] = (byte) v;
                openAndReadEverything(mutant);
            }
        }
        // Local headers of the pickle and the first storage.
        for (int at : new int[] {0, 4, 8, 14, 18, 22, 26, 27, 28, 29, 645, 671, 672, 673, 674}) {
            for (int v : values) {
                byte[] mutant = original.clone();
                mutant[at] = (byte) v;
                openAndReadEverything(mutant);
            }
        }
    }
}

package org.neuromfa.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileSourceTest {
    @TempDir
    Path dir;

    private byte[] content(Path file, int size) throws Exception {
        byte[] bytes = new byte[size];
        new SplittableRandom(7).nextBytes(bytes);
        Files.write(file, bytes);
        return bytes;
    }

    @Test
    void readsExactRangesWithTinyWindows() throws Exception {
        Path file = dir.resolve("f.bin");
        byte[] bytes = content(file, 10_000);
        try (LocalFileSource source = new LocalFileSource(file, 7)) {
            assertThat(source.read(1234, 999)).isEqualTo(Arrays.copyOfRange(bytes, 1234, 2233));
            assertThat(source.bytesRead()).isEqualTo(999);
            assertThatThrownBy(() -> source.read(9_999, 2)).isInstanceOf(EOFException.class)
                    .hasMessageContaining("past the end");
        }
    }

    @Test
    void readaheadChangesNoByteAndNoCount() throws Exception {
        Path file = dir.resolve("rows.bin");
        int rowBytes = 3_000;
        int rows = 400;
        byte[] bytes = content(file, rowBytes * rows);
        SplittableRandom random = new SplittableRandom(11);
        try (LocalFileSource source = new LocalFileSource(file)) {
            source.readAheadNow();
            assertThat(source.readingAhead()).isTrue();
            long expectedCount = 0;
            for (int round = 0; round < 20; round++) {
                long[] positions = new long[50];
                for (int i = 0; i < positions.length; i++) {
                    positions[i] = (long) random.nextInt(rows) * rowBytes;
                }
                source.prefetch(positions, rowBytes);
                for (long p : positions) {
                    assertThat(source.read(p, rowBytes))
                            .isEqualTo(Arrays.copyOfRange(bytes, (int) p, (int) p + rowBytes));
                    expectedCount += rowBytes;
                }
            }
            // Only the reader's own reads are counted: readahead fills the page cache, it delivers nothing.
            assertThat(source.bytesRead()).isEqualTo(expectedCount);
        }
    }

    @Test
    void readaheadOfAClosedFileIsHarmless() throws Exception {
        Path file = dir.resolve("closed.bin");
        content(file, 100_000);
        LocalFileSource source = new LocalFileSource(file);
        source.readAheadNow();
        long[] positions = new long[500];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = i * 100L;
        }
        source.prefetch(positions, 100);
        source.close();
        // Queued reads of the closed file fail quietly on the readahead threads; nothing reaches us.
        source.prefetch(positions, 100);
        assertThatThrownBy(() -> source.read(0, 10)).isInstanceOf(java.nio.channels.ClosedChannelException.class);
    }
}

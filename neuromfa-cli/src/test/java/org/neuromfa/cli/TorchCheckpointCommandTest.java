package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code analyze} on PyTorch checkpoints: the torch copies of the golden fixture give its numbers,
 * and a checkpoint whose pickle calls {@code os.system} (or another global outside the allow-list)
 * is refused with exit code 2, one line naming the global, and no side effect.
 */
class TorchCheckpointCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"single", "sharded"})
    void torchFixturesMatchTheSafetensorsNumbers(String layout) throws Exception {
        Path dir = Cli.golden("neox-d128-l4-normal-f32-torch").resolve(layout);
        JsonNode expected = JSON.readTree(Cli.golden("neox-d128-l4-normal-f32").resolve("expected.json").toFile());
        Path json = tmp.resolve("out.json");
        Cli r = Cli.run("analyze", dir.toString(), "--samples", "3",
                "--nodes-per-layer", expected.get("nodes_per_layer").asText(),
                "--threshold", expected.get("threshold").asText(), "--json", json.toString());
        assertThat(r.exitCode).as(r.toString()).isZero();
        GoldenComparison.assertSamplesMatch(expected, JSON.readTree(json.toFile()));
    }

    /** A stored-entry zip with {@code archive/data.pkl} holding {@code pickle}, as torch.save lays it out. */
    private static byte[] checkpoint(byte[] pickle) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            stored(zip, "archive/data.pkl", pickle);
            stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws Exception {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /** Protocol 2: GLOBAL 'module name', BINUNICODE argument, TUPLE1, REDUCE, STOP (opcodes from pickletools). */
    private static byte[] callPickle(String module, String name, String argument) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2);
        p.writeBytes(("c" + module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        byte[] arg = argument.getBytes(StandardCharsets.UTF_8);
        p.write('X');
        for (int i = 0; i < 4; i++) {
            p.write(arg.length >>> (8 * i) & 0xff);
        }
        p.writeBytes(arg);
        p.write(0x85);
        p.write('R');
        p.write('.');
        return p.toByteArray();
    }

    private Path hostileCheckpoint(byte[] pickle) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("hostile"));
        Files.copy(Cli.golden("neox-d128-l4-normal-f32-torch").resolve("single").resolve("config.json"),
                dir.resolve("config.json"));
        Files.write(dir.resolve("pytorch_model.bin"), checkpoint(pickle));
        return dir;
    }

    @Test
    void osSystemIsRefusedWithExitCode2AndNoSideEffect() throws Exception {
        Path marker = tmp.resolve("marker");
        Path dir = hostileCheckpoint(callPickle("os", "system", "touch " + marker));
        for (String model : new String[] {dir.toString(), dir.resolve("pytorch_model.bin").toString()}) {
            Cli r = Cli.run("analyze", model, "--samples", "1");
            assertThat(r.exitCode).as(r.toString()).isEqualTo(2);
            assertThat(r.err.trim()).as(r.toString()).doesNotContain("\n")
                    .startsWith("neuromfa: " + dir.resolve("pytorch_model.bin"))
                    .contains("'os.system'");
            assertThat(marker).doesNotExist();
        }
    }

    @Test
    void builtinsEvalIsRefused() throws Exception {
        Path marker = tmp.resolve("marker");
        Path dir = hostileCheckpoint(callPickle("builtins", "eval",
                "__import__('os').system('touch " + marker + "')"));
        Cli r = Cli.run("analyze", dir.toString(), "--samples", "1");
        assertThat(r.exitCode).as(r.toString()).isEqualTo(2);
        assertThat(r.err.trim()).doesNotContain("\n").contains("'builtins.eval'");
        assertThat(marker).doesNotExist();
    }
}

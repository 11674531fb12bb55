package org.neuromfa.tensor.torch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.source.LocalFileSource;

/**
 * Hostile pickles: every global outside the allow-list is refused by name, whichever opcode names
 * it, and nothing the pickle asks for happens (the payloads would create a marker file).
 */
class TorchPickleSafetyTest {
    @TempDir
    Path tmp;

    private Path marker() {
        return tmp.resolve("marker");
    }

    private TorchStore open(byte[] pickle) throws Exception {
        Path file = tmp.resolve("pytorch_model.bin");
        Files.write(file, new TestZip().add("archive/data.pkl", pickle).add("archive/version", "3\n".getBytes()).bytes());
        return new TorchStore(new LocalFileSource(file));
    }

    private void assertRefused(byte[] pickle, String global) {
        assertThatThrownBy(() -> open(pickle).close())
                .isInstanceOf(NeuroMfaException.class)
                .hasMessageContaining("refused pickle global '" + global + "'")
                .hasMessageContaining("archive/data.pkl")
                .hasMessageNotContaining("\n");
        assertThat(marker()).doesNotExist();
    }

    /** GLOBAL 'os system' + REDUCE of ('touch marker',): what {@code pickle.loads} would run as os.system. */
    @Test
    void osSystemIsRefusedAndNotRun() {
        byte[] pickle = new TestPickle().proto(2).global("os", "system")
                .str("touch " + marker()).op(0x85).op('R').stop().bytes();
        assertRefused(pickle, "os.system");
    }

    @ParameterizedTest
    @CsvSource({
        "posix, system", "nt, system", "builtins, eval", "builtins, exec", "builtins, getattr", "__builtin__, eval",
        "subprocess, Popen", "subprocess, check_output", "torch.storage, _load_from_bytes", "torch, load",
        "numpy.core.multiarray, _reconstruct", "torch.nn.modules.linear, Linear", "collections, defaultdict",
        "torch._utils, _rebuild_tensor_v3", "torch, Tensor"})
    void otherGlobalsAreRefusedByName(String module, String name) {
        byte[] pickle = new TestPickle().proto(2).global(module, name)
                .str("touch " + marker()).op(0x85).op('R').stop().bytes();
        assertRefused(pickle, module + "." + name);
    }

    @Test
    void stackGlobalOfProtocol4IsChecked() {
        byte[] pickle = new TestPickle().proto(4).str("builtins").str("eval").op(0x93)
                .str("__import__('os').system('touch " + marker() + "')").op(0x85).op('R').stop().bytes();
        assertRefused(pickle, "builtins.eval");
    }

    @Test
    void instAndObjOpcodesAreChecked() {
        byte[] inst = new TestPickle().mark().str("touch " + marker()).op('i').raw("os\nsystem\n").stop().bytes();
        assertRefused(inst, "os.system");
        byte[] obj = new TestPickle().proto(2).mark().global("subprocess", "Popen").str("touch").op('o').stop().bytes();
        assertRefused(obj, "subprocess.Popen");
    }

    @Test
    void aGlobalHiddenAfterValidTensorsIsRefused() {
        byte[] pickle = new TestPickle().proto(2).orderedDict().mark()
                .str("w").tensor("FloatStorage", "0", 4, 0, new long[] {2, 2}, new long[] {2, 1})
                .str("x").global("os", "system").str("touch " + marker()).op(0x85).op('R')
                .op('u').stop().bytes();
        assertRefused(pickle, "os.system");
    }

    @Test
    void aStorageTypeIsNotCallable() {
        byte[] pickle = new TestPickle().proto(2).global("torch", "FloatStorage").op(')').op('R').stop().bytes();
        assertThatThrownBy(() -> open(pickle)).isInstanceOf(NeuroMfaException.class)
                .hasMessageContaining("torch.FloatStorage cannot be called");
    }

    @Test
    void extensionRegistryAndTextPersistentIdsAreRefused() {
        assertThatThrownBy(() -> open(new TestPickle().proto(2).op(0x82).op(1).stop().bytes()))
                .isInstanceOf(NeuroMfaException.class).hasMessageContaining("EXT");
        assertThatThrownBy(() -> open(new TestPickle().op('P').raw("x\n").stop().bytes()))
                .isInstanceOf(NeuroMfaException.class).hasMessageContaining("PERSID");
    }
}

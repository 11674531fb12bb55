package org.neuromfa.tensor.torch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes pickle opcodes for tests (opcode values from Python's pickletools), so that a test can
 * spell out exactly the pickle it feeds the interpreter: a torch state dict, or a hostile one.
 */
final class TestPickle {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TestPickle op(int opcode) {
        out.write(opcode);
        return this;
    }

    TestPickle raw(String ascii) {
        out.writeBytes(ascii.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    TestPickle proto(int protocol) {
        return op(0x80).op(protocol);
    }

    /** GLOBAL 'module name' (protocol 0 text form). */
    TestPickle global(String module, String name) {
        return op('c').raw(module + "\n" + name + "\n");
    }

    TestPickle str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        TestZip.le(out, b.length, 4);
        out.writeBytes(b);
        return this;
    }

    TestPickle integer(long v) {
        if (v >= 0 && v < 256) {
            return op('K').op((int) v);
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            op('J');
            TestZip.le(out, v, 4);
            return this;
        }
        op(0x8a).op(8);
        TestZip.le(out, v, 8);
        return this;
    }

    TestPickle mark() {
        return op('(');
    }

    TestPickle tuple() {
        return op('t');
    }

    /** A tuple of integers. */
    TestPickle ints(long... values) {
        mark();
        for (long v : values) {
            integer(v);
        }
        return tuple();
    }

    /** {@code collections.OrderedDict()} as torch writes it. */
    TestPickle orderedDict() {
        return global("collections", "OrderedDict").op(')').op('R');
    }

    /**
     * {@code _rebuild_tensor_v2(storage, offset, shape, stride, False, OrderedDict())} with the
     * storage given by its persistent id.
     */
    TestPickle tensor(String storageType, String key, long numel, long offset, long[] shape, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2");
        mark();
        mark().str("storage").global("torch", storageType).str(key).str("cpu").integer(numel).tuple();
        op('Q');
        integer(offset);
        ints(shape);
        ints(stride);
        op(0x89);
        orderedDict();
        tuple();
        return op('R');
    }

    TestPickle stop() {
        return op('.');
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}

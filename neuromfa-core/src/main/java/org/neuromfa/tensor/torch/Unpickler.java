package org.neuromfa.tensor.torch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.tensor.DType;

/**
 * A pickle interpreter that only describes: it reads the pickle of a PyTorch state dict into inert
 * Java values and never runs, imports or instantiates anything the file names.
 *
 * <p>Opcodes follow Python's {@code pickletools} documentation (protocols 0 to 5). Values come out
 * as {@code null} (None), {@link Boolean}, {@link Long}, {@link Double}, {@link String},
 * {@code byte[]}, {@link ArrayList} (lists and sets), {@link PyTuple}, {@link LinkedHashMap}
 * (dicts and OrderedDicts), {@link TorchGlobal}, {@link StorageRef} and {@link TensorView}. A global
 * must be on the allow-list of {@link TorchGlobal}; any other one stops the interpreter at the
 * opcode that names it, with the global's {@code module.name} in the message. Calls (REDUCE,
 * NEWOBJ, INST, OBJ) are understood only for the allowed globals, and for them the interpreter
 * builds its own description (an empty dict, a {@link TensorView}) from the arguments.
 */
final class Unpickler {
    /** Opcodes named as in pickletools. */
    private static final int MARK = '(', STOP = '.', POP = '0', POP_MARK = '1', DUP = '2', FLOAT = 'F', INT = 'I',
            BININT = 'J', BININT1 = 'K', LONG = 'L', BININT2 = 'M', NONE = 'N', PERSID = 'P', BINPERSID = 'Q',
            REDUCE = 'R', STRING = 'S', BINSTRING = 'T', SHORT_BINSTRING = 'U', UNICODE = 'V', BINUNICODE = 'X',
            APPEND = 'a', BUILD = 'b', GLOBAL = 'c', DICT = 'd', EMPTY_DICT = '}', APPENDS = 'e', GET = 'g',
            BINGET = 'h', INST = 'i', LONG_BINGET = 'j', LIST = 'l', EMPTY_LIST = ']', OBJ = 'o', PUT = 'p',
            BINPUT = 'q', LONG_BINPUT = 'r', SETITEM = 's', TUPLE = 't', EMPTY_TUPLE = ')', SETITEMS = 'u',
            BINFLOAT = 'G', PROTO = 0x80, NEWOBJ = 0x81, EXT1 = 0x82, EXT2 = 0x83, EXT4 = 0x84, TUPLE1 = 0x85,
            TUPLE2 = 0x86, TUPLE3 = 0x87, NEWTRUE = 0x88, NEWFALSE = 0x89, LONG1 = 0x8a, LONG4 = 0x8b,
            BINBYTES = 'B', SHORT_BINBYTES = 'C', SHORT_BINUNICODE = 0x8c, BINUNICODE8 = 0x8d, BINBYTES8 = 0x8e,
            EMPTY_SET = 0x8f, ADDITEMS = 0x90, FROZENSET = 0x91, NEWOBJ_EX = 0x92, STACK_GLOBAL = 0x93,
            MEMOIZE = 0x94, FRAME = 0x95, BYTEARRAY8 = 0x96, NEXT_BUFFER = 0x97, READONLY_BUFFER = 0x98;

    private static final int MAX_PROTOCOL = 5;

    private final String file;
    private final String entry;
    private final byte[] data;
    private int pos;
    private int opcodeAt;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    /** Storages by key, so that every tensor on one storage sees the same description. */
    private final Map<String, StorageRef> storages = new LinkedHashMap<>();

    /**
     * @param file  the checkpoint file, for messages
     * @param entry the pickle's name inside the archive, for messages
     */
    Unpickler(String file, String entry, byte[] data) {
        this.file = file;
        this.entry = entry;
        this.data = data;
    }

    /** Runs the pickle to its STOP opcode and returns the value it produced. */
    Object load() {
        while (true) {
            if (pos >= data.length) {
                throw fail("pickle ends without a STOP opcode (truncated)");
            }
            opcodeAt = pos;
            int op = data[pos++] & 0xff;
            switch (op) {
                case PROTO: {
                    int protocol = u8();
                    if (protocol > MAX_PROTOCOL) {
                        throw fail("unsupported pickle protocol " + protocol);
                    }
                    break;
                }
                case FRAME:
                    // Frames only group opcodes for buffered reading; the whole pickle is in memory.
                    fixed(8);
                    break;
                case STOP: {
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw fail("STOP with " + stack.size() + " values on the stack");
                    }
                    return stack.get(0);
                }
                case MARK:
                    marks.add(stack.size());
                    break;
                case POP:
                    pop();
                    break;
                case POP_MARK:
                    popMark();
                    break;
                case DUP:
                    push(peek());
                    break;
                case NONE:
                    push(null);
                    break;
                case NEWTRUE:
                    push(Boolean.TRUE);
                    break;
                case NEWFALSE:
                    push(Boolean.FALSE);
                    break;
                case INT: {
                    String s = line();
                    if (s.equals("01")) {
                        push(Boolean.TRUE);
                    } else if (s.equals("00")) {
                        push(Boolean.FALSE);
                    } else {
                        push(parseLong(s));
                    }
                    break;
                }
                case LONG: {
                    String s = line();
                    push(parseLong(s.endsWith("L") ? s.substring(0, s.length() - 1) : s));
                    break;
                }
                case BININT:
                    push((long) (int) littleEndian(4));
                    break;
                case BININT1:
                    push((long) u8());
                    break;
                case BININT2:
                    push(littleEndian(2));
                    break;
                case LONG1:
                    push(signedInteger(u8()));
                    break;
                case LONG4:
                    push(signedInteger(length(littleEndian(4) & 0xffffffffL)));
                    break;
                case FLOAT:
                    try {
                        push(Double.parseDouble(line()));
                    } catch (NumberFormatException e) {
                        throw fail("malformed FLOAT");
                    }
                    break;
                case BINFLOAT: {
                    long bits = 0;
                    for (int i = 0; i < 8; i++) {
                        bits = bits << 8 | (fixed(1)[0] & 0xff);
                    }
                    push(Double.longBitsToDouble(bits));
                    break;
                }
                case BINUNICODE:
                    push(utf8(length(littleEndian(4) & 0xffffffffL)));
                    break;
                case SHORT_BINUNICODE:
                    push(utf8(u8()));
                    break;
                case BINUNICODE8:
                    push(utf8(length(littleEndian(8))));
                    break;
                case UNICODE:
                    push(line());
                    break;
                case STRING: {
                    String s = line();
                    if (s.length() < 2 || s.charAt(0) != s.charAt(s.length() - 1) || (s.charAt(0) != '\'' && s.charAt(0) != '"')) {
                        throw fail("malformed STRING");
                    }
                    push(s.substring(1, s.length() - 1));
                    break;
                }
                case BINSTRING:
                    push(latin1(length(littleEndian(4) & 0xffffffffL)));
                    break;
                case SHORT_BINSTRING:
                    push(latin1(u8()));
                    break;
                case BINBYTES:
                    push(fixed(length(littleEndian(4) & 0xffffffffL)));
                    break;
                case SHORT_BINBYTES:
                    push(fixed(u8()));
                    break;
                case BINBYTES8:
                case BYTEARRAY8:
                    push(fixed(length(littleEndian(8))));
                    break;
                case EMPTY_TUPLE:
                    push(PyTuple.EMPTY);
                    break;
                case TUPLE:
                    push(new PyTuple(popMark().toArray()));
                    break;
                case TUPLE1:
                case TUPLE2:
                case TUPLE3: {
                    int n = op - TUPLE1 + 1;
                    Object[] items = new Object[n];
                    for (int i = n - 1; i >= 0; i--) {
                        items[i] = pop();
                    }
                    push(new PyTuple(items));
                    break;
                }
                case EMPTY_LIST:
                    push(new ArrayList<>());
                    break;
                case LIST:
                    push(new ArrayList<>(popMark()));
                    break;
                case APPEND: {
                    Object value = pop();
                    list(peek()).add(value);
                    break;
                }
                case APPENDS: {
                    List<Object> items = popMark();
                    list(peek()).addAll(items);
                    break;
                }
                case EMPTY_SET:
                    push(new ArrayList<>());
                    break;
                case ADDITEMS: {
                    List<Object> items = popMark();
                    list(peek()).addAll(items);
                    break;
                }
                case FROZENSET:
                    push(new ArrayList<>(popMark()));
                    break;
                case EMPTY_DICT:
                    push(new LinkedHashMap<>());
                    break;
                case DICT: {
                    List<Object> items = popMark();
                    Map<Object, Object> dict = new LinkedHashMap<>();
                    putPairs(dict, items);
                    push(dict);
                    break;
                }
                case SETITEM: {
                    Object value = pop();
                    Object key = pop();
                    put(dict(peek()), key, value);
                    break;
                }
                case SETITEMS: {
                    List<Object> items = popMark();
                    putPairs(dict(peek()), items);
                    break;
                }
                case PUT:
                    memo(parseLong(line()), peek());
                    break;
                case BINPUT:
                    memo(u8(), peek());
                    break;
                case LONG_BINPUT:
                    memo(littleEndian(4) & 0xffffffffL, peek());
                    break;
                case MEMOIZE:
                    memo(memo.size(), peek());
                    break;
                case GET:
                    push(recall(parseLong(line())));
                    break;
                case BINGET:
                    push(recall(u8()));
                    break;
                case LONG_BINGET:
                    push(recall(littleEndian(4) & 0xffffffffL));
                    break;
                case GLOBAL: {
                    String module = line();
                    String name = line();
                    push(allowed(module, name));
                    break;
                }
                case STACK_GLOBAL: {
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String) || !(name instanceof String)) {
                        throw fail("STACK_GLOBAL needs two strings");
                    }
                    push(allowed((String) module, (String) name));
                    break;
                }
                case INST: {
                    TorchGlobal g = allowed(line(), line());
                    push(call(g, new PyTuple(popMark().toArray())));
                    break;
                }
                case OBJ: {
                    List<Object> items = popMark();
                    if (items.isEmpty()) {
                        throw fail("OBJ without a class");
                    }
                    Object cls = items.remove(0);
                    push(call(callable(cls), new PyTuple(items.toArray())));
                    break;
                }
                case REDUCE: {
                    Object args = pop();
                    Object callable = pop();
                    push(call(callable(callable), tuple(args)));
                    break;
                }
                case NEWOBJ: {
                    Object args = pop();
                    Object cls = pop();
                    push(call(callable(cls), tuple(args)));
                    break;
                }
                case NEWOBJ_EX: {
                    Object kwargs = pop();
                    Object args = pop();
                    Object cls = pop();
                    if (!(kwargs instanceof Map) || !((Map<?, ?>) kwargs).isEmpty()) {
                        throw fail("NEWOBJ_EX with keyword arguments is not supported");
                    }
                    push(call(callable(cls), tuple(args)));
                    break;
                }
                case BUILD: {
                    Object state = pop();
                    Object target = peek();
                    // A state dict carries its '_metadata' (per-module versions) as instance state.
                    if (!(target instanceof Map) || !(state instanceof Map || state == null)) {
                        throw fail("BUILD (set object state) is only supported on dicts, not on " + describe(target));
                    }
                    break;
                }
                case BINPERSID:
                    push(persistentLoad(pop()));
                    break;
                case PERSID:
                    throw fail("text persistent ids (PERSID) are not used by torch.save and are refused");
                case EXT1:
                case EXT2:
                case EXT4:
                    throw fail("extension-registry globals (EXT opcodes) are refused");
                case NEXT_BUFFER:
                case READONLY_BUFFER:
                    throw fail("out-of-band buffers are not supported");
                default:
                    throw fail(String.format("unknown pickle opcode 0x%02x", op));
            }
        }
    }

    private TorchGlobal allowed(String module, String name) {
        TorchGlobal g = TorchGlobal.find(module, name);
        if (g == null) {
            throw new NeuroMfaException(file, "refused pickle global '" + module + "." + name + "' in " + entry
                    + " (offset " + opcodeAt + "): only collections.OrderedDict, torch._utils tensor rebuild functions and"
                    + " torch storage types are allowed; nothing from the file was run");
        }
        return g;
    }

    private TorchGlobal callable(Object value) {
        if (!(value instanceof TorchGlobal)) {
            throw fail("call of " + describe(value) + ", which is not a callable global");
        }
        return (TorchGlobal) value;
    }

    /** What calling an allowed global would produce, described without running anything. */
    private Object call(TorchGlobal g, PyTuple args) {
        switch (g) {
            case ORDERED_DICT:
                if (args.size() != 0) {
                    throw fail("OrderedDict with constructor arguments is not supported");
                }
                return new LinkedHashMap<>();
            case REBUILD_TENSOR:
            case REBUILD_TENSOR_V2: {
                int min = g == TorchGlobal.REBUILD_TENSOR ? 4 : 6;
                int max = g == TorchGlobal.REBUILD_TENSOR ? 4 : 7;
                if (args.size() < min || args.size() > max) {
                    throw fail(g + " called with " + args.size() + " arguments");
                }
                Object storage = args.get(0);
                if (!(storage instanceof StorageRef)) {
                    throw fail(g + " needs a storage, got " + describe(storage));
                }
                long offset = integer(args.get(1), "storage offset");
                long[] shape = longs(args.get(2), "size");
                long[] stride = longs(args.get(3), "stride");
                try {
                    return new TensorView((StorageRef) storage, offset, shape, stride);
                } catch (IllegalArgumentException e) {
                    throw fail("tensor " + e.getMessage());
                }
            }
            case REBUILD_PARAMETER: {
                if (args.size() != 3 || !(args.get(0) instanceof TensorView)) {
                    throw fail(g + " needs (tensor, requires_grad, hooks)");
                }
                return args.get(0);
            }
            default:
                throw fail("the storage type " + g + " cannot be called");
        }
    }

    /** torch.save's persistent id for a storage: ('storage', storage_type, key, location, numel). */
    private StorageRef persistentLoad(Object pid) {
        if (!(pid instanceof PyTuple) || ((PyTuple) pid).size() != 5 || !"storage".equals(((PyTuple) pid).get(0))) {
            throw fail("persistent id " + describe(pid) + " is not a torch storage reference");
        }
        PyTuple t = (PyTuple) pid;
        Object type = t.get(1);
        if (!(type instanceof TorchGlobal) || !((TorchGlobal) type).isStorageType()) {
            throw fail("persistent id names " + describe(type) + ", not a storage type");
        }
        if (!(t.get(2) instanceof String) || !(t.get(3) instanceof String)) {
            throw fail("persistent id has a malformed key or location");
        }
        String key = (String) t.get(2);
        DType dtype = ((TorchGlobal) type).storageType;
        long numel = integer(t.get(4), "storage size");
        if (numel < 0 || numel > Long.MAX_VALUE / dtype.bytes()) {
            throw fail("storage '" + key + "' claims " + numel + " elements");
        }
        StorageRef known = storages.get(key);
        if (known == null) {
            known = new StorageRef(key, dtype, numel);
            storages.put(key, known);
        } else if (known.dtype != dtype || known.elements != numel) {
            throw fail("storage '" + key + "' is described twice, as " + known + " and as " + dtype + " x " + numel);
        }
        return known;
    }

    private long integer(Object value, String what) {
        if (!(value instanceof Long)) {
            throw fail(what + " is " + describe(value) + ", not an integer");
        }
        return (Long) value;
    }

    private long[] longs(Object value, String what) {
        if (!(value instanceof PyTuple)) {
            throw fail(what + " is " + describe(value) + ", not a tuple");
        }
        PyTuple t = (PyTuple) value;
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = integer(t.get(i), what + " element");
        }
        return out;
    }

    private PyTuple tuple(Object value) {
        if (!(value instanceof PyTuple)) {
            throw fail("call arguments are " + describe(value) + ", not a tuple");
        }
        return (PyTuple) value;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object value) {
        if (!(value instanceof ArrayList)) {
            throw fail("append to " + describe(value) + ", which is not a list");
        }
        return (List<Object>) value;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object value) {
        if (!(value instanceof Map)) {
            throw fail("item assignment to " + describe(value) + ", which is not a dict");
        }
        return (Map<Object, Object>) value;
    }

    private void putPairs(Map<Object, Object> dict, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw fail("odd number of items for a dict");
        }
        for (int i = 0; i < items.size(); i += 2) {
            put(dict, items.get(i), items.get(i + 1));
        }
    }

    private void put(Map<Object, Object> dict, Object key, Object value) {
        // Only keys with value equality in Java; Python would refuse lists and dicts as keys anyway.
        if (!hashable(key, 0)) {
            throw fail("unsupported dict key " + describe(key));
        }
        dict.put(key, value);
    }

    /** Tuples nested deeper than this are refused as keys: hashing them recurses once per level. */
    private static final int MAX_KEY_DEPTH = 32;

    /**
     * Whether a key can be hashed and compared safely: scalars, and tuples of them (as in Python, a
     * tuple holding a list or dict is unhashable; refusing those also keeps a list that contains
     * itself from sending the hash into endless recursion).
     */
    private static boolean hashable(Object key, int depth) {
        if (key == null || key instanceof String || key instanceof Long || key instanceof Double || key instanceof Boolean) {
            return true;
        }
        if (!(key instanceof PyTuple) || depth >= MAX_KEY_DEPTH) {
            return false;
        }
        PyTuple t = (PyTuple) key;
        for (int i = 0; i < t.size(); i++) {
            if (!hashable(t.get(i), depth + 1)) {
                return false;
            }
        }
        return true;
    }

    private void memo(long index, Object value) {
        if (index < 0) {
            throw fail("negative memo index");
        }
        memo.put(index, value);
    }

    private Object recall(long index) {
        if (!memo.containsKey(index)) {
            throw fail("memo index " + index + " was never stored");
        }
        return memo.get(index);
    }

    private void push(Object value) {
        stack.add(value);
    }

    private Object pop() {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw fail("stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw fail("stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    /** The values above the topmost mark, removed from the stack, in order. */
    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw fail("no MARK on the stack");
        }
        int from = marks.remove(marks.size() - 1);
        List<Object> top = stack.subList(from, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private int u8() {
        return fixed(1)[0] & 0xff;
    }

    private long littleEndian(int n) {
        byte[] b = fixed(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }

    /** A length read from the pickle, checked against what is left before anything is allocated. */
    private int length(long n) {
        if (n < 0 || n > data.length - pos) {
            throw fail("a value claims " + (n < 0 ? Long.toUnsignedString(n) : Long.toString(n)) + " bytes, but only "
                    + (data.length - pos) + " remain (truncated or corrupt pickle)");
        }
        return (int) n;
    }

    private byte[] fixed(int n) {
        length(n);
        byte[] out = java.util.Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    private String utf8(int n) {
        length(n);
        String s = new String(data, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    private String latin1(int n) {
        length(n);
        String s = new String(data, pos, n, StandardCharsets.ISO_8859_1);
        pos += n;
        return s;
    }

    /** A newline-terminated argument of the text opcodes. */
    private String line() {
        for (int i = pos; i < data.length; i++) {
            if (data[i] == '\n') {
                String s = new String(data, pos, i - pos, StandardCharsets.UTF_8);
                pos = i + 1;
                return s;
            }
        }
        throw fail("unterminated text argument (truncated pickle)");
    }

    private long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw fail("integer '" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "' is malformed or exceeds 64 bits");
        }
    }

    /** Two's complement little-endian integer of LONG1/LONG4. */
    private long signedInteger(int n) {
        if (n > 8) {
            throw fail("integer of " + n + " bytes exceeds 64 bits");
        }
        if (n == 0) {
            return 0;
        }
        long v = littleEndian(n);
        int unused = 64 - 8 * n;
        return v << unused >> unused;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof TorchGlobal) {
            return value.toString();
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Map) {
            return "a dict";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof PyTuple) {
            return "a tuple of " + ((PyTuple) value).size();
        }
        if (value instanceof TensorView) {
            return "a tensor";
        }
        if (value instanceof StorageRef) {
            return "a storage";
        }
        return "a " + value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private NeuroMfaException fail(String problem) {
        return new NeuroMfaException(file, "malformed pickle " + entry + " at offset " + opcodeAt + ": " + problem);
    }
}

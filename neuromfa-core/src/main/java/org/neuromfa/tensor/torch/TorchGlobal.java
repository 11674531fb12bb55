package org.neuromfa.tensor.torch;

import org.neuromfa.tensor.DType;

/**
 * The allow-list of pickle globals a PyTorch state dict may name. A {@code torch.save} file of a
 * state dict refers only to {@code collections.OrderedDict}, the tensor rebuild functions of
 * {@code torch._utils} and the typed storage classes; anything else (such as {@code os.system} or
 * {@code builtins.eval}) is refused by name before the pickle goes any further. None of these is
 * ever called: the interpreter recognises them and builds its own inert description instead.
 */
enum TorchGlobal {
    ORDERED_DICT("collections", "OrderedDict", null),
    REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2", null),
    REBUILD_TENSOR("torch._utils", "_rebuild_tensor", null),
    REBUILD_PARAMETER("torch._utils", "_rebuild_parameter", null),
    FLOAT_STORAGE("torch", "FloatStorage", DType.F32),
    DOUBLE_STORAGE("torch", "DoubleStorage", DType.F64),
    HALF_STORAGE("torch", "HalfStorage", DType.F16),
    BFLOAT16_STORAGE("torch", "BFloat16Storage", DType.BF16),
    LONG_STORAGE("torch", "LongStorage", DType.I64),
    INT_STORAGE("torch", "IntStorage", DType.I32),
    SHORT_STORAGE("torch", "ShortStorage", DType.I16),
    CHAR_STORAGE("torch", "CharStorage", DType.I8),
    BYTE_STORAGE("torch", "ByteStorage", DType.U8),
    BOOL_STORAGE("torch", "BoolStorage", DType.BOOL);

    final String module;
    final String name;
    /** Element type of a storage class; null for the functions and OrderedDict. */
    final DType storageType;

    TorchGlobal(String module, String name, DType storageType) {
        this.module = module;
        this.name = name;
        this.storageType = storageType;
    }

    /** The allowed global {@code module.name}, or null when it is not on the list. */
    static TorchGlobal find(String module, String name) {
        for (TorchGlobal g : values()) {
            if (g.module.equals(module) && g.name.equals(name)) {
                return g;
            }
        }
        return null;
    }

    boolean isStorageType() {
        return storageType != null;
    }

    @Override
    public String toString() {
        return module + "." + name;
    }
}

package org.neuromfa.tensor.onnx;

import org.neuromfa.tensor.DType;

/** ONNX {@code TensorProto.DataType} codes (onnx.proto) and the matching {@link DType}. */
final class OnnxDataType {
    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT8 = 3;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int DOUBLE = 11;

    private OnnxDataType() {
    }

    /** The element type, or null for types that are never weights (strings, complex, 4- and 8-bit floats). */
    static DType toDType(int code) {
        switch (code) {
            case 1: return DType.F32;
            case 2: return DType.U8;
            case 3: return DType.I8;
            case 4: return DType.U16;
            case 5: return DType.I16;
            case 6: return DType.I32;
            case 7: return DType.I64;
            case 9: return DType.BOOL;
            case 10: return DType.F16;
            case 11: return DType.F64;
            case 12: return DType.U32;
            case 13: return DType.U64;
            case 16: return DType.BF16;
            default: return null;
        }
    }
}

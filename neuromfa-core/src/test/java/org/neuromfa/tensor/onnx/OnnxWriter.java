package org.neuromfa.tensor.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes small ONNX models in protobuf wire format for tests (field numbers from onnx.proto):
 * a ModelProto with ir_version and one graph of nodes and initializers.
 */
public final class OnnxWriter {
    private final Message graph = new Message();

    /** A protobuf message under construction. */
    public static final class Message {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Message varint(int field, long value) {
            tag(field, 0);
            raw(value);
            return this;
        }

        public Message bytes(int field, byte[] value) {
            tag(field, 2);
            raw(value.length);
            out.writeBytes(value);
            return this;
        }

        public Message string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        public Message message(int field, Message value) {
            return bytes(field, value.toBytes());
        }

        public Message packedVarints(int field, long... values) {
            Message inner = new Message();
            for (long v : values) {
                inner.raw(v);
            }
            return bytes(field, inner.toBytes());
        }

        public Message packedFloats(int field, float... values) {
            return bytes(field, floats(values));
        }

        public Message fixed32(int field, float value) {
            tag(field, 5);
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array());
            return this;
        }

        void tag(int field, int wire) {
            raw((long) field << 3 | wire);
        }

        void raw(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        public byte[] toBytes() {
            return out.toByteArray();
        }
    }

    public static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** A TensorProto header: dims (packed), data_type, name. */
    public static Message tensor(String name, int dataType, long... dims) {
        Message t = new Message();
        t.packedVarints(1, dims);
        t.varint(2, dataType);
        t.string(8, name);
        return t;
    }

    public OnnxWriter node(String name, String op, String[] inputs, String... outputs) {
        graph.message(1, nodeMessage(name, op, inputs, outputs));
        return this;
    }

    /** A node with attributes ({@link #intAttribute}, {@link #intsAttribute}). */
    public OnnxWriter node(String name, String op, String[] inputs, String[] outputs, Message... attributes) {
        graph.message(1, nodeMessage(name, op, inputs, outputs, attributes));
        return this;
    }

    /** A NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5. */
    public static Message nodeMessage(String name, String op, String[] inputs, String[] outputs, Message... attributes) {
        Message n = new Message();
        for (String i : inputs) {
            n.string(1, i);
        }
        for (String o : outputs) {
            n.string(2, o);
        }
        n.string(3, name);
        n.string(4, op);
        for (Message a : attributes) {
            n.message(5, a);
        }
        return n;
    }

    /** An AttributeProto of type INT (2): name = 1, i = 3, type = 20. */
    public static Message intAttribute(String name, long value) {
        return new Message().string(1, name).varint(3, value).varint(20, 2);
    }

    /** An AttributeProto of type INTS (7): name = 1, ints = 8, type = 20. */
    public static Message intsAttribute(String name, long... values) {
        Message a = new Message().string(1, name);
        for (long v : values) {
            a.varint(8, v);
        }
        return a.varint(20, 7);
    }

    /** An AttributeProto of type FLOAT (1): name = 1, f = 2, type = 20. */
    public static Message floatAttribute(String name, float value) {
        return new Message().string(1, name).fixed32(2, value).varint(20, 1);
    }

    public OnnxWriter initializer(Message tensor) {
        graph.message(5, tensor);
        return this;
    }

    /** A float32 tensor with raw_data. */
    public OnnxWriter rawFloat(String name, long[] dims, float... values) {
        return initializer(tensor(name, 1, dims).bytes(9, floats(values)));
    }

    /** A tensor with raw_data of any type. */
    public OnnxWriter raw(String name, int dataType, long[] dims, byte[] data) {
        return initializer(tensor(name, dataType, dims).bytes(9, data));
    }

    public byte[] toBytes() {
        Message model = new Message();
        model.varint(1, 8);
        model.string(2, "neuromfa-test");
        model.message(7, graph.string(2, "g"));
        model.bytes(8, new Message().string(1, "").varint(2, 17).toBytes());
        return model.toBytes();
    }
}

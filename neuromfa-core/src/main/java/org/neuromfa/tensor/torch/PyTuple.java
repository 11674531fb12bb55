package org.neuromfa.tensor.torch;

import java.util.Arrays;
import java.util.List;

/** A Python tuple read from a pickle: an immutable list of values. */
final class PyTuple {
    static final PyTuple EMPTY = new PyTuple(new Object[0]);

    private final Object[] items;

    PyTuple(Object[] items) {
        this.items = items;
    }

    int size() {
        return items.length;
    }

    Object get(int i) {
        return items[i];
    }

    List<Object> items() {
        return Arrays.asList(items);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PyTuple && Arrays.equals(items, ((PyTuple) o).items);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(items);
    }

    @Override
    public String toString() {
        return "tuple" + Arrays.toString(items);
    }
}

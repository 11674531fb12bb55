package org.neuromfa.tensor.torch;

import org.neuromfa.tensor.DType;

/**
 * A storage named by a pickle's persistent id {@code ('storage', type, key, location, numel)}: the
 * element type, the key (its bytes are the zip entry {@code <folder>/data/<key>}) and the number of
 * elements the file claims. Tensors that share a storage share one of these.
 */
final class StorageRef {
    final String key;
    final DType dtype;
    final long elements;

    StorageRef(String key, DType dtype, long elements) {
        this.key = key;
        this.dtype = dtype;
        this.elements = elements;
    }

    @Override
    public String toString() {
        return "storage " + key + " (" + dtype + " x " + elements + ")";
    }
}

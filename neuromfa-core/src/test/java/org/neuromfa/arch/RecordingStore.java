package org.neuromfa.arch;

import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.neuromfa.tensor.ForwardingTensorStore;
import org.neuromfa.tensor.TensorStore;

/**
 * Learns which rows an architecture reads for a sample by letting it build the sample's network
 * through this store (the mechanism a read-planning pass uses): every requested row is recorded.
 */
final class RecordingStore extends ForwardingTensorStore {
    final Map<String, TreeSet<Integer>> rows = new ConcurrentHashMap<>();

    RecordingStore(TensorStore inner) {
        super(inner);
    }

    @Override
    protected float[] view(String tensor, int[] read, int[] columns, float[] values) {
        TreeSet<Integer> set = rows.computeIfAbsent(tensor, t -> new TreeSet<>());
        synchronized (set) {
            for (int r : read) {
                set.add(r);
            }
        }
        return values;
    }
}

package org.neuromfa.tensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.source.ReadPlan;

/**
 * A checkpoint split into shards with an index file ({@code model.safetensors.index.json} or
 * {@code pytorch_model.bin.index.json}: a {@code weight_map} from tensor name to shard file).
 * Each tensor is read from the shard the index names; the shard must really hold it.
 */
public final class ShardedTensorStore implements TensorStore {
    private final String name;
    private final Map<String, TensorStore> byTensor;
    private final List<TensorStore> shards;
    private final List<String> names;

    /**
     * @param name        the index file, for messages
     * @param weightMap   tensor name to shard file name, in index order
     * @param openedShards shard file name to its opened store
     */
    public ShardedTensorStore(String name, Map<String, String> weightMap, Map<String, TensorStore> openedShards) {
        this.name = name;
        this.shards = new ArrayList<>(openedShards.values());
        Map<String, TensorStore> map = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : weightMap.entrySet()) {
            TensorStore shard = openedShards.get(e.getValue());
            if (shard == null) {
                throw new NeuroMfaException(name, "weight_map names shard '" + e.getValue() + "', which was not opened");
            }
            if (shard.info(e.getKey()) == null) {
                throw new NeuroMfaException(name, "weight_map puts tensor '" + e.getKey() + "' in '" + e.getValue()
                        + "', but that shard does not contain it");
            }
            map.put(e.getKey(), shard);
        }
        this.byTensor = map;
        this.names = Collections.unmodifiableList(new ArrayList<>(map.keySet()));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public TensorInfo info(String tensor) {
        TensorStore shard = byTensor.get(tensor);
        return shard == null ? null : shard.info(tensor);
    }

    @Override
    public float[] readRows(String tensor, int[] rows) throws IOException {
        TensorStore shard = byTensor.get(tensor);
        if (shard == null) {
            require(tensor);
        }
        return shard.readRows(tensor, rows);
    }

    @Override
    public float[] readSubmatrix(String tensor, int[] rows, int[] columns) throws IOException {
        TensorStore shard = byTensor.get(tensor);
        if (shard == null) {
            require(tensor);
        }
        return shard.readSubmatrix(tensor, rows, columns);
    }

    @Override
    public void prepare(java.util.Collection<String> tensors) throws IOException {
        Map<TensorStore, List<String>> byShard = new java.util.IdentityHashMap<>();
        for (String t : tensors) {
            TensorStore shard = byTensor.get(t);
            if (shard != null) {
                byShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(t);
            }
        }
        for (Map.Entry<TensorStore, List<String>> e : byShard.entrySet()) {
            e.getKey().prepare(e.getValue());
        }
    }

    @Override
    public void planRows(String tensor, int[] rows, ReadPlan plan) throws IOException {
        TensorStore shard = byTensor.get(tensor);
        if (shard == null) {
            require(tensor);
        }
        shard.planRows(tensor, rows, plan);
    }

    @Override
    public long bytesRead() {
        long sum = 0;
        for (TensorStore s : shards) {
            sum += s.bytesRead();
        }
        return sum;
    }

    @Override
    public long bytesTotal() {
        long sum = 0;
        for (TensorStore s : shards) {
            sum += s.bytesTotal();
        }
        return sum;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (TensorStore s : shards) {
            try {
                s.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}

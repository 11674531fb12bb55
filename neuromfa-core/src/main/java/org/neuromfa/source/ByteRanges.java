package org.neuromfa.source;

import java.util.Map;
import java.util.TreeMap;

/**
 * A set of byte ranges of one file, kept as disjoint merged intervals: how many distinct bytes of
 * the file have been read, however often and in whatever order. Thread-safe.
 */
public final class ByteRanges {
    private final TreeMap<Long, Long> intervals = new TreeMap<>();
    private long covered;

    /** Adds {@code [start, end)} and returns how many of its bytes were not covered before. */
    public synchronized long add(long start, long end) {
        if (end <= start) {
            return 0;
        }
        long from = start;
        long to = end;
        long already = 0;
        Map.Entry<Long, Long> before = intervals.floorEntry(start);
        if (before != null && before.getValue() >= start) {
            from = before.getKey();
            to = Math.max(to, before.getValue());
            already += before.getValue() - before.getKey();
            intervals.remove(before.getKey());
        }
        Map.Entry<Long, Long> next;
        while ((next = intervals.ceilingEntry(from)) != null && next.getKey() <= to) {
            to = Math.max(to, next.getValue());
            already += next.getValue() - next.getKey();
            intervals.remove(next.getKey());
        }
        intervals.put(from, to);
        long added = (to - from) - already;
        covered += added;
        return added;
    }

    /** Distinct bytes covered. */
    public synchronized long covered() {
        return covered;
    }

    /** Whether nothing is covered. */
    public synchronized boolean isEmpty() {
        return intervals.isEmpty();
    }

    /** The merged intervals in ascending order, as {@code [start0, end0, start1, end1, ...]}. */
    public synchronized long[] toArray() {
        long[] out = new long[2 * intervals.size()];
        int i = 0;
        for (Map.Entry<Long, Long> e : intervals.entrySet()) {
            out[i++] = e.getKey();
            out[i++] = e.getValue();
        }
        return out;
    }
}

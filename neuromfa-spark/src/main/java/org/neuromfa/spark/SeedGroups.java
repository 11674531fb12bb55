package org.neuromfa.spark;

import java.util.ArrayList;
import java.util.List;
import org.neuromfa.locate.CheckpointRef;
import org.neuromfa.study.SampleRunner.Work;

/**
 * Cuts a trajectory's missing work into Spark tasks. A checkpoint's seeds stay together: one task per
 * checkpoint, so that an executor opens it and reads (and, over the network, plans and fetches) its
 * rows once for all its seeds. Only when there are fewer checkpoints than task slots is a checkpoint's
 * seeds split, into the fewest groups that still give every slot a task: a single checkpoint with 10
 * seeds on 4 slots becomes 4 tasks of 3, 3, 2 and 2 seeds, rather than one task and 3 idle slots.
 */
final class SeedGroups {
    private SeedGroups() {
    }

    /**
     * The tasks for {@code work} on a cluster with {@code slots} task slots, in the order of the work
     * and of the seeds. A checkpoint whose description alone is missing gets a task without seeds;
     * otherwise the description rides on the checkpoint's first task.
     */
    static List<CheckpointTask> plan(List<Work> work, int slots) {
        int size = groupSize(work, Math.max(1, slots));
        List<CheckpointTask> tasks = new ArrayList<>();
        for (Work w : work) {
            CheckpointRef ref = w.checkpoint();
            List<Long> seeds = w.seeds();
            if (seeds.isEmpty()) {
                tasks.add(new CheckpointTask(ref.model(), ref.source(), ref.identity(), true, List.of()));
                continue;
            }
            int groups = groups(seeds.size(), size);
            // Equal groups (sizes differ by at most one), larger ones first, each a run of the seeds.
            int from = 0;
            for (int g = 0; g < groups; g++) {
                int n = seeds.size() / groups + (g < seeds.size() % groups ? 1 : 0);
                tasks.add(new CheckpointTask(ref.model(), ref.source(), ref.identity(), w.describe() && g == 0,
                        seeds.subList(from, from + n)));
                from += n;
            }
        }
        return tasks;
    }

    /**
     * The largest number of seeds per task that still makes at least {@code slots} tasks (when the
     * seeds allow that many): the task count only grows as the groups shrink, so a binary search finds it.
     */
    static int groupSize(List<Work> work, int slots) {
        int largest = 1;
        for (Work w : work) {
            largest = Math.max(largest, w.seeds().size());
        }
        if (tasks(work, largest) >= slots) {
            return largest;
        }
        int lo = 1;
        int hi = largest;
        // Invariant: tasks(lo) >= slots or lo == 1; tasks(hi) < slots.
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (tasks(work, mid) >= slots) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Tasks that compute seeds (a description alone takes a moment, so it does not fill a slot). */
    private static long tasks(List<Work> work, int size) {
        long n = 0;
        for (Work w : work) {
            n += groups(w.seeds().size(), size);
        }
        return n;
    }

    private static int groups(int seeds, int size) {
        return (seeds + size - 1) / size;
    }
}

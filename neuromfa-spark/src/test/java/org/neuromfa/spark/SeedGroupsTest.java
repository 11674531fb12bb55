package org.neuromfa.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.neuromfa.locate.CheckpointRef;
import org.neuromfa.study.SampleRunner.Work;

/** How a trajectory's missing work becomes tasks: a checkpoint's seeds together unless slots would idle. */
class SeedGroupsTest {
    private static final org.neuromfa.locate.CheckpointLocator LOCATOR =
            org.neuromfa.locate.CheckpointLocator.fromEnvironment(java.util.Map.of());


    private static Work work(String revision, boolean describe, long... seeds) throws IOException {
        // Hub names at a commit id: a reference without any request.
        CheckpointRef ref = LOCATOR.reference("org/model@" + revision, null);
        return new Work(ref, describe, LongStream.of(seeds).boxed().collect(Collectors.toList()));
    }

    private static List<String> describe(List<CheckpointTask> tasks) {
        List<String> out = new ArrayList<>();
        for (CheckpointTask t : tasks) {
            out.add(t.model().substring("org/model@".length()) + (t.describe ? "+d" : "") + t.seeds());
        }
        return out;
    }

    @Test
    void oneTaskPerCheckpointWhenThereAreAtLeastAsManyCheckpointsAsSlots() throws IOException {
        List<Work> work = List.of(work("step0", true, 0, 1, 2, 3), work("step1", false, 0, 1, 2, 3),
                work("step2", true, 2, 3));
        assertThat(describe(SeedGroups.plan(work, 3)))
                .containsExactly("step0+d[0, 1, 2, 3]", "step1[0, 1, 2, 3]", "step2+d[2, 3]");
        assertThat(describe(SeedGroups.plan(work, 1))).hasSize(3);
    }

    @Test
    void aCheckpointsSeedsAreSplitIntoTheFewestEqualGroupsThatFillTheSlots() throws IOException {
        List<Work> one = List.of(work("step0", true, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        assertThat(describe(SeedGroups.plan(one, 4)))
                .containsExactly("step0+d[0, 1, 2]", "step0[3, 4, 5]", "step0[6, 7]", "step0[8, 9]");
        assertThat(describe(SeedGroups.plan(one, 2))).containsExactly("step0+d[0, 1, 2, 3, 4]", "step0[5, 6, 7, 8, 9]");
        // More slots than seeds: one seed per task, no more.
        assertThat(SeedGroups.plan(one, 64)).hasSize(10).allMatch(t -> t.size() == 1);
    }

    @Test
    void aDescriptionAloneIsATaskWithoutSeedsAndFillsNoSlot() throws IOException {
        List<Work> work = List.of(work("step0", true), work("step1", false, 0, 1, 2, 3), work("step2", true));
        assertThat(describe(SeedGroups.plan(work, 2)))
                .containsExactly("step0+d[]", "step1[0, 1]", "step1[2, 3]", "step2+d[]");
    }

    /** Whatever the work and the slots: every seed once, in order, groups of one checkpoint within one of each other. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void everySeedIsPlannedOnceAndGroupsAreBalanced(long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 50; round++) {
            List<Work> work = new ArrayList<>();
            int checkpoints = 1 + random.nextInt(6);
            for (int c = 0; c < checkpoints; c++) {
                List<Long> seeds = new ArrayList<>();
                for (long s = 0; s < 30; s++) {
                    if (random.nextInt(3) > 0) {
                        seeds.add(s);
                    }
                }
                work.add(new Work(LOCATOR.reference("org/model@c" + c, null), random.nextBoolean(), seeds));
            }
            int slots = 1 + random.nextInt(40);
            List<CheckpointTask> tasks = SeedGroups.plan(work, slots);
            long computing = tasks.stream().filter(t -> t.size() > 0).count();
            int seedsTotal = work.stream().mapToInt(w -> w.seeds().size()).sum();
            assertThat(computing).isGreaterThanOrEqualTo(Math.min(slots, seedsTotal));
            for (Work w : work) {
                List<CheckpointTask> mine = tasks.stream().filter(t -> t.identity.equals(w.checkpoint().identity()))
                        .collect(Collectors.toList());
                List<Long> planned = mine.stream().flatMap(t -> t.seeds().stream()).collect(Collectors.toList());
                assertThat(planned).isEqualTo(w.seeds());
                assertThat(mine.stream().filter(t -> t.describe).count()).isEqualTo(w.describe() ? 1 : 0);
                int max = mine.stream().mapToInt(CheckpointTask::size).max().orElse(0);
                int min = mine.stream().mapToInt(CheckpointTask::size).min().orElse(0);
                assertThat(max - min).isLessThanOrEqualTo(1);
            }
            // The fewest groups: where a checkpoint was split, groups one seed larger would leave a slot idle.
            int size = SeedGroups.groupSize(work, slots);
            int largest = work.stream().mapToInt(w -> w.seeds().size()).max().orElse(0);
            assertThat(tasks.stream().mapToInt(CheckpointTask::size).max().orElse(0)).isLessThanOrEqualTo(size);
            if (size < largest) {
                long larger = work.stream().mapToLong(w -> (w.seeds().size() + size) / (size + 1)).sum();
                assertThat(larger).isLessThan(slots);
            }
        }
    }
}

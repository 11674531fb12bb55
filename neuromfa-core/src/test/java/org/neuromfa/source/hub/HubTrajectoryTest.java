package org.neuromfa.source.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.golden.Golden;
import org.neuromfa.io.JsonResultStore;
import org.neuromfa.io.ResultJson;
import org.neuromfa.io.TrajectoryJson;
import org.neuromfa.locate.CheckpointLocator;
import org.neuromfa.locate.CheckpointRef;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.study.ResultStore;
import org.neuromfa.study.SampleRunner;
import org.neuromfa.study.ThreadPoolSampleRunner;
import org.neuromfa.study.Trajectory;
import org.neuromfa.study.TrajectoryPoint;
import org.neuromfa.study.TrajectoryResult;

/**
 * Trajectories over Hub branches that move: {@link FakeHub} serves one branch, {@code main}, first
 * with one golden fixture's weights and then with another's (a new commit). Stored results are keyed
 * by the commit the branch resolved to, so a moved branch is analysed again and gives the golden
 * numbers of its new weights, and an unmoved one is reused.
 */
class HubTrajectoryTest {
    private static final String REPO = "golden/moving";
    private static final Path OLD = Golden.dir("neox-d128-l4-normal-f32");
    private static final Path NEW = Golden.dir("neox-d128-l4-student-f16");
    /** Both fixtures' expected.json were made with k = 16 and T = 150. */
    private static final AnalysisOptions OPTIONS = AnalysisOptions.defaults().withSamples(2).withNodesPerLayer(16)
            .withThreshold(150);

    @TempDir
    Path tmp;

    FakeHub hub;
    ResultStore store;

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub();
        store = JsonResultStore.at(tmp.resolve("store"));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private CheckpointLocator settings(boolean offline) {
        HubSettings s = HubSettings.fromEnvironment(FakeHub.env(hub, tmp.resolve("hub-cache"), offline))
                .withRetries(2, Duration.ofMillis(1), Duration.ofMillis(2));
        return CheckpointLocator.of(s);
    }

    /** One run; counts[0] = computed, counts[1] = reused. */
    private TrajectoryResult run(String model, CheckpointLocator hub, SampleRunner runner, int[] counts)
            throws IOException {
        AtomicInteger computed = new AtomicInteger();
        AtomicInteger reused = new AtomicInteger();
        TrajectoryResult t = Trajectory.run(List.of(model), OPTIONS, store, runner,
                (c, seed, wasComputed) -> (wasComputed ? computed : reused).incrementAndGet(), hub);
        counts[0] = computed.get();
        counts[1] = reused.get();
        return t;
    }

    private TrajectoryResult run(String model, CheckpointLocator hub, int[] counts) throws IOException {
        return run(model, hub, new ThreadPoolSampleRunner(1, hub), counts);
    }

    /** Each seed's alpha0 and width equal the fixture's expected.json (the reference implementation's). */
    private static void assertGoldenNumbers(TrajectoryPoint point, Path fixture) throws IOException {
        JsonNode expected = Golden.expected(fixture);
        assertThat(point.samples).hasSize(2);
        for (SampleResult sample : point.samples) {
            long seed = sample.seed();
            JsonNode want = null;
            for (JsonNode s : expected.get("samples")) {
                if (s.get("seed").asLong() == seed) {
                    want = s;
                }
            }
            assertThat(want).as("seed %d in %s", seed, fixture).isNotNull();
            double width = sample.width();
            assertThat(Golden.close(width, want.get("width").asDouble()))
                    .as("seed %d width %s vs expected %s (%s)", seed, width, want.get("width").asDouble(), fixture)
                    .isTrue();
        }
    }

    @Test
    void aBranchThatMovedIsAnalysedAgainAndAnUnmovedOneIsReused() throws IOException {
        String oldCommit = hub.serve(REPO, "main", OLD);
        int[] counts = new int[2];

        TrajectoryResult first = run(REPO + "@main", settings(false), counts);
        assertThat(counts).containsExactly(2, 0);
        assertGoldenNumbers(first.points.get(0), OLD);
        assertThat(first.points.get(0).revision).isEqualTo("main");
        assertThat(first.points.get(0).model).isEqualTo(REPO + "@main");
        assertThat(first.points.get(0).commit).isEqualTo(oldCommit);
        Path json = tmp.resolve("first.json");
        Files.write(json, ResultJson.bytes(TrajectoryJson.of(first)));
        assertThat(TrajectoryJson.read(json).points.get(0).commit).isEqualTo(oldCommit);

        // Unmoved: everything reused, the same numbers.
        TrajectoryResult again = run(REPO + "@main", settings(false), counts);
        assertThat(counts).containsExactly(0, 2);
        assertThat(again.points.get(0).samples).isEqualTo(first.points.get(0).samples);

        // main moves to a commit with other weights: analysed again, with the new weights' numbers.
        String newCommit = hub.serve(REPO, "main", NEW);
        assertThat(newCommit).isNotEqualTo(oldCommit);
        TrajectoryResult moved = run(REPO + "@main", settings(false), counts);
        assertThat(counts).containsExactly(2, 0);
        assertGoldenNumbers(moved.points.get(0), NEW);
        assertThat(moved.points.get(0).commit).isEqualTo(newCommit);
        assertThat(moved.points.get(0).widthMean).isNotEqualTo(first.points.get(0).widthMean);
        assertThat(moved.points.get(0).fingerprint).isNotEqualTo(first.points.get(0).fingerprint);

        // The results are keyed by commit: the commit named directly, or main moved back, reuses them.
        run(REPO + "@" + newCommit, settings(false), counts);
        assertThat(counts).containsExactly(0, 2);
        hub.serve(REPO, "main", OLD);
        TrajectoryResult back = run(REPO + "@main", settings(false), counts);
        assertThat(counts).containsExactly(0, 2);
        assertThat(back.points.get(0).samples).isEqualTo(first.points.get(0).samples);
    }

    @Test
    void offlineTheBranchIsTheCommitItLastResolvedTo() throws IOException {
        hub.serve(REPO, "main", OLD);
        int[] counts = new int[2];
        run(REPO + "@main", settings(false), counts);
        String newCommit = hub.serve(REPO, "main", NEW);
        TrajectoryResult moved = run(REPO + "@main", settings(false), counts);
        assertThat(counts).containsExactly(2, 0);

        // main moves on the Hub once more, but offline nothing can tell: the last resolution holds.
        hub.serve(REPO, "main", OLD);
        int requests = hub.requests.get();
        TrajectoryResult offline = run(REPO + "@main", settings(true), counts);
        assertThat(hub.requests.get()).as("offline runs make no request").isEqualTo(requests);
        assertThat(counts).containsExactly(0, 2);
        assertThat(offline.points.get(0).samples).isEqualTo(moved.points.get(0).samples);
        assertThat(settings(true).resolve(REPO + "@main").commit()).isEqualTo(newCommit);

        // A revision this cache never resolved cannot be keyed offline: one line, before any work.
        hub.serve(REPO, "other", NEW);
        assertThatThrownBy(() -> run(REPO + "@other", settings(true), counts))
                .isInstanceOf(NeuroMfaException.class)
                .hasMessageStartingWith(REPO + "@other: not in the cache")
                .hasMessageContaining("HF_HUB_OFFLINE")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aBranchThatMovesDuringTheRunCannotMixCommitsUnderOneKey() throws IOException {
        String oldCommit = hub.serve(REPO, "main", OLD);
        CheckpointLocator s = settings(false);
        ThreadPoolSampleRunner threads = new ThreadPoolSampleRunner(1, s);
        // The branch moves after the store was consulted and before the weights are read.
        SampleRunner movesFirst = (work, options, sink) -> {
            hub.serve(REPO, "main", NEW);
            threads.run(work, options, sink);
        };
        int[] counts = new int[2];
        TrajectoryResult t = run(REPO + "@main", s, movesFirst, counts);
        assertThat(counts).containsExactly(2, 0);
        // What was computed is the commit the key names, not the branch's new head.
        assertGoldenNumbers(t.points.get(0), OLD);
        run(REPO + "@" + oldCommit, s, counts);
        assertThat(counts).containsExactly(0, 2);
    }

    @Test
    void refsAreKeyedByCommitAndLocalOrMistypedNamesNeedNoRequest() throws IOException {
        String commit = hub.serve(REPO, "step1000", OLD);
        CheckpointRef branch = settings(false).resolve(REPO + "@step1000");
        assertThat(branch.identity()).isEqualTo("hub:" + REPO + "@" + commit);
        assertThat(branch.source()).isEqualTo(REPO + "@" + commit);
        assertThat(branch.revision()).isEqualTo("step1000");
        assertThat(branch.step()).isEqualTo(1000L);
        assertThat(branch.model()).isEqualTo(REPO + "@step1000");

        int requests = hub.requests.get();
        CheckpointRef pinned = settings(false).resolve(REPO + "@" + commit);
        assertThat(pinned.identity()).isEqualTo(branch.identity());
        CheckpointRef local = settings(false).resolve(OLD.toString());
        assertThat(local.identity()).isEqualTo(settings(false).reference(OLD.toString(), null).identity());
        assertThat(local.commit()).isNull();
        assertThatThrownBy(() -> settings(false).resolve("not-a-model"))
                .isInstanceOf(NeuroMfaException.class).hasMessage("not-a-model: no such file or directory");
        assertThat(hub.requests.get()).isEqualTo(requests);
    }
}

package org.neuromfa.source.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.golden.Golden;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.locate.CheckpointLocator;
import org.neuromfa.source.ByteRanges;
import org.neuromfa.source.ByteSource;
import org.neuromfa.source.FetchListener;
import org.neuromfa.source.ReadPlan;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointAnalysis;
import org.neuromfa.analysis.CheckpointReads;
import org.neuromfa.analysis.CheckpointResult;

/**
 * Reads of a Hub checkpoint planned before they happen: the plan of all seeds is fetched in a few
 * coalesced, parallel requests (fewer requests than rows, gaps read only where the link model says
 * a gap is cheaper than a round trip), the whole file when the plan covers most of it, every byte
 * once; the numbers are those of a local run. A checkpoint in huggingface_hub's own cache is read
 * with no request at all.
 */
class RemoteReadPlanTest {
    @TempDir
    Path tmp;

    FakeHub hub;

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    HubSettings settings(Path cache) {
        return HubSettings.fromEnvironment(FakeHub.env(hub, cache, false))
                .withRetries(3, Duration.ofMillis(1), Duration.ofMillis(5));
    }

    /** The analysis's plan: what a remote fetch is given. */
    static ReadPlan plan(Checkpoint c, AnalysisOptions options) throws IOException {
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < options.samples(); i++) {
            seeds.add(options.firstSeed() + (long) i);
        }
        return CheckpointReads.plan(CheckpointAnalysis.architecture(c, options), CheckpointAnalysis.tensors(c, options),
                seeds, options.nodesPerLayer());
    }

    @Test
    void aPlanIsFetchedInFewCoalescedRequestsAndEveryByteOnce() throws IOException {
        Path dir = Golden.dir("neox-d128-l4-normal-f32");
        hub.serve("golden/normal", "main", dir);
        AnalysisOptions options = HubSourceTest.options(dir, 3);
        CheckpointResult local = HubSourceTest.analyse(dir.toString(), null, options, 1);
        long fileSize = Files.size(dir.resolve("model.safetensors"));

        // A link where a round trip costs 2 ms at 10 MB/s per connection: gaps under 20 kB are read.
        HubSettings settings = settings(tmp.resolve("a")).withLink(0.002, 10e6).withConnections(4);
        long rows;
        try (Checkpoint c = CheckpointLocator.of(settings).open("golden/normal", null)) {
            ReadPlan plan = plan(c, options);
            ByteSource weights = plan.sources().get(0);
            rows = plan.ranges(weights).toArray().length / 2;
            int before = hub.rangeRequests.get();
            long receivedBefore = weights.bytesRead();
            AtomicInteger planned = new AtomicInteger();
            plan.fetch(new FetchListener() {
                @Override
                public void planned(long bytes) {
                    planned.addAndGet((int) bytes);
                }
            });
            int requests = hub.rangeRequests.get() - before;
            // (counted by the client: the server counts a body's last bytes after they were sent)
            long received = weights.bytesRead() - receivedBefore;
            // Far fewer requests than planned ranges, and the bytes fetched are the bytes announced.
            assertThat(requests).isPositive().isLessThan((int) rows / 4);
            assertThat(received).isEqualTo(planned.get()).isLessThanOrEqualTo(fileSize);
            // Everything is cached now: the analysis itself asks for nothing more.
            int afterFetch = hub.requests.get();
            CheckpointResult r = CheckpointAnalysis.run(c, options, 2, null);
            assertThat(hub.requests.get()).isEqualTo(afterFetch);
            assertThat(HubSourceTest.numbers(r)).isEqualTo(HubSourceTest.numbers(local));
        }

        // Without coalescing (a round trip of zero): one request per run of adjacent rows, and only
        // the planned bytes.
        HubSettings exact = settings(tmp.resolve("b")).withLink(0, 1e9);
        try (Checkpoint c = CheckpointLocator.of(exact).open("golden/normal", null)) {
            ReadPlan plan = plan(c, options);
            ByteSource weights = plan.sources().get(0);
            long plannedBytes = plan.ranges(weights).covered();
            long receivedBefore = weights.bytesRead();
            plan.fetch(FetchListener.NONE);
            assertThat(weights.bytesRead() - receivedBefore).isEqualTo(plannedBytes);
        }
    }

    @Test
    void aPlanCoveringMostOfTheFileFetchesItWholeInParallelPieces() throws IOException {
        Path dir = Golden.dir("neox-d128-l4-normal-f32");
        hub.serve("golden/normal", "main", dir);
        long fileSize = Files.size(dir.resolve("model.safetensors"));
        // A slow round trip: every gap is worth reading, so the plan covers the file.
        HubSettings settings = settings(tmp).withLink(1.0, 100e6).withConnections(8);
        AnalysisOptions options = HubSourceTest.options(dir, 10);
        try (Checkpoint c = CheckpointLocator.of(settings).open("golden/normal", null)) {
            long receivedBefore = c.bytesRead();
            int before = hub.rangeRequests.get();
            plan(c, options).fetch(FetchListener.NONE);
            Path blob = settings.cacheDirectory().resolve("blobs").resolve("sha256-"
                    + FakeHub.sha256Hex(dir.resolve("model.safetensors")));
            List<long[]> ranges = Blob.recorded(blob, fileSize);
            // The whole file is cached (the header was read before the plan), each byte sent once.
            assertThat(HubCacheTest.bytes(ranges)).isEqualTo(fileSize);
            long headerBytes = fileSize - (c.bytesRead() - receivedBefore);
            // (what the header read fetched before the plan, with its read-ahead)
            assertThat(headerBytes).isPositive().isLessThanOrEqualTo(HubFileSource.MAX_READ_AHEAD);
            // Cut into pieces fetched on several connections (at least the 256 KiB minimum piece each).
            assertThat(hub.rangeRequests.get() - before).isBetween(2, (int) (fileSize / LinkModel.MIN_PIECE) + 2);
        }
    }

    @Test
    void aCheckpointInTheStandardHubCacheIsAnalysedWithNoRequest() throws IOException {
        Path dir = Golden.dir("neox-d128-l4-student-f16");
        AnalysisOptions options = HubSourceTest.options(dir, 2);
        CheckpointResult local = HubSourceTest.analyse(dir.toString(), null, options, 1);
        // huggingface_hub's layout: refs/main -> commit, snapshots/<commit>/<file> -> ../../blobs/<etag>.
        Path hubCache = tmp.resolve("hf");
        String commit = "0123456789abcdef0123456789abcdef01234567";
        Path repo = hubCache.resolve("models--golden--student");
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), commit);
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(commit));
        Files.createDirectories(repo.resolve("blobs"));
        for (String f : List.of("config.json", "model.safetensors")) {
            String etag = FakeHub.sha256Hex(dir.resolve(f));
            Files.copy(dir.resolve(f), repo.resolve("blobs").resolve(etag));
            Files.createSymbolicLink(snapshot.resolve(f), Path.of("../../blobs").resolve(etag));
        }
        HubSettings settings = settings(hubCache);
        int before = hub.requests.get();
        CheckpointResult remote = HubSourceTest.analyse("golden/student", settings, options, 2);
        assertThat(hub.requests.get()).as("requests").isEqualTo(before);
        assertThat(HubSourceTest.numbers(remote)).isEqualTo(HubSourceTest.numbers(local));
        assertThat(remote.commit).isEqualTo(commit);
        assertThat(remote.bytesRead).isZero();

        // A partial download (config.json only) is not taken for the checkpoint: the Hub is asked.
        hub.serve("golden/partial", "main", dir);
        Path partial = hubCache.resolve("models--golden--partial");
        String partialCommit = hub.commit("golden/partial", "main");
        Files.createDirectories(partial.resolve("refs"));
        Files.writeString(partial.resolve("refs/main"), partialCommit);
        Path partialSnapshot = Files.createDirectories(partial.resolve("snapshots").resolve(partialCommit));
        Files.copy(dir.resolve("config.json"), partialSnapshot.resolve("config.json"));
        CheckpointResult online = HubSourceTest.analyse("golden/partial", settings, options, 2);
        assertThat(HubSourceTest.numbers(online)).isEqualTo(HubSourceTest.numbers(local));
        assertThat(hub.requests.get()).isGreaterThan(before);
        // Its config.json came from the snapshot, the weights over HTTP.
        assertThat(online.bytesRead).isPositive();
    }

    @Test
    void weightsInTheStandardCacheUnderTheirSha256AreReadFromThere() throws IOException {
        Path dir = Golden.dir("neox-d96-l3-rowscaled-bf16");
        hub.serve("golden/bf16", "step1000", dir);
        AnalysisOptions options = HubSourceTest.options(dir, 2);
        Path hubCache = tmp.resolve("hf");
        // Downloaded earlier under another revision: only the blob is there.
        Path blobs = Files.createDirectories(hubCache.resolve("models--golden--bf16").resolve("blobs"));
        String sha = FakeHub.sha256Hex(dir.resolve("model.safetensors"));
        Files.copy(dir.resolve("model.safetensors"), blobs.resolve(sha));
        CheckpointResult r = HubSourceTest.analyse("golden/bf16@step1000", settings(hubCache), options, 1);
        assertThat(r.bytesRead).as("bytes received: config.json only").isEqualTo(Files.size(dir.resolve("config.json")));
        assertThat(HubSourceTest.numbers(r)).isEqualTo(HubSourceTest.numbers(
                HubSourceTest.analyse(dir.toString(), null, options, 1)));
    }

    @Test
    void revisionsOfATrajectoryAreResolvedWithOneRefsRequest() throws IOException {
        Path dir = Golden.dir("neox-d96-l3-rowscaled-bf16");
        List<String> revisions = List.of("step0", "step1", "step2", "step4", "step8");
        for (String rev : revisions) {
            hub.serve("golden/bf16", rev, dir);
        }
        HubSettings settings = settings(tmp);
        int before = hub.apiRequests.get();
        Map<String, String> commits = HubRevisions.resolve("golden/bf16", revisions, settings);
        assertThat(hub.apiRequests.get() - before).isEqualTo(1);
        for (String rev : revisions) {
            assertThat(commits.get(rev)).isEqualTo(hub.commit("golden/bf16", rev));
        }
        // Opening each then asks only for its commit's file list.
        for (String rev : revisions) {
            try (Checkpoint c = CheckpointLocator.of(settings).open("golden/bf16@" + rev, null)) {
                assertThat(c.files().commit()).isEqualTo(hub.commit("golden/bf16", rev));
            }
        }
        assertThat(hub.apiRequests.get() - before).isEqualTo(1 + revisions.size());
    }

    /** A fetch of nothing missing asks for nothing. */
    @Test
    void fetchingCachedRangesAsksForNothing() throws IOException {
        Path dir = Golden.dir("neox-d96-l3-rowscaled-bf16");
        hub.serve("golden/bf16", "main", dir);
        HubSettings settings = settings(tmp).withLink(0, 1e9);
        AnalysisOptions options = HubSourceTest.options(dir, 2);
        HubSourceTest.analyse("golden/bf16", settings, options, 1);
        try (Checkpoint c = CheckpointLocator.of(settings).open("golden/bf16", null)) {
            int before = hub.requests.get();
            ReadPlan plan = plan(c, options);
            for (ByteSource s : plan.sources()) {
                ByteRanges r = plan.ranges(s);
                s.fetch(r, FetchListener.NONE).join();
            }
            assertThat(hub.requests.get()).isEqualTo(before);
        }
    }
}

package org.neuromfa.source.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.golden.Golden;
import org.neuromfa.io.ResultJson;
import org.neuromfa.locate.CheckpointLocator;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointAnalysis;
import org.neuromfa.analysis.CheckpointResult;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.tensor.TensorInfo;

/**
 * The Hub source against {@link FakeHub}, a local server with the Hub's URL layout, redirects of
 * weight files to a second host, Range support and ETags, serving the golden fixtures. The numbers
 * must equal a local run of the same fixture exactly.
 */
class HubSourceTest {
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

    static List<String> fixtures() throws IOException {
        return Golden.safetensorsFixtures();
    }

    /**
     * Settings whose link model never coalesces across a gap (a round trip of zero): the bytes
     * transferred are then exactly the distinct bytes read, which these tests count.
     * {@link RemoteReadPlanTest} tests coalescing.
     */
    HubSettings settings(Path cache, boolean offline) {
        return HubSettings.fromEnvironment(FakeHub.env(hub, cache, offline))
                .withRetries(6, Duration.ofMillis(1), Duration.ofMillis(20)).withLink(0, 1e9);
    }

    static AnalysisOptions options(Path fixture, int samples) throws IOException {
        JsonNode expected = Golden.expected(fixture);
        return AnalysisOptions.defaults().withSamples(samples)
                .withNodesPerLayer(expected.get("nodes_per_layer").asInt())
                .withThreshold(expected.get("threshold").asDouble());
    }

    static CheckpointResult analyse(String model, HubSettings settings, AnalysisOptions options, int threads)
            throws IOException {
        // A local analysis (settings null) never reaches the Hub.
        CheckpointLocator locator = settings == null ? CheckpointLocator.fromEnvironment(Map.of()) : CheckpointLocator.of(settings);
        try (Checkpoint c = locator.open(model, null)) {
            return CheckpointAnalysis.run(c, options, threads, null);
        }
    }

    /** The JSON without the fields that name the source or count its bytes. */
    static ObjectNode numbers(CheckpointResult r) {
        ObjectNode o = ResultJson.checkpoint(r);
        o.remove(List.of("model", "commit", "bytes_read", "bytes_total", "files"));
        return o;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void numbersEqualTheLocalRunAndOnlyNeededRowsAreTransferred(String fixture) throws IOException {
        Path dir = Golden.dir(fixture);
        hub.requireToken();
        hub.serve("golden/" + fixture, "main", dir);
        AnalysisOptions options = options(dir, 3);
        CheckpointResult local = analyse(dir.toString(), null, options, 1);
        CheckpointResult remote = analyse("golden/" + fixture, settings(tmp, false), options, 2);

        assertThat(numbers(remote)).isEqualTo(numbers(local));
        assertThat(remote.fingerprint).isEqualTo(local.fingerprint).hasSize(32);
        assertThat(remote.model).isEqualTo("golden/" + fixture + "@main");
        assertThat(remote.commit).isEqualTo(hub.commit("golden/" + fixture, "main"));
        assertThat(remote.bytesTotal).isEqualTo(Files.size(dir.resolve("model.safetensors")));

        long minimal = minimalRowBytes(dir, remote);
        assertThat(remote.bytesRead).isPositive().isLessThanOrEqualTo((long) (1.25 * minimal));
        // Exactly: config.json, the 8-byte header length, the header, and each distinct row once.
        long headerLength = java.nio.ByteBuffer.wrap(Files.readAllBytes(dir.resolve("model.safetensors")), 0, 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(remote.bytesRead).isEqualTo(Files.size(dir.resolve("config.json")) + 8 + headerLength + minimal);
        // A local run counts the same distinct bytes.
        assertThat(local.bytesRead).isEqualTo(remote.bytesRead);
        // The client counts what it received; the servers' own count (which also sees a request the
        // JDK client may transparently repeat on a fresh connection) obeys the same bound.
        assertThat(remote.bytesRead).isLessThanOrEqualTo(hub.contentBytesSent.get());
        assertThat(hub.contentBytesSent.get()).isLessThanOrEqualTo((long) (1.25 * minimal));

        assertThat(remote.files).extracting(f -> f.name()).containsExactly("config.json", "model.safetensors");
        var weights = remote.files.get(1);
        assertThat(weights.size()).isEqualTo(Files.size(dir.resolve("model.safetensors")));
        assertThat(weights.sha256()).isEqualTo(FakeHub.sha256Hex(dir.resolve("model.safetensors")));
        assertThat(weights.etag()).isEqualTo(weights.sha256());
        assertThat(remote.files.get(0).etag()).matches("[0-9a-f]{40}");

        // The token reached the Hub and never the CDN, which was really used (by its own host name).
        assertThat(hub.hubAuthorizations).isNotEmpty().allMatch(a -> a.equals("Bearer " + FakeHub.TOKEN));
        assertThat(hub.cdnHosts).isNotEmpty().allMatch(h -> h.startsWith("localhost:"));
        assertThat(hub.cdnAuthorizations).isEmpty();
    }

    /**
     * The least a row-granular reader must read: every distinct row that some sample's plan needs,
     * in full (GptNeoX: QKV rows from nums2, dense rows from nums4, h_to_4h rows from nums5, 4h_to_h
     * rows from the next block's nums1, or nums6 after the last block).
     */
    static long minimalRowBytes(Path fixture, CheckpointResult r) throws IOException {
        Map<String, Set<Integer>> rows = new HashMap<>();
        int layers = ((Number) r.architecture.get("layers")).intValue();
        for (SampleResult s : r.samples) {
            for (int b = 0; b < layers; b++) {
                add(rows, b + ".attention.query_key_value", s.plan().get("block" + b + "_nums2"));
                add(rows, b + ".attention.dense", s.plan().get("block" + b + "_nums4"));
                add(rows, b + ".mlp.dense_h_to_4h", s.plan().get("block" + b + "_nums5"));
                add(rows, b + ".mlp.dense_4h_to_h", b + 1 < layers ? s.plan().get("block" + (b + 1) + "_nums1")
                        : s.plan().get("block" + b + "_nums6"));
            }
        }
        long total = 0;
        try (Checkpoint c = Checkpoint.open(fixture)) {
            for (Map.Entry<String, Set<Integer>> e : rows.entrySet()) {
                TensorInfo info = c.tensors().info("gpt_neox.layers." + e.getKey() + ".weight");
                if (info == null) {
                    info = c.tensors().require("layers." + e.getKey() + ".weight");
                }
                total += e.getValue().size() * info.columns() * info.dtype().bytes();
            }
        }
        return total;
    }

    private static void add(Map<String, Set<Integer>> rows, String tensor, int[] indices) {
        Set<Integer> set = rows.computeIfAbsent(tensor, t -> new HashSet<>());
        for (int i : indices) {
            set.add(i);
        }
    }

    @Test
    void shardedCheckpointsAreReadThroughTheirIndex() throws IOException {
        Path dir = Golden.dir("neox-d128-l4-normal-f32");
        Path sharded = shard(dir, tmp.resolve("sharded"));
        hub.serve("golden/sharded", "main", sharded);
        AnalysisOptions options = options(dir, 2);
        CheckpointResult local = analyse(dir.toString(), null, options, 1);
        CheckpointResult remote = analyse("golden/sharded", settings(tmp.resolve("cache"), false), options, 2);
        assertThat(numbers(remote)).isEqualTo(numbers(local));
        assertThat(remote.files).extracting(f -> f.name()).containsExactlyInAnyOrder("config.json",
                "model.safetensors.index.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors");
        for (var f : remote.files) {
            if (f.name().endsWith(".safetensors")) {
                assertThat(f.sha256()).isEqualTo(FakeHub.sha256Hex(sharded.resolve(f.name())));
            }
        }
        assertThat(remote.bytesTotal).isEqualTo(Files.size(sharded.resolve("model-00001-of-00002.safetensors"))
                + Files.size(sharded.resolve("model-00002-of-00002.safetensors")));
        assertThat(remote.bytesRead).isLessThanOrEqualTo((long) (1.25 * minimalRowBytes(dir, remote)));
    }

    /**
     * Splits a safetensors file into two shards (blocks 0-1 and the rest) with a
     * {@code model.safetensors.index.json}, as Transformers writes them: each shard a complete
     * safetensors file, the index mapping every tensor to its shard.
     */
    static Path shard(Path fixture, Path out) throws IOException {
        byte[] all = Files.readAllBytes(fixture.resolve("model.safetensors"));
        int headerLength = (int) java.nio.ByteBuffer.wrap(all, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        JsonNode header = mapper.readTree(new String(all, 8, headerLength, java.nio.charset.StandardCharsets.UTF_8));
        ObjectNode[] headers = {mapper.createObjectNode(), mapper.createObjectNode()};
        java.io.ByteArrayOutputStream[] data = {new java.io.ByteArrayOutputStream(), new java.io.ByteArrayOutputStream()};
        String[] names = {"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"};
        ObjectNode index = mapper.createObjectNode();
        index.putObject("metadata").put("total_size", all.length - 8 - headerLength);
        ObjectNode map = index.putObject("weight_map");
        for (var it = header.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            int s = e.getKey().matches(".*layers\\.[01]\\..*") ? 0 : 1;
            long begin = e.getValue().get("data_offsets").get(0).asLong();
            long end = e.getValue().get("data_offsets").get(1).asLong();
            ObjectNode t = e.getValue().deepCopy();
            t.putArray("data_offsets").add(data[s].size()).add(data[s].size() + (end - begin));
            headers[s].set(e.getKey(), t);
            data[s].write(all, (int) (8 + headerLength + begin), (int) (end - begin));
            map.put(e.getKey(), names[s]);
        }
        Files.createDirectories(out);
        for (int s = 0; s < 2; s++) {
            byte[] h = mapper.writeValueAsBytes(headers[s]);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + data[s].size())
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.putLong(h.length).put(h).put(data[s].toByteArray());
            Files.write(out.resolve(names[s]), b.array());
        }
        Files.write(out.resolve("model.safetensors.index.json"), mapper.writeValueAsBytes(index));
        Files.copy(fixture.resolve("config.json"), out.resolve("config.json"));
        return out;
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"single", "sharded"})
    void pytorchCheckpointsOnTheHubGiveTheSafetensorsNumbers(String layout) throws IOException {
        Path safetensors = Golden.dir("neox-d128-l4-normal-f32");
        Path torch = Golden.dir("neox-d128-l4-normal-f32-torch").resolve(layout);
        hub.serve("golden/torch-" + layout, "main", torch);
        AnalysisOptions options = options(safetensors, 3);
        CheckpointResult local = analyse(safetensors.toString(), null, options, 1);
        CheckpointResult remote = analyse("golden/torch-" + layout, settings(tmp, false), options, 2);
        assertThat(numbers(remote)).isEqualTo(numbers(local));
        assertThat(remote.bytesRead).isLessThanOrEqualTo((long) (1.25 * minimalRowBytes(safetensors, remote)));
        CheckpointResult again = analyse("golden/torch-" + layout, settings(tmp, true), options, 2);
        assertThat(again.bytesRead).isZero();
        assertThat(numbers(again)).isEqualTo(numbers(local));
    }

    @Test
    void aSecondRunTransfersNothingAndOfflineRunsFromTheCache() throws IOException {
        Path dir = Golden.dir("neox-d128-l4-normal-f32");
        hub.serve("golden/normal", "main", dir);
        AnalysisOptions options = options(dir, 3);
        CheckpointResult first = analyse("golden/normal", settings(tmp, false), options, 1);
        long sent = hub.contentBytesSent.get();
        assertThat(first.bytesRead).isPositive().isLessThanOrEqualTo(sent);

        CheckpointResult second = analyse("golden/normal", settings(tmp, false), options, 1);
        assertThat(second.bytesRead).isZero();
        assertThat(hub.contentBytesSent.get()).isEqualTo(sent);
        assertThat(numbers(second)).isEqualTo(numbers(first));

        int requests = hub.requests.get();
        CheckpointResult offline = analyse("golden/normal", settings(tmp, true), options, 1);
        assertThat(offline.bytesRead).isZero();
        assertThat(hub.requests.get()).as("offline runs make no request").isEqualTo(requests);
        assertThat(numbers(offline)).isEqualTo(numbers(first));
        assertThat(offline.commit).isEqualTo(first.commit);
        assertThat(offline.files.get(1).sha256()).isEqualTo(first.files.get(1).sha256());

        // Seed 3 needs rows no earlier run read: offline must refuse, naming the file.
        assertThatThrownBy(() -> analyse("golden/normal", settings(tmp, true), options.withSamples(4), 1))
                .isInstanceOf(NeuroMfaException.class)
                .hasMessageContaining("/golden/normal/resolve/main/model.safetensors")
                .hasMessageContaining("HF_HUB_OFFLINE")
                .hasMessageNotContaining("\n");
        assertThat(hub.requests.get()).isEqualTo(requests);
    }

    @Test
    void anUnreachableHubFallsBackToTheCachedRevision() throws IOException {
        Path dir = Golden.dir("neox-d96-l3-rowscaled-bf16");
        hub.serve("golden/bf16", "main", dir);
        AnalysisOptions options = options(dir, 2);
        CheckpointResult first = analyse("golden/bf16", settings(tmp, false), options, 1);
        HubSettings unreachable = settings(tmp, false).withRetries(2, Duration.ofMillis(1), Duration.ofMillis(1));
        hub.close();
        CheckpointResult second = analyse("golden/bf16", unreachable, options, 1);
        assertThat(second.bytesRead).isZero();
        assertThat(second.commit).isEqualTo(first.commit);
        assertThat(numbers(second)).isEqualTo(numbers(first));
        // Rows never fetched cannot be read: a one-line error naming the file.
        assertThatThrownBy(() -> analyse("golden/bf16", unreachable, options.withSamples(3), 1))
                .isInstanceOf(NeuroMfaException.class)
                .hasMessageContaining("/golden/bf16/resolve/main/model.safetensors")
                .hasMessageContaining("failed after 2 attempts");
        // A revision never resolved has nothing to fall back to.
        assertThatThrownBy(() -> analyse("golden/bf16@other", unreachable, options, 1))
                .isInstanceOf(NeuroMfaException.class).hasMessageStartingWith("golden/bf16@other: failed after 2 attempts");
    }

    @Test
    void offlineWithAnEmptyCacheFailsNamingTheModel() {
        assertThatThrownBy(() -> analyse("golden/normal@step1000", settings(tmp, true), AnalysisOptions.defaults(), 1))
                .isInstanceOf(NeuroMfaException.class)
                .hasMessageStartingWith("golden/normal@step1000: not in the cache")
                .hasMessageContaining("HF_HUB_OFFLINE");
        assertThat(hub.requests.get()).isZero();
    }

    @Test
    void aConnectionDroppedMidTransferIsRetriedAndTheResultIsExact() throws IOException {
        Path dir = Golden.dir("neox-d128-l4-student-f16");
        hub.serve("golden/student", "main", dir);
        AnalysisOptions options = options(dir, 2);
        CheckpointResult local = analyse(dir.toString(), null, options, 1);
        CheckpointResult clean = analyse("golden/student", settings(tmp.resolve("clean"), false), options, 1);
        hub.dropConnections(3);
        CheckpointResult remote = analyse("golden/student", settings(tmp, false), options, 1);
        assertThat(hub.droppedConnections.get()).isEqualTo(3);
        assertThat(numbers(remote)).isEqualTo(numbers(local));
        // Every byte received counts, the halves of the dropped bodies included; a retry asks only
        // for the rest of its range, so no byte was transferred twice.
        assertThat(remote.bytesRead).isLessThanOrEqualTo(hub.contentBytesSent.get())
                .isEqualTo(clean.bytesRead);

        // Nothing partial was cached: a second run needs nothing and gives the same numbers.
        CheckpointResult again = analyse("golden/student", settings(tmp, true), options, 1);
        assertThat(numbers(again)).isEqualTo(numbers(local));
    }

    @Test
    void status429And503AreRetried() throws IOException {
        Path dir = Golden.dir("neox-d96-l3-rowscaled-bf16");
        hub.serve("golden/bf16", "main", dir);
        AnalysisOptions options = options(dir, 2);
        CheckpointResult local = analyse(dir.toString(), null, options, 1);
        hub.injectStatuses(429, 503, 503, 429, 500);
        CheckpointResult remote = analyse("golden/bf16", settings(tmp, false), options, 1);
        assertThat(hub.injectedStatuses.get()).isEqualTo(5);
        assertThat(numbers(remote)).isEqualTo(numbers(local));
    }

    @Test
    void persistentServerErrorsGiveUpWithOneLine() throws IOException {
        Path dir = Golden.dir("neox-d96-l3-rowscaled-bf16");
        hub.serve("golden/bf16", "main", dir);
        hub.injectStatuses(503, 503, 503, 503, 503, 503, 503, 503);
        assertThatThrownBy(() -> analyse("golden/bf16", settings(tmp, false).withRetries(3, Duration.ofMillis(1),
                Duration.ofMillis(2)), options(dir, 1), 1))
                .isInstanceOf(NeuroMfaException.class)
                .hasMessageContaining("config.json")
                .hasMessageContaining("failed after 3 attempts")
                .hasMessageContaining("HTTP 503");
    }

    @Test
    void parallelSeedsTransferEachRowOnce() throws IOException {
        Path dir = Golden.dir("neox-d128-l4-normal-f32");
        hub.serve("golden/normal", "main", dir);
        AnalysisOptions options = options(dir, 6);
        CheckpointResult serial = analyse("golden/normal", settings(tmp.resolve("a"), false), options, 1);
        CheckpointResult parallel = analyse("golden/normal", settings(tmp.resolve("b"), false), options, 4);
        assertThat(parallel.bytesRead).isEqualTo(serial.bytesRead);
        assertThat(numbers(parallel)).isEqualTo(numbers(serial));
        assertThat(parallel.bytesRead).isLessThanOrEqualTo((long) (1.25 * minimalRowBytes(dir, parallel)));
    }

    @Test
    void revisionsAreResolvedToCommitsAndIdenticalWeightsAreFound() throws IOException {
        Path normal = Golden.dir("neox-d128-l4-normal-f32");
        Path student = Golden.dir("neox-d128-l4-student-f16");
        hub.serve("EleutherAI/pythia-tiny", "step1000", normal);
        hub.serve("EleutherAI/pythia-tiny", "step2000", student);
        // Two branch names serving the same weights, as pythia issues #205/#206 describe.
        hub.serve("EleutherAI/pythia-tiny", "step3000", normal);
        AnalysisOptions options = options(normal, 2);
        HubSettings s = settings(tmp, false);
        CheckpointResult a;
        try (Checkpoint c = CheckpointLocator.of(s).open("EleutherAI/pythia-tiny", "step1000")) {
            a = CheckpointAnalysis.run(c, options, 1, null);
        }
        CheckpointResult b = analyse("EleutherAI/pythia-tiny@step2000", s, options, 1);
        String commit3 = hub.commit("EleutherAI/pythia-tiny", "step3000");
        CheckpointResult c = analyse("EleutherAI/pythia-tiny@" + commit3, s, options, 1);
        assertThat(a.model).isEqualTo("EleutherAI/pythia-tiny@step1000");
        assertThat(a.commit).isEqualTo(hub.commit("EleutherAI/pythia-tiny", "step1000"));
        assertThat(c.commit).isEqualTo(commit3);

        // Exactly one pair with identical weights: step1000 and step3000 (named by its commit).
        assertThat(a.fingerprint).isNotNull().isEqualTo(c.fingerprint);
        assertThat(c.model).isEqualTo("EleutherAI/pythia-tiny@" + commit3);
        assertThat(b.fingerprint).isNotEqualTo(a.fingerprint).isNotEqualTo(c.fingerprint);
    }

    @Test
    void unknownRepositoriesAndFilesAreOneLineErrors() throws IOException {
        hub.serve("golden/normal", "main", Golden.dir("neox-d128-l4-normal-f32"));
        assertThatThrownBy(() -> analyse("golden/missing", settings(tmp, false), AnalysisOptions.defaults(), 1))
                .isInstanceOf(NeuroMfaException.class)
                .hasMessage("golden/missing: no such local path, and as a Hub model (golden/missing@main): no such"
                        + " model repository or revision on " + hub.endpoint() + " (HTTP 404)");
        assertThatThrownBy(() -> analyse("golden/normal@nope", settings(tmp, false), AnalysisOptions.defaults(), 1))
                .isInstanceOf(NeuroMfaException.class).hasMessageContaining("HTTP 404");
        assertThatThrownBy(() -> CheckpointLocator.of(settings(tmp, false)).open("golden/normal@main", "other"))
                .isInstanceOf(NeuroMfaException.class).hasMessageContaining("but revision says 'other'");
        HubCheckpointFiles files = HubCheckpointFiles.open(HubRepo.parse("golden/normal", null), settings(tmp, false));
        assertThatThrownBy(() -> files.open("pytorch_model.bin"))
                .isInstanceOf(NeuroMfaException.class).hasMessageContaining("pytorch_model.bin");
        assertThat(files.list()).containsExactly("config.json", "expected.json", "model.safetensors");
    }

    @Test
    void withoutATokenAGatedRepositoryIsAccessDenied() {
        hub.requireToken();
        hub.serve("golden/normal", "main", Golden.dir("neox-d128-l4-normal-f32"));
        Map<String, String> env = FakeHub.env(hub, tmp, false);
        env.remove("HF_TOKEN");
        HubSettings noToken = HubSettings.fromEnvironment(env);
        assertThatThrownBy(() -> analyse("golden/normal", noToken, AnalysisOptions.defaults(), 1))
                .isInstanceOf(NeuroMfaException.class).hasMessageContaining("HTTP 401").hasMessageContaining("HF_TOKEN");
    }
}

package org.neuromfa.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointInfo;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.base.AtomicFiles;
import org.neuromfa.golden.Golden;
import org.neuromfa.locate.CheckpointLocator;
import org.neuromfa.locate.CheckpointRef;
import org.neuromfa.sample.SamplePlan;
import org.neuromfa.spectrum.MassExponents;
import org.neuromfa.spectrum.SingularitySpectrum;
import org.neuromfa.study.ResultStore;

/**
 * A store opened by a later run deletes the temporary files that killed runs left in the
 * directories it uses, when they are old, and keeps young ones (another process's writes in
 * progress) and everything else. Real files, ages set with {@link Files#setLastModifiedTime}.
 */
class ResultStoreCleanUpTest {
    @TempDir
    Path tmp;

    private static Path leftover(Path dir, String target, Duration age) throws IOException {
        // The name a killed AtomicFiles.write leaves: .TARGET.<digits>.tmp
        Path p = Files.createTempFile(dir, "." + target + ".", ".tmp");
        Files.writeString(p, "{\"checkpoint\": \"half writ");
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(age)));
        return p;
    }

    private static List<String> tree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    /** A sample of {@code seed} with alpha0 {@code alpha0} (the store keeps whatever it is given). */
    private static SampleResult sample(long seed, double alpha0) {
        return new SampleResult(new SamplePlan(seed, Map.of()), 0, 0, 0, 0,
                MassExponents.stored(new double[0], new double[0], new double[0], 0, 0, 0),
                SingularitySpectrum.stored(new double[0], new double[0], alpha0, 0.5), true, null);
    }

    @Test
    void staleTemporaryFilesOfTheDirectoriesInUseAreDeleted() throws IOException {
        Path root = tmp.resolve("store");
        CheckpointRef checkpoint = CheckpointLocator.fromEnvironment(Map.of())
                .reference(Golden.dir("neox-d96-l3-rowscaled-bf16").toString(), null);
        AnalysisOptions options = AnalysisOptions.defaults().withNodesPerLayer(12);
        SampleResult sample = sample(0, 1.25);
        CheckpointInfo info = new CheckpointInfo(Map.of("family", "gpt-neox"), 0, null);
        ResultStore first = JsonResultStore.at(root);
        first.putSample(checkpoint, options, 0, sample);
        first.putCheckpointInfo(checkpoint, options.architecture(), info);

        Path seedFile;
        try (Stream<Path> s = Files.walk(root)) {
            seedFile = s.filter(p -> p.getFileName().toString().equals("seed-0.json")).findFirst().orElseThrow();
        }
        Path optionsDir = seedFile.getParent();
        Path checkpointDir = optionsDir.getParent();
        Path staleSeed = leftover(optionsDir, "seed-1.json", Duration.ofHours(3));
        Path staleInfo = leftover(checkpointDir, "checkpoint.json", Duration.ofDays(2));
        Path youngSeed = leftover(optionsDir, "seed-2.json", Duration.ofMinutes(10));
        Path youngInfo = leftover(checkpointDir, "checkpoint.json", Duration.ZERO);
        // The root is the user's directory, not one the store writes into: never cleaned.
        Path inRoot = leftover(root, "anything.json", Duration.ofDays(2));
        // Another checkpoint's directory is cleaned only when a run uses it.
        Path otherDir = Files.createDirectories(root.resolve("0123456789abcdef-other"));
        Path elsewhere = leftover(otherDir, "checkpoint.json", Duration.ofDays(2));

        ResultStore later = JsonResultStore.at(root);
        assertThat(later.checkpointInfo(checkpoint, options.architecture()).architecture()).isEqualTo(Map.of("family", "gpt-neox"));
        assertThat(later.sample(checkpoint, options, 0)).isEqualTo(sample);
        assertThat(later.sample(checkpoint, options, 1)).isNull();

        assertThat(staleSeed).doesNotExist();
        assertThat(staleInfo).doesNotExist();
        assertThat(youngSeed).exists();
        assertThat(youngInfo).exists();
        assertThat(inRoot).exists();
        assertThat(elsewhere).exists();
        String options16 = root.relativize(optionsDir).toString();
        String checkpoint16 = root.relativize(checkpointDir).toString();
        assertThat(tree(root)).containsExactlyInAnyOrder(
                root.relativize(inRoot).toString(),
                root.relativize(elsewhere).toString(),
                checkpoint16 + "/checkpoint.json",
                root.relativize(youngInfo).toString(),
                options16 + "/seed-0.json",
                root.relativize(youngSeed).toString());

        // A write into a directory is enough to clean it too.
        Path staleAgain = leftover(optionsDir, "seed-5.json", Duration.ofHours(2));
        JsonResultStore.at(root).putSample(checkpoint, options, 1, sample(1, 1.25));
        assertThat(staleAgain).doesNotExist();
        assertThat(optionsDir.resolve("seed-1.json")).exists();
    }
}

package org.neuromfa.golden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuromfa.arch.Architecture;
import org.neuromfa.arch.ArchitectureOptions;
import org.neuromfa.arch.Architectures;
import org.neuromfa.arch.WiredArchitecture;
import org.neuromfa.arch.WiringJson;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointAnalysis;
import org.neuromfa.analysis.CheckpointResult;

/**
 * A wiring file that describes GPT-NeoX (the one {@code inspect --wiring} prints for the detected
 * family) reproduces every golden fixture: plans, edges, node counts, tau, f(alpha), alpha0, width
 * and NFD, within 1e-9 relative, as the built-in adapter does.
 */
class GoldenWiringTest {
    @TempDir
    Path tmp;

    static List<String> fixtures() throws Exception {
        return Golden.safetensorsFixtures();
    }

    /** The detected family's description, written to a file as {@code inspect --wiring} prints it. */
    private Path wiringFile(Checkpoint checkpoint, String name) throws Exception {
        Architecture arch = Architectures.detect(checkpoint);
        Path file = tmp.resolve(name + ".json");
        Files.writeString(file, WiringJson.write(arch.wiringDescription()));
        return file;
    }

    private static AnalysisOptions options(JsonNode expected, Path wiring) throws Exception {
        return AnalysisOptions.defaults()
                .withSamples(expected.get("samples").size())
                .withNodesPerLayer(expected.get("nodes_per_layer").asInt())
                .withThreshold(expected.get("threshold").asDouble())
                .withNodeFractalDimensions(true)
                .withArchitecture(ArchitectureOptions.defaults().withWiring(wiring.toString(), Files.readAllBytes(wiring)));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void aGptNeoXWiringFileReproducesTheReferenceNumbers(String fixture) throws Exception {
        Path dir = Golden.dir(fixture);
        JsonNode expected = Golden.expected(dir);
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            Path wiring = wiringFile(checkpoint, fixture);
            AnalysisOptions options = options(expected, wiring);
            assertThat(CheckpointAnalysis.architecture(checkpoint, options)).isInstanceOf(WiredArchitecture.class);
            CheckpointResult result = CheckpointAnalysis.run(checkpoint, options, 2, null);
            assertThat(result.architecture).containsEntry("family", "gpt_neox").containsEntry("wiring", wiring.toString());
            GoldenSpectrumTest.assertMatches(expected, result);
        }
    }

    @Test
    void theSameWiringFileReproducesTheShardedPyTorchFixture() throws Exception {
        Path safetensors = Golden.dir("neox-d128-l4-normal-f32");
        JsonNode expected = Golden.expected(safetensors);
        Path wiring;
        try (Checkpoint checkpoint = Checkpoint.open(safetensors)) {
            wiring = wiringFile(checkpoint, "neox");
        }
        assertThat(Files.readString(wiring, StandardCharsets.UTF_8)).startsWith("{\n  \"neuromfa_wiring\": 1,\n  \"family\": \"gpt_neox\",");
        try (Checkpoint checkpoint = Checkpoint.open(Golden.dir("neox-d128-l4-normal-f32-torch").resolve("sharded"))) {
            GoldenSpectrumTest.assertMatches(expected, CheckpointAnalysis.run(checkpoint, options(expected, wiring), 2, null));
        }
    }
}

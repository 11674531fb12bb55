package org.neuromfa.floors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.NeuroMfaException;

/**
 * No package uses one on its own floor or above (docs/ARCHITECTURE.md): checked over the compiled
 * classes of the library, and shown to catch violations planted in freshly compiled classes.
 */
class PackageFloorsTest {
    @TempDir
    Path tmp;

    @Test
    void everyLibraryClassKeepsToItsFloor() throws IOException, URISyntaxException {
        Path classes = Paths.get(NeuroMfaException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(classes.resolve("org/neuromfa/study/Trajectory.class")).exists();
        assertThat(PackageFloors.violations(classes)).isEmpty();
    }

    /**
     * Three planted classes: spectrum using study (a higher floor), sample using network (the same
     * floor), and a package on no floor; and one that keeps to its floor (study using spectrum).
     */
    @Test
    void plantedViolationsAreReported() throws IOException {
        compile("org/neuromfa/spectrum/Planted.java", "package org.neuromfa.spectrum;\n"
                        + "public class Planted { public java.util.List<org.neuromfa.study.TrajectoryResult> results; }\n",
                "org/neuromfa/sample/Sideways.java", "package org.neuromfa.sample;\n"
                        + "public class Sideways { public int edges(org.neuromfa.network.Network n) { return n.edgeCount(); } }\n",
                "org/neuromfa/elsewhere/Stray.java", "package org.neuromfa.elsewhere;\npublic class Stray { }\n",
                "org/neuromfa/study/Allowed.java", "package org.neuromfa.study;\npublic class Allowed {"
                        + " public org.neuromfa.spectrum.QGrid grid = org.neuromfa.spectrum.QGrid.reference(); }\n");
        List<String> v = PackageFloors.violations(tmp.resolve("classes"));
        assertThat(v).containsExactly(
                "org.neuromfa.elsewhere.Stray: package org.neuromfa.elsewhere is on no floor"
                        + " (add it to PackageFloors and docs/ARCHITECTURE.md)",
                "org.neuromfa.sample.Sideways -> org.neuromfa.network.Network: org.neuromfa.sample (floor 7)"
                        + " may not use org.neuromfa.network (floor 7)",
                "org.neuromfa.spectrum.Planted -> org.neuromfa.study.TrajectoryResult: org.neuromfa.spectrum (floor 9)"
                        + " may not use org.neuromfa.study (floor 13)");
    }

    @Test
    void everyFloorIsNamedOnce() {
        long packages = PackageFloors.FLOORS.stream().mapToLong(List::size).sum();
        assertThat(PackageFloors.FLOORS.stream().flatMap(List::stream).distinct().count()).isEqualTo(packages);
        assertThat(PackageFloors.floor("org.neuromfa.base")).isZero();
        assertThat(PackageFloors.floor("org.neuromfa.io")).isEqualTo(PackageFloors.FLOORS.size() - 1);
    }

    /** Compiles the sources (pairs of file name and text) into {@code tmp/classes}. */
    private void compile(String... filesAndSources) throws IOException {
        Path out = Files.createDirectories(tmp.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-cp", System.getProperty("java.class.path")));
        for (int i = 0; i < filesAndSources.length; i += 2) {
            Path src = tmp.resolve("src").resolve(filesAndSources[i]);
            Files.createDirectories(src.getParent());
            Files.writeString(src, filesAndSources[i + 1]);
            args.add(src.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, args.toArray(new String[0]))).as("javac " + args).isZero();
    }
}

package org.neuromfa.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.arch.KernelAggregation;
import org.neuromfa.arch.QkvLayout;
import org.neuromfa.io.ResultJson;
import org.neuromfa.spectrum.QGrid;
import org.neuromfa.spectrum.QualityFilter;
import org.neuromfa.spectrum.SpectrumEstimator;
import org.neuromfa.analysis.AnalysisOptions;

/** The Spark conf of a run, the settings given to executors, and the options shipped to them (no Spark started). */
class SparkConfigurationTest {

    /** {@code neuromfa spark --version} says what {@code neuromfa --version} says (it printed nothing). */
    @Test
    void versionIsTheCommandLinesVersion() {
        java.io.StringWriter out = new java.io.StringWriter();
        int code = SparkMain.run(new String[] {"--version"}, new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(new java.io.StringWriter(), true), null);
        assertThat(code).isZero();
        assertThat(out.toString().trim()).isEqualTo(new org.neuromfa.cli.Main.Version().getVersion()[0])
                .startsWith("neuromfa ");
    }

    @Test
    void localMastersGetRetriesAndClusterMastersTheirMaxFailures() {
        assertThat(SparkRuntime.conf("local[*]", List.of(), null).get("spark.master")).isEqualTo("local[*,4]");
        assertThat(SparkRuntime.conf("local", List.of(), 2).get("spark.master")).isEqualTo("local[1,2]");
        assertThat(SparkRuntime.conf("local[2,3]", List.of(), 5).get("spark.master")).isEqualTo("local[2,3]");
        SparkConf cluster = SparkRuntime.conf("spark://head:7077", List.of(), 6);
        assertThat(cluster.get("spark.master")).isEqualTo("spark://head:7077");
        assertThat(cluster.get("spark.task.maxFailures")).isEqualTo("6");
        assertThat(SparkRuntime.conf(null, List.of("spark.master=local[2]"), null).get("spark.master"))
                .isEqualTo("local[2,4]");
        assertThatThrownBy(() -> SparkRuntime.conf("local[2]", List.of("spark.neuromfa.hf.token"), null))
                .isInstanceOf(NeuroMfaException.class).hasMessageContaining("KEY=VALUE");
    }

    @Test
    void hubSettingsBecomeTheHubEnvironmentAndAreRedacted() {
        SparkConf conf = SparkRuntime.conf("local[2]", List.of("spark.neuromfa.hf.token=hf_secret123",
                "spark.neuromfa.hf.endpoint=http://127.0.0.1:8080", "spark.neuromfa.hf.cache=/scratch/hf"), null);
        assertThat(ExecutorSettings.of(conf)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "HF_TOKEN", "hf_secret123", "HF_ENDPOINT", "http://127.0.0.1:8080", "HF_HUB_CACHE", "/scratch/hf"));
        Pattern redaction = Pattern.compile(conf.get("spark.redaction.regex"));
        assertThat(redaction.matcher("spark.neuromfa.hf.token").find()).isTrue();
        assertThat(redaction.matcher("spark.neuromfa.hf.endpoint").find()).isTrue();
        assertThat(redaction.matcher("spark.executorEnv.HF_TOKEN").find()).isTrue();
        assertThat(redaction.matcher("spark.executor.cores").find()).isFalse();

        SparkConf user = SparkRuntime.conf("local[2]", List.of("spark.redaction.regex=(?i)mysecret"), null);
        assertThat(Pattern.compile(user.get("spark.redaction.regex")).matcher("x.mysecret").find()).isTrue();
        assertThat(Pattern.compile(user.get("spark.redaction.regex")).matcher("spark.neuromfa.hf.token").find()).isTrue();

        SparkConf typo = SparkRuntime.conf("local[2]", List.of("spark.neuromfa.hf.tokn=x"), null);
        assertThatThrownBy(() -> ExecutorSettings.of(typo)).isInstanceOf(NeuroMfaException.class)
                .hasMessageContaining("spark.neuromfa.hf.tokn").hasMessageNotContaining("=x");
        // A bad value is named by the conf key the user wrote, on the driver, before Spark starts.
        SparkConf slow = SparkRuntime.conf("local[2]", List.of("spark.neuromfa.hf.link=fast"), null);
        assertThatThrownBy(() -> ExecutorSettings.of(slow)).isInstanceOf(NeuroMfaException.class)
                .hasMessageStartingWith("spark.neuromfa.hf.link: must be MS:MB").hasMessageContaining("'fast'")
                .hasMessageNotContaining("NEUROMFA_HUB_LINK");
        SparkConf none = SparkRuntime.conf("local[2]", List.of("spark.neuromfa.hf.connections=0"), null);
        assertThatThrownBy(() -> ExecutorSettings.of(none)).isInstanceOf(NeuroMfaException.class)
                .hasMessageStartingWith("spark.neuromfa.hf.connections: must be a whole number from 1")
                .hasMessageNotContaining("NEUROMFA_HUB_CONNECTIONS");
        assertThat(ExecutorSettings.of(SparkRuntime.conf("local[2]", List.of("spark.neuromfa.hf.link=30:50"), null)))
                .containsEntry("NEUROMFA_HUB_LINK", "30:50");
    }

    /** The build's option list (launcher, surefire, {@code java @FILE}) holds every option Spark's launcher would pass. */
    @Test
    void jvmOptionsFileHasEverythingSparksLauncherPasses() throws Exception {
        Path file = Paths.get(System.getProperty("neuromfa.root"), SparkJvmOptions.OPTIONS_FILE);
        List<String> ours = List.of(Files.readString(file).trim().split("\\s+"));
        for (String option : JavaModuleOptions.defaultModuleOptionArray()) {
            if (!option.startsWith("--add-modules=")) {
                assertThat(ours).as("in " + file).contains(option);
            }
        }
        // This JVM was started with them (surefire's argLine): nothing is missing.
        assertThat(SparkJvmOptions.missing(JavaModuleOptions.defaultModuleOptionArray(),
                SparkJvmOptions.class.getModule())).isEmpty();
    }

    @Test
    void aDriverWithoutSparksOpensIsToldWhichInOneShortLine() {
        List<String> all = new ArrayList<>();
        for (String option : JavaModuleOptions.defaultModuleOptionArray()) {
            if (option.startsWith("--add-opens=")) {
                all.add(option);
            }
        }
        String line = "neuromfa: " + SparkJvmOptions.message(all);
        assertThat(line).hasSizeLessThan(400)
                .contains("java.base/{java.lang,java.lang.invoke,").contains("sun.util.calendar}")
                .contains("java.security.jgss/sun.security.krb5").contains("spark-submit")
                .contains("java @neuromfa-spark/target/jvm-options.txt");
        assertThat(SparkJvmOptions.message(List.of("--add-opens=java.base/java.nio=ALL-UNNAMED")))
                .contains("for java.base/java.nio, which");
    }

    @Test
    void aFailureLineKeepsWhereTheLogIsAndStaysShort() {
        String tail = " (Spark's log: stderr; executors': work/app-20261201193304-0000/ on each worker)";
        String line = "neuromfa: " + SparkFailure.fit("Spark stopped before any task ran: " + "x".repeat(2000), tail);
        assertThat(line).hasSizeLessThan(400).endsWith(tail).contains("...");
        assertThat(SparkFailure.fit("short\nline", tail)).isEqualTo("short\\u000aline" + tail);
    }

    @Test
    void optionsReachExecutorsUnchanged() throws Exception {
        AnalysisOptions options = AnalysisOptions.defaults().withSamples(7).withFirstSeed(5).withNodesPerLayer(12)
                .withThreshold(120.5).withQGrid(QGrid.of("-2", "2", "0.5")).withFilter(QualityFilter.values()[1])
                .withNfdThreshold(3.5).withNodeFractalDimensions(true).withQkvLayout(QkvLayout.values()[1])
                .withNormalizeWeights(true).withHops(2).withSpectrumEstimator(SpectrumEstimator.values()[1])
                .withMinRSquared(0.9).withKernelAggregation(KernelAggregation.MAX);
        options = options.withArchitecture(options.architecture().withWiring("w.json", ("{\"neuromfa_wiring\": 1, \"groups\":"
                + " [{\"name\": \"a\", \"size\": 4}, {\"name\": \"b\", \"size\": 4}],"
                + " \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"tensor\": \"w\"}]}").getBytes(StandardCharsets.UTF_8)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(OptionsRecipe.of(options));
        }
        OptionsRecipe back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (OptionsRecipe) in.readObject();
        }
        assertThat(ResultJson.parameters(back.toOptions()).toString())
                .isEqualTo(ResultJson.parameters(options).toString())
                .isNotEqualTo(ResultJson.parameters(AnalysisOptions.defaults()).toString());
        // The architecture options (kernel aggregation, the wiring file's bytes) arrive equal, so executors
        // wire the checkpoint as the driver would and key their cached architectures alike.
        assertThat(back.toOptions().architecture()).isEqualTo(options.architecture());
        assertThat(back.toOptions().architecture().wiring().groups()).hasSize(2);
    }
}

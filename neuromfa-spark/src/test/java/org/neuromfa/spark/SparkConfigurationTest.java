package org.neuromfa.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.arch.QkvLayout;
import org.neuromfa.io.ResultJson;
import org.neuromfa.spectrum.QGrid;
import org.neuromfa.spectrum.QualityFilter;
import org.neuromfa.spectrum.SpectrumEstimator;
import org.neuromfa.analysis.AnalysisOptions;

/** The Spark conf of a run, the settings given to executors, and the options shipped to them (no Spark started). */
class SparkConfigurationTest {

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
    }

    @Test
    void optionsReachExecutorsUnchanged() throws Exception {
        AnalysisOptions options = AnalysisOptions.defaults().withSamples(7).withFirstSeed(5).withNodesPerLayer(12)
                .withThreshold(120.5).withQGrid(QGrid.of("-2", "2", "0.5")).withFilter(QualityFilter.values()[1])
                .withNfdThreshold(3.5).withNodeFractalDimensions(true).withQkvLayout(QkvLayout.values()[1])
                .withNormalizeWeights(true).withHops(2).withSpectrumEstimator(SpectrumEstimator.values()[1])
                .withMinRSquared(0.9);
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
    }
}

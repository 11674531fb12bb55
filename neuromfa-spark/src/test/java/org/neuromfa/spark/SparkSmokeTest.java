package org.neuromfa.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.neuromfa.golden.Golden;
import org.neuromfa.io.ResultJson;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.SampleAnalysis;
import org.neuromfa.arch.Architectures;

class SparkSmokeTest {
    @Test
    void localModeRunsSampleAnalysis() throws Exception {
        Path fixture = Golden.dir("neox-d128-l4-normal-f32");
        assertThat(Files.isDirectory(fixture)).isTrue();
        String dir = fixture.toString();
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("smoke").set("spark.ui.enabled", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            List<String> out = sc.parallelize(List.of(0L, 1L, 2L), 3).map(seed -> {
                try (Checkpoint c = Checkpoint.open(Paths.get(dir))) {
                    AnalysisOptions o = AnalysisOptions.defaults().withNodesPerLayer(16);
                    return ResultJson.sample(SampleAnalysis.run(Architectures.detect(c), c.tensors(), seed, o)).toString();
                }
            }).collect();
            assertThat(out).hasSize(3);
        }
    }
}

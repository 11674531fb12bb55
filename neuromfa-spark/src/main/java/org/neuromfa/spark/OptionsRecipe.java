package org.neuromfa.spark;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.neuromfa.io.ResultJson;
import org.neuromfa.analysis.AnalysisOptions;
import scala.reflect.ClassTag$;

/**
 * {@link AnalysisOptions} in a form Spark can ship to executors: the object as Spark's Kryo serializer
 * writes it (field by field, so options added to the analysis travel without changes here).
 * {@link #of} reads the bytes back at once and checks that the copy describes itself exactly as the
 * original ({@code ResultJson.parameters}), so a field that could not travel stops the run instead of
 * silently changing numbers.
 */
final class OptionsRecipe implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Options already read in this JVM: every task of a run carries the same bytes. */
    private static final Map<ByteBuffer, AnalysisOptions> READ = new ConcurrentHashMap<>();

    private final byte[] bytes;

    private OptionsRecipe(byte[] bytes) {
        this.bytes = bytes;
    }

    static OptionsRecipe of(AnalysisOptions options) {
        ByteBuffer buffer = kryo().serialize(options, ClassTag$.MODULE$.apply(AnalysisOptions.class));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        OptionsRecipe recipe = new OptionsRecipe(bytes);
        String wanted = ResultJson.parameters(options).toString();
        String rebuilt = ResultJson.parameters(recipe.toOptions()).toString();
        if (!wanted.equals(rebuilt)) {
            throw new IllegalStateException("the analysis options do not reach the Spark executors unchanged: "
                    + wanted + " became " + rebuilt);
        }
        return recipe;
    }

    AnalysisOptions toOptions() {
        // AnalysisOptions is immutable, so one copy per JVM serves every task thread.
        return READ.computeIfAbsent(ByteBuffer.wrap(bytes),
                b -> kryo().deserialize(b.duplicate(), ClassTag$.MODULE$.apply(AnalysisOptions.class)));
    }

    private static SerializerInstance kryo() {
        // Independent of the job's spark.serializer: these bytes are only ever read by this class.
        return new KryoSerializer(new SparkConf(false)).newInstance();
    }
}

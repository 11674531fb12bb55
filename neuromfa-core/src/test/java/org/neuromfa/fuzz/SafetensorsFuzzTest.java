package org.neuromfa.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointAnalysis;
import org.neuromfa.analysis.CheckpointResult;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.tensor.DType;
import org.neuromfa.tensor.safetensors.SafetensorsWriter;

/**
 * Seeded mutations of a valid safetensors checkpoint. Every case must end with a clean error
 * (NeuroMfaException, or an IOException such as a read past the end) or a complete result; never an
 * unchecked exception of another kind, an OutOfMemoryError or a hang.
 */
class SafetensorsFuzzTest {
    private static final String CONFIG = "{\"model_type\":\"gpt_neox\",\"hidden_size\":8,\"num_hidden_layers\":2,"
            + "\"intermediate_size\":32}";
    private static final byte[] VALID = valid();

    @TempDir
    static Path tmp;

    static IntStream cases() {
        return IntStream.range(0, 2000);
    }

    private static byte[] valid() {
        SafetensorsWriter w = new SafetensorsWriter();
        SplittableRandom r = new SplittableRandom(11);
        long[][] shapes = {{24, 8}, {8, 8}, {32, 8}, {8, 32}};
        String[] names = {"attention.query_key_value", "attention.dense", "mlp.dense_h_to_4h", "mlp.dense_4h_to_h"};
        DType[] types = {DType.F32, DType.F16, DType.BF16, DType.F32};
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < names.length; i++) {
                float[] v = new float[(int) (shapes[i][0] * shapes[i][1])];
                for (int j = 0; j < v.length; j++) {
                    v[j] = (float) (r.nextDouble(-0.3, 0.3));
                }
                w.add("gpt_neox.layers." + b + "." + names[i] + ".weight", types[i], shapes[i], v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            w.write(out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    /** One mutation, chosen and parameterised by the seed. */
    static byte[] mutate(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = VALID.clone();
        int headerLength = (int) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
        switch (r.nextInt(6)) {
            case 0: { // flip bytes inside the header
                int flips = 1 + r.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    int at = 8 + r.nextInt(headerLength);
                    b[at] = (byte) r.nextInt(256);
                }
                return b;
            }
            case 1: // truncate anywhere
                return Arrays.copyOf(b, r.nextInt(b.length));
            case 2: { // lie about the header length
                long[] lies = {0, 1, 2, headerLength - 1, headerLength + 1, b.length, Long.MAX_VALUE, -1, 1L << 31,
                        r.nextLong()};
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(lies[r.nextInt(lies.length)]);
                return b;
            }
            case 3: { // replace a number in the header JSON with a hostile one
                String h = new String(b, 8, headerLength, StandardCharsets.UTF_8);
                String[] values = {"-1", "0", "4294967296", "9223372036854775807", "99999999999999999999", "1e9", "2.5",
                        "null", "\"8\"", "[]", "-9223372036854775808"};
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\d+").matcher(h);
                int count = 0;
                while (m.find()) {
                    count++;
                }
                int pick = r.nextInt(Math.max(1, count));
                m.reset();
                StringBuilder sb = new StringBuilder();
                int i = 0;
                while (m.find()) {
                    m.appendReplacement(sb, i++ == pick ? values[r.nextInt(values.length)] : m.group());
                }
                m.appendTail(sb);
                return rebuild(sb.toString(), b, headerLength);
            }
            case 4: { // change a dtype or key
                String h = new String(b, 8, headerLength, StandardCharsets.UTF_8);
                String[] swaps = {"\"F32\"", "\"F16\"", "\"BF16\"", "\"I64\"", "\"F64\"", "\"Q4\"", "\"\"", "7", "null"};
                String[] targets = {"\"F32\"", "\"F16\"", "\"BF16\"", "\"dtype\"", "\"shape\"", "\"data_offsets\""};
                String target = targets[r.nextInt(targets.length)];
                return rebuild(h.replaceFirst(java.util.regex.Pattern.quote(target),
                        java.util.regex.Matcher.quoteReplacement(swaps[r.nextInt(swaps.length)])), b, headerLength);
            }
            default: { // garbage in the data section only: must analyse (or fail on NaN-free checks) cleanly
                for (int i = 0; i < 20; i++) {
                    b[8 + headerLength + r.nextInt(b.length - 8 - headerLength)] = (byte) r.nextInt(256);
                }
                return b;
            }
        }
    }

    private static byte[] rebuild(String header, byte[] original, int oldLength) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int data = original.length - 8 - oldLength;
        ByteBuffer out = ByteBuffer.allocate(8 + h.length + data).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(h.length).put(h).put(original, 8 + oldLength, data);
        return out.array();
    }

    @ParameterizedTest
    @MethodSource("cases")
    @Timeout(10)
    void mutatedCheckpointFailsCleanlyOrAnalyses(int seed) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("case" + seed));
        Files.writeString(dir.resolve("config.json"), CONFIG);
        Files.write(dir.resolve("model.safetensors"), mutate(seed));
        AnalysisOptions options = AnalysisOptions.defaults().withSamples(1).withNodesPerLayer(4).withThreshold(1000);
        try (Checkpoint c = Checkpoint.open(dir)) {
            CheckpointResult result = CheckpointAnalysis.run(c, options, 1, null);
            assertThat(result.samples).hasSize(1);
        } catch (NeuroMfaException | IOException expected) {
            assertThat(expected.getMessage()).isNotBlank().doesNotContain("\n");
        } catch (RuntimeException | Error e) {
            fail("case " + seed + " escaped with " + e, e);
        } finally {
            for (String f : new String[] {"config.json", "model.safetensors"}) {
                Files.deleteIfExists(dir.resolve(f));
            }
            Files.deleteIfExists(dir);
        }
    }
}

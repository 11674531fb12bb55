package org.neuromfa.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.SplittableRandom;
import org.neuromfa.tensor.DType;
import org.neuromfa.tensor.safetensors.SafetensorsWriter;

/**
 * Writes Pythia-160M-shaped GPT-NeoX checkpoints (d = 768, 12 layers, m = 3072, vocabulary 50304,
 * every tensor of the real model, F16) for whole-run benchmarks: {@code DIR/stepN} for each step given.
 * Weights are Gaussian with a standard deviation that grows with the step, so that the checkpoints'
 * spectra differ as a training run's do; the numbers are synthetic, the sizes and reads are real.
 *
 * <p>{@code java -cp ... org.neuromfa.spark.SyntheticPythia DIR 0 1000 143000}
 */
public final class SyntheticPythia {
    private static final int D = 768;
    private static final int LAYERS = 12;
    private static final int M = 3072;
    private static final int VOCAB = 50304;

    private SyntheticPythia() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Paths.get(args[0]);
        for (int i = 1; i < args.length; i++) {
            long step = Long.parseLong(args[i]);
            Path out = dir.resolve("step" + step);
            Files.createDirectories(out);
            write(out, step);
            System.out.println(out);
        }
    }

    static void write(Path out, long step) throws IOException {
        SplittableRandom random = new SplittableRandom(160_000_000L + step);
        double std = 0.02 * (1 + Math.log1p(step / 1000.0));
        SafetensorsWriter w = new SafetensorsWriter();
        w.add("gpt_neox.embed_in.weight", DType.F16, new long[] {VOCAB, D}, gaussian(random, VOCAB * D, std));
        for (int b = 0; b < LAYERS; b++) {
            String p = "gpt_neox.layers." + b + ".";
            w.add(p + "input_layernorm.weight", DType.F16, new long[] {D}, constant(D, 1));
            w.add(p + "input_layernorm.bias", DType.F16, new long[] {D}, constant(D, 0));
            w.add(p + "post_attention_layernorm.weight", DType.F16, new long[] {D}, constant(D, 1));
            w.add(p + "post_attention_layernorm.bias", DType.F16, new long[] {D}, constant(D, 0));
            w.add(p + "attention.query_key_value.weight", DType.F16, new long[] {3 * D, D}, gaussian(random, 3 * D * D, std));
            w.add(p + "attention.query_key_value.bias", DType.F16, new long[] {3 * D}, constant(3 * D, 0));
            w.add(p + "attention.dense.weight", DType.F16, new long[] {D, D}, gaussian(random, D * D, std));
            w.add(p + "attention.dense.bias", DType.F16, new long[] {D}, constant(D, 0));
            w.add(p + "mlp.dense_h_to_4h.weight", DType.F16, new long[] {M, D}, gaussian(random, M * D, std));
            w.add(p + "mlp.dense_h_to_4h.bias", DType.F16, new long[] {M}, constant(M, 0));
            w.add(p + "mlp.dense_4h_to_h.weight", DType.F16, new long[] {D, M}, gaussian(random, D * M, std));
            w.add(p + "mlp.dense_4h_to_h.bias", DType.F16, new long[] {D}, constant(D, 0));
        }
        w.add("gpt_neox.final_layer_norm.weight", DType.F16, new long[] {D}, constant(D, 1));
        w.add("gpt_neox.final_layer_norm.bias", DType.F16, new long[] {D}, constant(D, 0));
        w.add("embed_out.weight", DType.F16, new long[] {VOCAB, D}, gaussian(random, VOCAB * D, std));
        w.write(out.resolve("model.safetensors"));
        // Pythia-160M's config.json, as published, with the fields NeuroMFA reads.
        String config = "{\n  \"architectures\": [\"GPTNeoXForCausalLM\"],\n  \"model_type\": \"gpt_neox\",\n"
                + "  \"hidden_size\": " + D + ",\n  \"num_hidden_layers\": " + LAYERS + ",\n"
                + "  \"intermediate_size\": " + M + ",\n  \"num_attention_heads\": 12,\n  \"vocab_size\": " + VOCAB + ",\n"
                + "  \"rotary_pct\": 0.25,\n  \"max_position_embeddings\": 2048,\n  \"torch_dtype\": \"float16\"\n}\n";
        Files.write(out.resolve("config.json"), config.getBytes(StandardCharsets.UTF_8));
    }

    private static float[] gaussian(SplittableRandom random, int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller, one value per pair: simple, and speed does not matter here.
            double u = 1 - random.nextDouble();
            v[i] = (float) (std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
        }
        return v;
    }

    private static float[] constant(int n, float value) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, value);
        return v;
    }
}

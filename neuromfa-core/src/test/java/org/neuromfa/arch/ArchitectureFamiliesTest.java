package org.neuromfa.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.neuromfa.arch.TestCheckpoint.config;
import static org.neuromfa.arch.TestCheckpoint.edge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.network.Network;
import org.neuromfa.sample.SamplePlan;
import org.neuromfa.tensor.NormalizedWeights;
import org.neuromfa.tensor.onnx.OnnxWriter;

/**
 * Each family on a small random checkpoint written in its real tensor naming and layout: the
 * detected family, the sampled groups, the edge count, and single edges checked against the stored
 * weight at the position worked out by hand from the wiring in the adapter's javadoc.
 */
class ArchitectureFamiliesTest {
    @TempDir
    Path dir;

    @Test
    void bertInHuggingFaceNaming() throws IOException {
        int d = 16;
        int m = 32;
        TestCheckpoint c = new TestCheckpoint(1).tensor("bert.embeddings.word_embeddings.weight", 50, d);
        for (int b = 0; b < 2; b++) {
            String p = "bert.encoder.layer." + b + ".";
            c.tensor(p + "attention.self.query.weight", d, d).tensor(p + "attention.self.query.bias", d)
                    .tensor(p + "attention.self.key.weight", d, d).tensor(p + "attention.self.value.weight", d, d)
                    .tensor(p + "attention.output.dense.weight", d, d).tensor(p + "intermediate.dense.weight", m, d)
                    .tensor(p + "output.dense.weight", d, m);
        }
        Path ckpt = c.write(dir.resolve("bert"), config("model_type", "bert", "hidden_size", d,
                "num_hidden_layers", 2, "intermediate_size", m, "num_attention_heads", 2));
        try (Checkpoint checkpoint = Checkpoint.open(ckpt)) {
            Architecture arch = Architectures.detect(checkpoint);
            assertThat(arch).isInstanceOf(Bert.class);
            assertThat(arch.family()).isEqualTo("bert");
            int k = 4;
            SamplePlan plan = arch.samplePlan(7, k);
            assertThat(plan.groups().keySet()).containsExactly(
                    "block0_input", "block0_q", "block0_attention_output", "block0_mlp",
                    "block1_input", "block1_q", "block1_attention_output", "block1_mlp", "block1_output");
            assertThat(plan.get("block1_mlp")).hasSize(2 * k);
            Network net = arch.network(plan, checkpoint.tensors());
            // Per block: Q, K, V 3k^2 + Q->mix k + K,V->mix 2k^2 + output k^2 + up 2k^2 + down 2k^2.
            assertThat(net.edgeCount()).isEqualTo(2 * (10 * k * k + k));
            // Block 1 starts at 128 = d + dq + 2 dkv + dq + d + m = 16+16+32+16+16+32; Q at +16.
            int s1 = plan.get("block1_input")[0];
            int t = plan.get("block1_q")[0];
            assertThat(edge(net, 128 + s1, 128 + 16 + t))
                    .isEqualTo(c.at("bert.encoder.layer.1.attention.self.query.weight", t, s1));
            // MLP hidden of block 1 at 128 + 96; its output is block 2's input at 256.
            int h = plan.get("block1_mlp")[0];
            int o = plan.get("block1_output")[0];
            assertThat(edge(net, 128 + 96 + h, 256 + o))
                    .isEqualTo(c.at("bert.encoder.layer.1.output.dense.weight", o, h));
            WiringEquivalence.assertSame(arch, checkpoint.tensors(), k);
        }
    }

    @Test
    void gpt2WithConv1DWeights() throws IOException {
        int d = 12;
        TestCheckpoint c = new TestCheckpoint(2).tensor("wte.weight", 40, d);
        for (int b = 0; b < 2; b++) {
            String p = "h." + b + ".";
            c.tensor(p + "attn.c_attn.weight", d, 3 * d).tensor(p + "attn.c_attn.bias", 3 * d)
                    .tensor(p + "attn.c_proj.weight", d, d).tensor(p + "mlp.c_fc.weight", d, 4 * d)
                    .tensor(p + "mlp.c_proj.weight", 4 * d, d);
        }
        Path ckpt = c.write(dir.resolve("gpt2"), config("model_type", "gpt2", "n_embd", d, "n_layer", 2,
                "n_head", 3, "n_inner", null));
        try (Checkpoint checkpoint = Checkpoint.open(ckpt)) {
            Architecture arch = Architectures.detect(checkpoint);
            assertThat(arch.family()).isEqualTo("gpt2");
            assertThat(arch.describe()).containsEntry("intermediate_size", 48);
            int k = 3;
            SamplePlan plan = arch.samplePlan(0, k);
            Network net = arch.network(plan, checkpoint.tensors());
            assertThat(net.edgeCount()).isEqualTo(2 * (10 * k * k + k));
            // Block 0: input at 0, Q at 12, K at 24, V at 36, mix at 48, output at 60, MLP at 72.
            // K of neuron t is column d + t of c_attn, read at the input's row.
            int s1 = plan.get("block0_input")[0];
            int t = plan.get("block0_q")[1];
            assertThat(edge(net, s1, 24 + t)).isEqualTo(c.at("h.0.attn.c_attn.weight", s1, 12 + t));
            assertThat(edge(net, s1, 36 + t)).isEqualTo(c.at("h.0.attn.c_attn.weight", s1, 24 + t));
            // Output projection: mix neuron t to output neuron s4 is c_proj[t, s4].
            int s4 = plan.get("block0_attention_output")[2];
            assertThat(edge(net, 48 + t, 60 + s4)).isEqualTo(c.at("h.0.attn.c_proj.weight", t, s4));
            assertThat(edge(net, 24 + t, 48 + plan.get("block0_q")[0])).isEqualTo(1f);
            WiringEquivalence.assertSame(arch, checkpoint.tensors(), k);
        }
    }

    @Test
    void qwen2WithGroupedQueryAttentionAndGatedMlp() throws IOException {
        int d = 16;
        int dkv = 8;
        int m = 24;
        TestCheckpoint c = new TestCheckpoint(3).tensor("model.embed_tokens.weight", 30, d);
        for (int b = 0; b < 2; b++) {
            String p = "model.layers." + b + ".";
            c.tensor(p + "self_attn.q_proj.weight", d, d).tensor(p + "self_attn.k_proj.weight", dkv, d)
                    .tensor(p + "self_attn.v_proj.weight", dkv, d).tensor(p + "self_attn.o_proj.weight", d, d)
                    .tensor(p + "mlp.gate_proj.weight", m, d).tensor(p + "mlp.up_proj.weight", m, d)
                    .tensor(p + "mlp.down_proj.weight", d, m).tensor(p + "input_layernorm.weight", d);
        }
        Path ckpt = c.write(dir.resolve("qwen"), config("model_type", "qwen2", "hidden_size", d,
                "num_hidden_layers", 2, "intermediate_size", m, "num_attention_heads", 4, "num_key_value_heads", 2));
        try (Checkpoint checkpoint = Checkpoint.open(ckpt)) {
            Architecture arch = Architectures.detect(checkpoint);
            assertThat(arch).isInstanceOf(Llama.class);
            assertThat(arch.family()).isEqualTo("qwen2");
            assertThat(arch.describe()).containsEntry("key_value_size", 8).containsEntry("gated_mlp", true);
            int k = 4;
            SamplePlan plan = arch.samplePlan(3, k);
            assertThat(plan.groups().keySet()).startsWith("block0_input", "block0_q", "block0_kv");
            assertThat(java.util.Arrays.stream(plan.get("block0_kv")).max().getAsInt()).isLessThan(dkv);
            Network net = arch.network(plan, checkpoint.tensors());
            // Per block 10k^2 + k as BERT, plus gate 2k^2 and the gate factors' down edges 2k^2.
            assertThat(net.edgeCount()).isEqualTo(2 * (14 * k * k + k));
            // Stride 128 = 16+16+8+8+16+16+24+24. Block 1: V at 128+40, gate at 128+80, up at 128+104.
            int s1 = plan.get("block1_input")[1];
            int u = plan.get("block1_kv")[0];
            assertThat(edge(net, 128 + s1, 128 + 40 + u)).isEqualTo(c.at("model.layers.1.self_attn.v_proj.weight", u, s1));
            int h = plan.get("block1_mlp")[3];
            int o = plan.get("block1_output")[0];
            float down = c.at("model.layers.1.mlp.down_proj.weight", o, h);
            assertThat(edge(net, 128 + 80 + h, 256 + o)).isEqualTo(down);
            assertThat(edge(net, 128 + 104 + h, 256 + o)).isEqualTo(down);
            int s4 = plan.get("block1_attention_output")[0];
            assertThat(edge(net, 128 + 64 + s4, 128 + 80 + h)).isEqualTo(c.at("model.layers.1.mlp.gate_proj.weight", h, s4));
            WiringEquivalence.assertSame(arch, checkpoint.tensors(), k);
        }
    }

    @Test
    void familiesAreRecognisedByTensorNamesWithoutConfig() throws IOException {
        TestCheckpoint gpt2 = new TestCheckpoint(10);
        for (int b = 0; b < 3; b++) {
            String p = "transformer.h." + b + ".";
            gpt2.tensor(p + "attn.c_attn.weight", 6, 18).tensor(p + "attn.c_proj.weight", 6, 6)
                    .tensor(p + "mlp.c_fc.weight", 6, 20).tensor(p + "mlp.c_proj.weight", 20, 6);
        }
        try (Checkpoint c = Checkpoint.open(gpt2.write(dir.resolve("g"), null))) {
            assertThat(Architectures.detect(c).describe()).containsEntry("family", "gpt2").containsEntry("hidden_size", 6)
                    .containsEntry("intermediate_size", 20).containsEntry("layers", 3);
        }
        TestCheckpoint roberta = new TestCheckpoint(11);
        String p = "roberta.encoder.layer.0.";
        roberta.tensor(p + "attention.self.query.weight", 4, 4).tensor(p + "attention.self.key.weight", 4, 4)
                .tensor(p + "attention.self.value.weight", 4, 4).tensor(p + "attention.output.dense.weight", 4, 4)
                .tensor(p + "intermediate.dense.weight", 8, 4).tensor(p + "output.dense.weight", 4, 9);
        try (Checkpoint c = Checkpoint.open(roberta.write(dir.resolve("r"), null))) {
            assertThatThrownBy(() -> Architectures.detect(c))
                    .hasMessageContaining("tensor 'roberta.encoder.layer.0.output.dense.weight' has shape [4, 9],"
                            + " but the other tensors imply [4, 8]");
        }
    }

    @Test
    void tensorsThatDoNotFitTheConfigAreAnError() throws IOException {
        TestCheckpoint c = new TestCheckpoint(4);
        String p = "model.layers.0.";
        c.tensor(p + "self_attn.q_proj.weight", 8, 8).tensor(p + "self_attn.k_proj.weight", 8, 8)
                .tensor(p + "self_attn.v_proj.weight", 8, 8).tensor(p + "self_attn.o_proj.weight", 8, 8)
                .tensor(p + "mlp.gate_proj.weight", 16, 8).tensor(p + "mlp.up_proj.weight", 16, 8)
                .tensor(p + "mlp.down_proj.weight", 8, 16);
        Path ckpt = c.write(dir.resolve("llama"), config("model_type", "llama", "hidden_size", 8,
                "num_hidden_layers", 1, "intermediate_size", 16, "num_attention_heads", 4, "num_key_value_heads", 2));
        try (Checkpoint checkpoint = Checkpoint.open(ckpt)) {
            assertThatThrownBy(() -> Architectures.detect(checkpoint))
                    .isInstanceOf(NeuroMfaException.class)
                    .hasMessageContaining("tensor 'model.layers.0.self_attn.k_proj.weight' has shape [8, 8]")
                    .hasMessageContaining("config.json implies [4, 8]");
        }
    }

    @Test
    void linearStackWithoutConfig() throws IOException {
        TestCheckpoint c = new TestCheckpoint(5).tensor("0.weight", 8, 6).tensor("0.bias", 8)
                .tensor("2.weight", 10, 8).tensor("4.weight", 5, 10);
        Path ckpt = c.write(dir.resolve("mlp"), null);
        try (Checkpoint checkpoint = Checkpoint.open(ckpt)) {
            Architecture arch = Architectures.detect(checkpoint);
            assertThat(arch.family()).isEqualTo("linear_stack");
            assertThat(arch.describe()).containsEntry("sizes", "[6, 8, 10, 5]");
            int k = 3;
            SamplePlan plan = arch.samplePlan(1, k);
            assertThat(plan.groups().keySet()).containsExactly("layer0", "layer1", "layer2", "layer3");
            Network net = arch.network(plan, checkpoint.tensors());
            assertThat(net.edgeCount()).isEqualTo(3 * k * k);
            // Groups start at 0, 6, 14, 24.
            int a = plan.get("layer1")[2];
            int b = plan.get("layer2")[0];
            assertThat(edge(net, 6 + a, 14 + b)).isEqualTo(c.at("2.weight", b, a));
            WiringEquivalence.assertSame(arch, checkpoint.tensors(), k);
        }
    }

    @Test
    void linearStackWhoseShapesDoNotChainIsAnError() throws IOException {
        Path ckpt = new TestCheckpoint(6).tensor("layers.0.weight", 8, 6).tensor("layers.1.weight", 4, 7)
                .write(dir.resolve("broken"), null);
        try (Checkpoint checkpoint = Checkpoint.open(ckpt)) {
            assertThatThrownBy(() -> Architectures.detect(checkpoint))
                    .hasMessageContaining("its 7 inputs do not match the 8 outputs of 'layers.0.weight'");
        }
    }

    @Test
    void bertExportedToOnnx() throws IOException {
        int d = 8;
        int m = 16;
        OnnxWriter w = new OnnxWriter();
        TestCheckpoint values = new TestCheckpoint(7);
        String[] paths = {"attention/self/query", "attention/self/key", "attention/self/value",
            "attention/output/dense", "intermediate/dense", "output/dense"};
        int id = 800;
        for (int b = 0; b < 2; b++) {
            for (String path : paths) {
                String name = "onnx::MatMul_" + id++;
                long in = path.equals("output/dense") ? m : d;
                long out = path.equals("intermediate/dense") ? m : d;
                values.tensor(name, in, out);
                w.rawFloat(name, new long[] {in, out}, values.values.get(name));
                w.node("/encoder/layer." + b + "/" + path + "/MatMul", "MatMul",
                        new String[] {"/x" + b + path, name}, "/y" + b + path);
            }
        }
        w.node("/encoder/layer.0/attention/self/MatMul", "MatMul", new String[] {"/q", "/k"}, "/scores");
        Files.createDirectories(dir.resolve("onnx"));
        Files.write(dir.resolve("onnx/model.onnx"), w.toBytes());
        try (Checkpoint checkpoint = Checkpoint.open(dir.resolve("onnx/model.onnx"))) {
            Architecture arch = Architectures.detect(checkpoint);
            assertThat(arch).isInstanceOf(BertOnnx.class);
            assertThat(arch.describe()).containsEntry("hidden_size", 8).containsEntry("intermediate_size", 16)
                    .containsEntry("layers", 2).containsEntry("layout", "onnx");
            int k = 3;
            SamplePlan plan = arch.samplePlan(2, k);
            Network net = arch.network(plan, checkpoint.tensors());
            assertThat(net.edgeCount()).isEqualTo(2 * (10 * k * k + k));
            // Block 0: attention output at 40 = d + dq + 2 dkv + dq, MLP at 48; the up map of layer 0
            // is the fifth initializer, onnx::MatMul_804, stored [in, out].
            int s4 = plan.get("block0_attention_output")[1];
            int h = plan.get("block0_mlp")[5];
            assertThat(edge(net, 40 + s4, 48 + h)).isEqualTo(values.at("onnx::MatMul_804", s4, h));
            // Found through a wrapping store too (the graph is reached through TensorStore.wrapped()).
            assertThat(Architectures.detect(null, new NormalizedWeights(checkpoint.tensors()), QkvLayout.THIRDS).describe())
                    .isEqualTo(arch.describe());
            WiringEquivalence.assertSame(arch, checkpoint.tensors(), k);
        }
    }

    @Test
    void gptNeoXHeadsLayoutReadsPerHeadRows() throws IOException {
        int d = 8;
        TestCheckpoint c = new TestCheckpoint(8);
        c.tensor("gpt_neox.layers.0.attention.query_key_value.weight", 3 * d, d)
                .tensor("gpt_neox.layers.0.attention.dense.weight", d, d)
                .tensor("gpt_neox.layers.0.mlp.dense_h_to_4h.weight", 4 * d, d)
                .tensor("gpt_neox.layers.0.mlp.dense_4h_to_h.weight", d, 4 * d);
        Path ckpt = c.write(dir.resolve("neox"), config("model_type", "gpt_neox", "hidden_size", d,
                "num_hidden_layers", 1, "intermediate_size", 4 * d, "num_attention_heads", 2));
        try (Checkpoint checkpoint = Checkpoint.open(ckpt)) {
            Architecture thirds = Architectures.detect(checkpoint);
            Architecture heads = Architectures.detect(checkpoint, QkvLayout.HEADS);
            int k = 3;
            SamplePlan plan = heads.samplePlan(5, k);
            int[] t = plan.get("block0_nums3");
            int[] rows = plan.get("block0_nums2");
            // Same draws as the reference wiring; head h = t / 4 has Q at h*12 + t%4, K +4, V +8.
            assertThat(t).containsExactly(thirds.samplePlan(5, k).get("block0_nums3"));
            for (int i = 0; i < k; i++) {
                int base = (t[i] / 4) * 12 + t[i] % 4;
                assertThat(new int[] {rows[i], rows[k + i], rows[2 * k + i]}).containsExactly(base, base + 4, base + 8);
            }
            Network net = heads.network(plan, checkpoint.tensors());
            assertThat(net.edgeCount()).isEqualTo(thirds.network(thirds.samplePlan(5, k), checkpoint.tensors()).edgeCount());
            int s1 = plan.get("block0_nums1")[0];
            // G1 node of a row is d + row; its weight is that row of query_key_value.
            assertThat(edge(net, s1, d + rows[k])).isEqualTo(c.at("gpt_neox.layers.0.attention.query_key_value.weight", rows[k], s1));
            // Q of t[0] feeds only mix neuron t[0] (at 4d + t); K of t[0] feeds all.
            assertThat(edge(net, d + rows[0], 4 * d + t[0])).isEqualTo(1f);
            assertThat(edge(net, d + rows[0], 4 * d + t[1])).isNaN();
            assertThat(edge(net, d + rows[k], 4 * d + t[1])).isEqualTo(1f);
            assertThat(heads.describe()).containsEntry("qkv_layout", "heads");
            assertThat(thirds.describe()).doesNotContainKey("qkv_layout");
            WiringEquivalence.assertSame(thirds, checkpoint.tensors(), k);
            assertThat(heads.wiringDescription()).isNull();
        }
    }

    @Test
    void headsLayoutIsRefusedForOtherFamilies() throws IOException {
        Path ckpt = new TestCheckpoint(9).tensor("0.weight", 4, 4).write(dir.resolve("s"), null);
        try (Checkpoint checkpoint = Checkpoint.open(ckpt)) {
            // The library names settings as the results' parameters do; the command line shows flags
            // (FlagMessagesTest).
            assertThatThrownBy(() -> Architectures.detect(checkpoint, QkvLayout.HEADS))
                    .hasMessageContaining("qkv_layout heads applies to GPT-NeoX models only");
        }
    }
}

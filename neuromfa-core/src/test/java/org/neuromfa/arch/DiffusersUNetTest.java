package org.neuromfa.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.neuromfa.arch.ConvolutionalFamiliesTest.kernel;
import static org.neuromfa.arch.ConvolutionalFamiliesTest.l2;
import static org.neuromfa.arch.TestCheckpoint.edge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.model.Checkpoint;
import org.neuromfa.network.Network;
import org.neuromfa.sample.SamplePlan;
import org.neuromfa.analysis.AnalysisOptions;
import org.neuromfa.analysis.CheckpointAnalysis;
import org.neuromfa.analysis.CheckpointResult;
import org.neuromfa.tensor.SparseTensors;
import org.neuromfa.tensor.torch.SparseTorchFile;

/**
 * A small diffusers UNet ({@link DiffusersUNet}) in a diffusers folder ({@code config.json} with
 * {@code _class_name}, {@code diffusion_pytorch_model.safetensors} or {@code .bin}): the groups in
 * forward order, the skip connections, cross-attention from the text features, the GEGLU halves,
 * the edge count worked out by hand, and the same analysis from both formats.
 */
class DiffusersUNetTest {
    @TempDir
    Path dir;

    private Path write(DiffusersUNet u, String name, boolean torch) throws IOException {
        return write(u.state, name, torch);
    }

    private Path write(SparseTensors state, String name, boolean torch) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("config.json"), "{\"_class_name\": \"UNet2DConditionModel\", \"_diffusers_version\": \"0.30.0\","
                + " \"block_out_channels\": [32, 64], \"cross_attention_dim\": 16, \"in_channels\": 4, \"out_channels\": 4,"
                + " \"layers_per_block\": 1}");
        if (torch) {
            SparseTorchFile.write(state, d.resolve("diffusion_pytorch_model.bin"));
        } else {
            state.writeSafetensors(d.resolve("diffusion_pytorch_model.safetensors"));
        }
        return d;
    }

    @Test
    void groupsFollowTheForwardPassWithSkipsAndCrossAttention() throws IOException {
        DiffusersUNet u = DiffusersUNet.small().filled(5);
        SparseTensors s = u.state;
        try (Checkpoint checkpoint = Checkpoint.open(write(u, "unet", false))) {
            WiredArchitecture arch = (WiredArchitecture) Architectures.detect(checkpoint);
            assertThat(arch.describe()).containsEntry("family", "unet2d").containsEntry("down_blocks", 2)
                    .containsEntry("up_blocks", 2).containsEntry("block_out_channels", "[32, 64]")
                    .containsEntry("transformer_blocks", 4).containsEntry("cross_attention_dim", 16);
            Map<String, Integer> groups = arch.groupSizes();
            String t = "down_blocks.0.attentions.0.transformer_blocks.0";
            assertThat(List.copyOf(groups.keySet()).subList(0, 9)).containsExactly("sample", "context", "conv_in",
                    "down_blocks.0.resnets.0.conv1", "down_blocks.0.resnets.0", "down_blocks.0.attentions.0.proj_in",
                    t + ".attn1.q", t + ".attn1.k", t + ".attn1.v");
            assertThat(groups).containsEntry("sample", 4).containsEntry("context", 16).containsEntry(t + ".ff.hidden", 128)
                    .containsEntry(t + ".ff.gate", 128).containsEntry("up_blocks.0.resnets.0.conv1", 64).containsEntry("conv_out", 4);
            assertThat(List.copyOf(groups.keySet()).get(groups.size() - 1)).isEqualTo("conv_out");

            int k = 4;
            SamplePlan plan = arch.samplePlan(1, k);
            // Q, K, V and the mix share one draw; the GEGLU halves one draw of 2k.
            assertThat(plan.groups()).containsKey(t + ".attn1.q").doesNotContainKey(t + ".attn1.k")
                    .containsKey(t + ".ff.hidden").doesNotContainKey(t + ".ff.gate");
            assertThat(plan.get(t + ".ff.hidden")).hasSize(2 * k);
            Network net = arch.network(plan, checkpoint.tensors());
            // Worked out in the class comment of this test's model: 119 k^2 + 16 k with 4 latent channels.
            assertThat(net.edgeCount()).isEqualTo(119 * k * k + 16 * k);

            // up_blocks.0.resnets.1 takes down_blocks.0.downsamplers.0 (32 channels) after its 64 input channels:
            // skip channel c is input channel 64 + c of its conv1.
            String skip = "down_blocks.0.downsamplers.0";
            String conv1 = "up_blocks.0.resnets.1.conv1";
            int c = plan.get(skip)[0];
            int o = plan.get(conv1)[2];
            assertThat(edge(net, arch.base(skip) + c, arch.base(conv1) + o))
                    .isEqualTo(l2(kernel(s, "up_blocks.0.resnets.1.conv1.weight", o, 64 + c)));
            int h = plan.get("up_blocks.0.resnets.0")[1];
            assertThat(edge(net, arch.base("up_blocks.0.resnets.0") + h, arch.base(conv1) + o))
                    .isEqualTo(l2(kernel(s, "up_blocks.0.resnets.1.conv1.weight", o, h)));
            // ... and its 1 x 1 shortcut the same way.
            int r = plan.get("up_blocks.0.resnets.1")[0];
            assertThat(edge(net, arch.base(skip) + c, arch.base("up_blocks.0.resnets.1") + r))
                    .isEqualTo(s.at("up_blocks.0.resnets.1.conv_shortcut.weight", r, 64 + c));
            // Cross-attention: K of attn2 from the text features, through to_k [32, 16].
            int x = plan.get("context")[3];
            int q = plan.get(t + ".attn2.q")[0];
            assertThat(edge(net, arch.base("context") + x, arch.base(t + ".attn2.k") + q))
                    .isEqualTo(s.at(t + ".attn2.to_k.weight", q, x));
            // GEGLU: gate neuron j is row 128 + j of ff.net.0.proj; both halves reach the output through column j of ff.net.2.
            int j = plan.get(t + ".ff.hidden")[5];
            int a = plan.get(t + ".attn2")[1];
            int f = plan.get(t + ".ff")[0];
            assertThat(edge(net, arch.base(t + ".attn2") + a, arch.base(t + ".ff.gate") + j))
                    .isEqualTo(s.at(t + ".ff.net.0.proj.weight", 128 + j, a));
            assertThat(edge(net, arch.base(t + ".attn2") + a, arch.base(t + ".ff.hidden") + j))
                    .isEqualTo(s.at(t + ".ff.net.0.proj.weight", j, a));
            assertThat(edge(net, arch.base(t + ".ff.gate") + j, arch.base(t + ".ff") + f)).isEqualTo(s.at(t + ".ff.net.2.weight", f, j));
            assertThat(edge(net, arch.base(t + ".ff.hidden") + j, arch.base(t + ".ff") + f)).isEqualTo(s.at(t + ".ff.net.2.weight", f, j));
            // The timestep embedding carries no edges: no group is named after it.
            assertThat(groups.keySet()).noneMatch(g -> g.contains("time"));
            WiringEquivalence.assertSame(arch, checkpoint.tensors(), k);
        }
    }

    @Test
    void safetensorsAndPyTorchGiveTheSameAnalysis() throws IOException {
        DiffusersUNet u = DiffusersUNet.small().filled(6);
        AnalysisOptions options = AnalysisOptions.defaults().withSamples(2).withNodesPerLayer(16);
        CheckpointResult a;
        CheckpointResult b;
        try (Checkpoint checkpoint = Checkpoint.open(write(u, "st", false))) {
            assertThat(checkpoint.weightsFile()).isEqualTo("diffusion_pytorch_model.safetensors");
            a = CheckpointAnalysis.run(checkpoint, options, 2, null);
        }
        try (Checkpoint checkpoint = Checkpoint.open(write(u, "pt", true))) {
            assertThat(checkpoint.weightsFile()).isEqualTo("diffusion_pytorch_model.bin");
            b = CheckpointAnalysis.run(checkpoint, options, 2, null);
        }
        assertThat(a.architecture).isEqualTo(b.architecture);
        assertThat(a.fingerprint).isEqualTo(b.fingerprint);
        for (int i = 0; i < 2; i++) {
            assertThat(a.samples.get(i).edges()).isEqualTo(119 * 16 * 16 + 16 * 16);
            assertThat(b.samples.get(i).tau()).containsExactly(a.samples.get(i).tau());
            assertThat(b.samples.get(i).alpha0()).isEqualTo(a.samples.get(i).alpha0());
        }
        assertThat(a.alpha0Mean).isFinite();
        assertThat(a.widthMean).isPositive();
    }

    @Test
    void anUpBlockWhoseInputsDoNotAddUpIsAnError() throws IOException {
        DiffusersUNet u = DiffusersUNet.small();
        SparseTensors broken = new SparseTensors();
        for (SparseTensors.Spec s : u.state.specs()) {
            long[] shape = s.shape.clone();
            if (s.name.equals("up_blocks.0.resnets.1.conv1.weight")) {
                shape[1] = 80;
            }
            broken.add(s.name, s.dtype, shape);
        }
        try (Checkpoint checkpoint = Checkpoint.open(write(broken, "broken", false))) {
            assertThatThrownBy(() -> Architectures.detect(checkpoint)).isInstanceOf(NeuroMfaException.class)
                    .hasMessageContaining("tensor 'up_blocks.0.resnets.1.conv1.weight' has 80 input channels, but the input"
                            + " ('up_blocks.0.resnets.0', 64) and the skip connection ('down_blocks.0.downsamplers.0', 32)"
                            + " concatenated make 96");
        }
    }
}

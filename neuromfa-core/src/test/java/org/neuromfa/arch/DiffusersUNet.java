package org.neuromfa.arch;

import org.neuromfa.tensor.SparseTensors;

/**
 * The state dict of a small diffusers {@code UNet2DConditionModel} in its real layout (diffusers'
 * {@code unet_2d_condition.py}, {@code unet_2d_blocks.py}, {@code resnet.py},
 * {@code transformer_2d.py}, {@code attention.py}): block_out_channels (32, 64), one layer per
 * block, down blocks (CrossAttnDownBlock2D, DownBlock2D), up blocks (UpBlock2D, CrossAttnUpBlock2D),
 * a cross-attention mid block, 4 latent channels, cross_attention_dim 16, GEGLU feed-forwards,
 * 1 x 1 convolutions for proj_in and proj_out (Stable Diffusion 1.x), and the timestep embedding.
 */
final class DiffusersUNet {
    static final int[] CHANNELS = {32, 64};
    static final int LATENT = 4;
    static final int CONTEXT = 16;
    static final int TIME = 4 * CHANNELS[0];

    final SparseTensors state = new SparseTensors();

    static DiffusersUNet small() {
        DiffusersUNet u = new DiffusersUNet();
        SparseTensors s = u.state;
        s.f32("conv_in.weight", CHANNELS[0], LATENT, 3, 3).f32("conv_in.bias", CHANNELS[0]);
        s.f32("time_embedding.linear_1.weight", TIME, CHANNELS[0]).f32("time_embedding.linear_1.bias", TIME);
        s.f32("time_embedding.linear_2.weight", TIME, TIME).f32("time_embedding.linear_2.bias", TIME);
        u.attention("down_blocks.0.attentions.0", 32);
        u.resnet("down_blocks.0.resnets.0", 32, 32);
        s.f32("down_blocks.0.downsamplers.0.conv.weight", 32, 32, 3, 3).f32("down_blocks.0.downsamplers.0.conv.bias", 32);
        u.resnet("down_blocks.1.resnets.0", 32, 64);
        u.attention("mid_block.attentions.0", 64);
        u.resnet("mid_block.resnets.0", 64, 64);
        u.resnet("mid_block.resnets.1", 64, 64);
        u.resnet("up_blocks.0.resnets.0", 64 + 64, 64);
        u.resnet("up_blocks.0.resnets.1", 64 + 32, 64);
        s.f32("up_blocks.0.upsamplers.0.conv.weight", 64, 64, 3, 3).f32("up_blocks.0.upsamplers.0.conv.bias", 64);
        u.attention("up_blocks.1.attentions.0", 32);
        u.attention("up_blocks.1.attentions.1", 32);
        u.resnet("up_blocks.1.resnets.0", 64 + 32, 32);
        u.resnet("up_blocks.1.resnets.1", 32 + 32, 32);
        s.f32("conv_norm_out.weight", 32).f32("conv_norm_out.bias", 32);
        s.f32("conv_out.weight", LATENT, 32, 3, 3).f32("conv_out.bias", LATENT);
        return u;
    }

    private void resnet(String p, int in, int out) {
        state.f32(p + ".norm1.weight", in).f32(p + ".norm1.bias", in)
                .f32(p + ".conv1.weight", out, in, 3, 3).f32(p + ".conv1.bias", out)
                .f32(p + ".time_emb_proj.weight", out, TIME).f32(p + ".time_emb_proj.bias", out)
                .f32(p + ".norm2.weight", out).f32(p + ".norm2.bias", out)
                .f32(p + ".conv2.weight", out, out, 3, 3).f32(p + ".conv2.bias", out);
        if (in != out) {
            state.f32(p + ".conv_shortcut.weight", out, in, 1, 1).f32(p + ".conv_shortcut.bias", out);
        }
    }

    private void attention(String p, int c) {
        state.f32(p + ".norm.weight", c).f32(p + ".norm.bias", c).f32(p + ".proj_in.weight", c, c, 1, 1).f32(p + ".proj_in.bias", c);
        String t = p + ".transformer_blocks.0";
        state.f32(t + ".norm1.weight", c).f32(t + ".norm1.bias", c);
        for (String a : new String[] {"attn1", "attn2"}) {
            int kv = a.equals("attn1") ? c : CONTEXT;
            state.f32(t + "." + a + ".to_q.weight", c, c).f32(t + "." + a + ".to_k.weight", c, kv)
                    .f32(t + "." + a + ".to_v.weight", c, kv).f32(t + "." + a + ".to_out.0.weight", c, c)
                    .f32(t + "." + a + ".to_out.0.bias", c);
            state.f32(t + (a.equals("attn1") ? ".norm2" : ".norm3") + ".weight", c);
        }
        state.f32(t + ".ff.net.0.proj.weight", 8 * c, c).f32(t + ".ff.net.0.proj.bias", 8 * c)
                .f32(t + ".ff.net.2.weight", c, 4 * c).f32(t + ".ff.net.2.bias", c);
        state.f32(p + ".proj_out.weight", c, c, 1, 1).f32(p + ".proj_out.bias", c);
    }

    /** Fills every row of every tensor (the model is small). */
    DiffusersUNet filled(long seed) {
        java.util.Map<String, java.util.List<Integer>> all = new java.util.LinkedHashMap<>();
        for (SparseTensors.Spec s : state.specs()) {
            java.util.List<Integer> rows = new java.util.ArrayList<>();
            for (int r = 0; r < (s.shape.length == 0 ? 1 : s.shape[0]); r++) {
                rows.add(r);
            }
            all.put(s.name, rows);
        }
        state.fill(all, seed, 1f);
        return this;
    }
}

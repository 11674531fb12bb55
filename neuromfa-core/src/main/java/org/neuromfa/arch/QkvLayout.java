package org.neuromfa.arch;

import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;

/**
 * How the rows of GPT-NeoX's fused {@code query_key_value} weight ({@code [3d, d]}) are read as Q, K
 * and V. {@link #THIRDS} is the reference code's reading (rows {@code 0..d-1} are Q, {@code d..2d-1}
 * K, {@code 2d..3d-1} V). {@link #HEADS} is how GPT-NeoX really lays them out: {@code [heads, 3,
 * head_dim]}, so Q of head {@code h} is rows {@code h*3*hd .. h*3*hd+hd-1}, its K the next
 * {@code hd} rows and its V the {@code hd} after.
 */
public enum QkvLayout {
    THIRDS, HEADS;

    /** Parses the {@code --qkv-layout} value ({@code thirds} or {@code heads}). */
    public static QkvLayout parse(String value) {
        switch (value) {
            case "thirds": return THIRDS;
            case "heads": return HEADS;
            default: throw new NeuroMfaException(Message.setting("qkv_layout") + " must be 'thirds' or 'heads', not '" + value + "'");
        }
    }

    public String optionValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

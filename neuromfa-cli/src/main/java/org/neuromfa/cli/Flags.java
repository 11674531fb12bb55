package org.neuromfa.cli;

import org.neuromfa.Message;
import org.neuromfa.NeuroMfaException;

/**
 * The command line's names of the library's settings: messages from the library name a setting as
 * the results' parameters do ({@code nodes_per_layer}); the command line shows the flag that sets it
 * ({@code --nodes-per-layer}).
 */
public final class Flags {
    private Flags() {
    }

    /**
     * The flag of the setting {@code name}: {@code --} and the name with dashes, but the estimator is
     * {@code --spectrum} and the null model {@code --null}.
     */
    public static String of(String name) {
        if (name.equals("estimator")) {
            return "--spectrum";
        }
        return name.equals("null_model") ? "--null" : "--" + name.replace('_', '-');
    }

    /** {@code message} with its settings named by their flags. */
    public static String render(Message message) {
        return message.render(Flags::of);
    }

    /** The exception's message with its settings named by their flags. */
    public static String message(NeuroMfaException e) {
        return render(e.message());
    }
}

package org.neuromfa.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.neuromfa.NeuroMfaException;

/**
 * Turns what a user typed as MODEL into an opened checkpoint: a checkpoint directory, or a weights
 * file with its {@code config.json} beside it.
 */
public final class ModelLocation {
    private ModelLocation() {
    }

    /**
     * Opens {@code model}.
     *
     * @param revision a revision asked for with {@code --revision}, or null
     */
    public static Checkpoint open(String model, String revision) throws IOException {
        Path path = Paths.get(model);
        if (Files.exists(path)) {
            if (revision != null) {
                throw new NeuroMfaException(model, "--revision applies to Hub models, not to a local path");
            }
            return Checkpoint.open(path);
        }
        throw new NeuroMfaException(model, "no such file or directory");
    }
}

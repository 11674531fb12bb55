package org.neuromfa.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.Supplier;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.source.hub.HubCheckpointFiles;
import org.neuromfa.source.hub.HubRepo;
import org.neuromfa.source.hub.HubSettings;

/**
 * Turns what a user typed as MODEL into an opened checkpoint: a checkpoint directory, a weights
 * file with its {@code config.json} beside it, or, when no such path exists and MODEL has the shape
 * {@code org/name} or {@code org/name@revision}, a model repository on the Hugging Face Hub.
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
        return open(model, revision, null);
    }

    /**
     * Opens {@code model}; {@code hub} says how to reach the Hub (asked only for Hub models), or is
     * null to take it from the process environment ({@code HF_ENDPOINT}, {@code HF_TOKEN}, ...).
     */
    public static Checkpoint open(String model, String revision, Supplier<HubSettings> hub) throws IOException {
        Path path;
        try {
            path = Paths.get(model);
        } catch (InvalidPathException e) {
            path = null;
        }
        if (path == null || !Files.exists(path)) {
            if (HubRepo.looksLikeRepo(model)) {
                HubSettings settings = hub != null ? hub.get() : HubSettings.fromEnvironment(System.getenv());
                return Checkpoint.open(HubCheckpointFiles.open(HubRepo.parse(model, revision), settings), null);
            }
        }
        if (path != null && Files.exists(path)) {
            if (revision != null) {
                throw new NeuroMfaException(model, "--revision applies to Hub models, not to a local path");
            }
            return Checkpoint.open(path);
        }
        throw new NeuroMfaException(model, "no such file or directory");
    }
}

package org.neuromfa.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.neuromfa.locate.CheckpointLocator;
import org.neuromfa.source.hub.HubSettings;
import picocli.CommandLine.Option;

/** How a command reaches the Hugging Face Hub: the environment's settings, with the command line's adjustments. */
public final class HubOptionsMixin {

    @Option(names = "--connections", paramLabel = "N",
            description = "Hub requests in flight at once (default: $NEUROMFA_HUB_CONNECTIONS, else "
                    + HubSettings.DEFAULT_CONNECTIONS + "). Lower it for a slow or shared link.")
    Integer connections;

    /**
     * A locator reaching the Hub with the settings of {@code env}, with {@code --connections} and
     * notices printed on {@code err}; read only when a Hub model is named.
     */
    CheckpointLocator locator(Map<String, String> env, PrintWriter err) {
        return CheckpointLocator.fromEnvironment(env, s -> adjust(s, err));
    }

    HubSettings adjust(HubSettings settings, PrintWriter err) {
        HubSettings s = settings.withNotices(line -> {
            synchronized (err) {
                err.println("neuromfa: " + line);
                err.flush();
            }
        });
        return connections == null ? s : s.withConnections(connections);
    }
}

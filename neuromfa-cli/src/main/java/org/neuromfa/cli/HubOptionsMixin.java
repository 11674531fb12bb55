package org.neuromfa.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.neuromfa.source.hub.HubSettings;
import picocli.CommandLine.Option;

/** How a command reaches the Hugging Face Hub: the environment's settings, with the command line's adjustments. */
public final class HubOptionsMixin {

    @Option(names = "--connections", paramLabel = "N",
            description = "Hub requests in flight at once (default: $NEUROMFA_HUB_CONNECTIONS, else "
                    + HubSettings.DEFAULT_CONNECTIONS + "). Lower it for a slow or shared link.")
    Integer connections;

    /** The settings of {@code env}, with {@code --connections} and notices printed on {@code err}. */
    HubSettings settings(Map<String, String> env, PrintWriter err) {
        HubSettings s = HubSettings.fromEnvironment(env).withNotices(line -> {
            synchronized (err) {
                err.println("neuromfa: " + line);
                err.flush();
            }
        });
        return connections == null ? s : s.withConnections(connections);
    }
}

package org.neuromfa.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.neuromfa.base.AtomicFiles;

/** Writing result files: atomically to a path, or to standard output for "-". */
final class Outputs {
    private Outputs() {
    }

    /** Writes {@code content} to {@code target}; "-" means standard output. */
    static void write(String target, byte[] content, PrintWriter out) throws IOException {
        if (target.equals("-")) {
            out.print(new String(content, StandardCharsets.UTF_8));
            out.flush();
        } else {
            AtomicFiles.write(path(target), content);
        }
    }

    static Path path(String target) {
        return Paths.get(target);
    }
}

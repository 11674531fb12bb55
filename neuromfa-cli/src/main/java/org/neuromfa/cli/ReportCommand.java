package org.neuromfa.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.base.AtomicFiles;
import org.neuromfa.io.ResultJson;
import org.neuromfa.io.TrajectoryJson;
import org.neuromfa.report.ReportHtml;
import org.neuromfa.study.TrajectoryPoint;
import org.neuromfa.study.TrajectoryResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code neuromfa report RESULTS... --out report.html}: one self-contained HTML page of results. */
@Command(name = "report",
        header = "One self-contained HTML report (tables and plots) from result JSON files.",
        mixinStandardHelpOptions = true,
        description = {
            "Write one self-contained HTML file (inline plots, no network needed) from result JSON files:",
            "trajectories, correlations, scaling comparisons and single analyses."})
final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RESULTS",
            description = "JSON files written by trajectory, correlate, scaling or analyze (--json).")
    List<Path> results;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The HTML file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        ReportHtml html = new ReportHtml();
        for (Path p : results) {
            JsonNode root;
            try {
                root = ResultJson.MAPPER.readTree(Files.readAllBytes(p));
            } catch (JsonProcessingException e) {
                throw new NeuroMfaException(p.toString(), "not valid JSON: " + e.getOriginalMessage());
            }
            String kind = root == null ? "" : root.path("kind").asText("");
            html.source(p.toString());
            if (TrajectoryJson.isTrajectory(root)) {
                html.trajectory("Trajectory: " + p.getFileName(), TrajectoryJson.parse(p.toString(), root));
            } else if (kind.equals("correlation")) {
                html.correlation("Emergence and benchmarks: " + p.getFileName(), root);
            } else if (kind.equals("scaling")) {
                html.scaling("Emergence across model sizes: " + p.getFileName(), root);
            } else if (root != null && root.get("samples") instanceof ArrayNode && root.path("model").isTextual()
                    && root.get("parameters") instanceof ObjectNode) {
                html.trajectory("Analysis: " + root.get("model").asText(), single(root));
            } else {
                throw new NeuroMfaException(p.toString(), "not a result of trajectory, correlate, scaling or analyze");
            }
        }
        AtomicFiles.write(out, html.html().getBytes(StandardCharsets.UTF_8));
        PrintWriter w = spec.commandLine().getOut();
        w.println("wrote " + out + " (" + html.figures() + " plots)");
        w.flush();
        return 0;
    }

    /** An analyze result is shown as a trajectory of one checkpoint. */
    private static TrajectoryResult single(JsonNode root) {
        List<ObjectNode> samples = new ArrayList<>();
        root.get("samples").forEach(s -> samples.add((ObjectNode) s));
        TrajectoryPoint p = new TrajectoryPoint(root.get("model").asText(), root.get("model").asText(), null,
                root.get("architecture"), 0, samples, null);
        JsonNode q = root.get("q");
        return new TrajectoryResult((ObjectNode) root.get("parameters"),
                q instanceof ArrayNode ? (ArrayNode) q : ResultJson.MAPPER.createArrayNode(), List.of(p));
    }
}

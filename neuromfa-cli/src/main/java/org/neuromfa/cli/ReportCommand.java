package org.neuromfa.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.base.AtomicFiles;
import org.neuromfa.io.ComparisonJson;
import org.neuromfa.io.CorrelationJson;
import org.neuromfa.io.ResultJson;
import org.neuromfa.io.ScalingJson;
import org.neuromfa.io.SweepJson;
import org.neuromfa.io.TrajectoryJson;
import org.neuromfa.report.ReportHtml;
import org.neuromfa.study.TrajectoryComparison;
import org.neuromfa.study.TrajectoryPoint;
import org.neuromfa.study.TrajectoryResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code neuromfa report RESULTS... --out report.html}: one self-contained HTML page of results. */
@Command(name = "report",
        header = "One self-contained HTML report (tables and plots) from result JSON files.",
        mixinStandardHelpOptions = true,
        description = "Write one self-contained HTML file (inline plots, no network needed) from result JSON files: "
                + "trajectories (several also side by side), correlations, scaling and trajectory comparisons, and "
                + "single analyses.")
final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RESULTS",
            description = "JSON files written by trajectory, correlate, scaling, compare or analyze (--json); several"
                    + " trajectories are also shown side by side.")
    List<Path> results;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The HTML file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        ReportHtml html = new ReportHtml();
        html.provenance(Main.version(), Main.commandLine(spec), java.time.Instant.now());
        List<TrajectoryResult> trajectories = new ArrayList<>();
        List<String> trajectoryFiles = new ArrayList<>();
        for (Path p : results) {
            JsonNode root;
            try {
                root = ResultJson.MAPPER.readTree(Files.readAllBytes(p));
            } catch (JsonProcessingException e) {
                throw new NeuroMfaException(p.toString(), "not valid JSON: " + e.getOriginalMessage());
            }
            html.source(p.toString());
            TrajectoryResult analysis;
            if (TrajectoryJson.isTrajectory(root)) {
                TrajectoryResult t = TrajectoryJson.parse(p.toString(), root);
                html.trajectory("Trajectory: " + p.getFileName(), t);
                trajectories.add(t);
                trajectoryFiles.add(p.toString());
            } else if (SweepJson.isSweep(root)) {
                org.neuromfa.study.Sweep.Result sweep = SweepJson.parse(p.toString(), root);
                html.sweep("Sweep: " + p.getFileName(), sweep);
            } else if (ComparisonJson.isComparison(root)) {
                html.comparison("Trajectories compared: " + p.getFileName(), ComparisonJson.parse(p.toString(), root));
            } else if (CorrelationJson.isCorrelation(root)) {
                CorrelationJson.File c = CorrelationJson.parse(root);
                html.correlation("Emergence and benchmarks: " + p.getFileName(), c.trajectory, c.benchmarks,
                        c.correlation);
            } else if (ScalingJson.isScaling(root)) {
                html.scaling("Emergence across model sizes: " + p.getFileName(), ScalingJson.parse(root));
            } else if ((analysis = TrajectoryJson.parseAnalysis(p.toString(), root)) != null) {
                html.trajectory("Analysis: " + analysis.points.get(0).model, analysis);
            } else {
                throw new NeuroMfaException(p.toString(), "not a result of trajectory, trajectory --sweep, correlate, scaling, compare or analyze");
            }
        }
        if (trajectories.size() > 1) {
            // Several trajectories are also shown together, as 'compare' shows them.
            html.comparison("Trajectories side by side", TrajectoryComparison.of(trajectories, trajectoryFiles, null));
        }
        AtomicFiles.writeInExistingDirectory(out, html.html().getBytes(StandardCharsets.UTF_8));
        PrintWriter w = spec.commandLine().getOut();
        w.println("wrote " + out + " (" + html.figures() + " plots)");
        w.flush();
        return 0;
    }
}

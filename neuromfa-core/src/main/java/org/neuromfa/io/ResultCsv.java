package org.neuromfa.io;

import java.nio.charset.StandardCharsets;
import org.neuromfa.analysis.CheckpointResult;
import org.neuromfa.analysis.SampleResult;
import org.neuromfa.study.TrajectoryPoint;
import org.neuromfa.study.TrajectoryResult;

/** CSV forms of results, for spreadsheets and plotting scripts: one row per sample, or per node. */
public final class ResultCsv {
    private ResultCsv() {
    }

    /**
     * One row per seed: the network's size and its spectrum summary. With a null model ({@code --null})
     * a last column {@code null_model} says which rows are the analysis itself ({@code none}) and
     * which the same seeds under the null, listed after them.
     */
    public static byte[] samples(CheckpointResult r) {
        StringBuilder b = new StringBuilder("model,seed,kept,edges,source_nodes,selected_nodes,radii,alpha0,width");
        b.append(r.nullModel != null ? ",null_model\n" : "\n");
        rows(b, r, r.nullModel != null ? ",none" : "");
        if (r.nullModel != null) {
            rows(b, r.nullModel, "," + r.nullModel.options.nullModel().label());
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void rows(StringBuilder b, CheckpointResult r, String suffix) {
        for (SampleResult s : r.samples) {
            b.append(quote(r.model)).append(',').append(s.seed()).append(',').append(s.kept()).append(',')
                    .append(s.edges()).append(',').append(s.sourceNodes()).append(',').append(s.selectedNodes()).append(',')
                    .append(s.radii()).append(',').append(s.alpha0()).append(',').append(s.width()).append(suffix)
                    .append('\n');
        }
    }

    /** One row per (seed, source node): the node fractal dimension. */
    public static byte[] nodeFractalDimensions(CheckpointResult r) {
        StringBuilder b = new StringBuilder("model,seed,node_id,nfd\n");
        for (SampleResult s : r.samples) {
            if (s.nodeFractalDimensions() == null) {
                continue;
            }
            int[] ids = s.nfdNodeIds();
            double[] nfd = s.nfd();
            for (int i = 0; i < nfd.length; i++) {
                b.append(quote(r.model)).append(',').append(s.seed()).append(',').append(ids[i]).append(',')
                        .append(nfd[i]).append('\n');
            }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One row per checkpoint of a trajectory: its means, spreads and degree of emergence. */
    public static byte[] trajectory(TrajectoryResult t) {
        StringBuilder b = new StringBuilder("revision,step,parameter_count,kept_samples,alpha0_mean,alpha0_std,"
                + "width_mean,width_std,emergence,emergence_std");
        boolean window = t.points.get(0).window != null;
        boolean intervals = t.points.get(0).alpha0Interval != null;
        // The evidence options' columns follow, each group only when its option was used.
        if (window) {
            b.append(",window_lo,window_hi,window_lowest_r_squared");
        }
        if (intervals) {
            b.append(",alpha0_low,alpha0_high,width_low,width_high,emergence_low,emergence_high");
        }
        if (t.underNull != null) {
            b.append(",null_model,null_alpha0_mean,null_width_mean,null_emergence");
            if (intervals) {
                b.append(",null_emergence_low,null_emergence_high");
            }
        }
        b.append('\n');
        for (int i = 0; i < t.points.size(); i++) {
            TrajectoryPoint p = t.points.get(i);
            b.append(revision(p.revision)).append(',').append(p.step == null ? "" : p.step.toString()).append(',')
                    .append(p.parameterCount).append(',').append(p.keptSamples).append(',')
                    .append(number(p.alpha0Mean)).append(',').append(number(p.alpha0Std)).append(',')
                    .append(number(p.widthMean)).append(',').append(number(p.widthStd)).append(',')
                    .append(number(p.emergence)).append(',').append(number(p.emergenceStd));
            if (window) {
                b.append(',').append(p.window.lo).append(',').append(p.window.hi).append(',')
                        .append(number(p.window.lowestRSquared));
            }
            if (intervals) {
                b.append(',').append(number(p.alpha0Interval.low)).append(',').append(number(p.alpha0Interval.high))
                        .append(',').append(number(p.widthInterval.low)).append(',').append(number(p.widthInterval.high))
                        .append(',').append(number(p.emergenceInterval.low)).append(',')
                        .append(number(p.emergenceInterval.high));
            }
            if (t.underNull != null) {
                TrajectoryPoint n = t.underNull.get(i);
                b.append(',').append(t.options.nullModel().label()).append(',').append(number(n.alpha0Mean))
                        .append(',').append(number(n.widthMean)).append(',').append(number(n.emergence));
                if (intervals) {
                    b.append(',').append(number(n.emergenceInterval.low)).append(',')
                            .append(number(n.emergenceInterval.high));
                }
            }
            b.append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A revision label in the trajectory CSV: quoted when it holds a comma or a quote. (Unlike
     * {@link #quote}, a line break is left unquoted, as this file has always been written.)
     */
    private static String revision(String s) {
        return s.indexOf(',') < 0 && s.indexOf('"') < 0 ? s : '"' + s.replace("\"", "\"\"") + '"';
    }

    /** A number, empty when undefined (NaN). */
    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}

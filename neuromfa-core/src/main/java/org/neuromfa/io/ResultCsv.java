package org.neuromfa.io;

import java.nio.charset.StandardCharsets;
import org.neuromfa.analysis.CheckpointResult;
import org.neuromfa.analysis.SampleResult;

/** CSV forms of results, for spreadsheets and plotting scripts: one row per sample, or per node. */
public final class ResultCsv {
    private ResultCsv() {
    }

    /** One row per seed: the network's size and its spectrum summary. */
    public static byte[] samples(CheckpointResult r) {
        StringBuilder b = new StringBuilder("model,seed,kept,edges,source_nodes,selected_nodes,radii,alpha0,width\n");
        for (SampleResult s : r.samples) {
            b.append(quote(r.model)).append(',').append(s.seed()).append(',').append(s.kept()).append(',')
                    .append(s.edges()).append(',').append(s.sourceNodes()).append(',').append(s.selectedNodes()).append(',')
                    .append(s.radii()).append(',').append(s.alpha0()).append(',').append(s.width()).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
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

    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}

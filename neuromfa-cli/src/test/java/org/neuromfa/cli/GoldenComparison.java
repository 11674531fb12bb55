package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Compares result JSON written by the command line with a golden expected.json. */
final class GoldenComparison {
    private GoldenComparison() {
    }

    /** 1e-9 relative, with a 1e-15 floor for values that are exactly zero (tau at q = 0). */
    static boolean close(double actual, double expected) {
        return Math.abs(actual - expected) <= 1e-9 * Math.abs(expected) + 1e-15;
    }

    static void assertSamplesMatch(JsonNode expected, JsonNode actual) {
        JsonNode want = expected.get("samples");
        JsonNode got = actual.get("samples");
        assertThat(got.size()).isEqualTo(want.size());
        double low = 0;
        double high = 0;
        for (int i = 0; i < want.size(); i++) {
            JsonNode e = want.get(i);
            JsonNode a = got.get(i);
            String where = "seed " + e.get("seed");
            assertThat(a.get("seed").asLong()).as(where).isEqualTo(e.get("seed").asLong());
            for (String exact : new String[] {"edges", "source_nodes", "selected_nodes"}) {
                assertThat(a.get(exact).asLong()).as(where + " " + exact).isEqualTo(e.get(exact).asLong());
            }
            assertThat(a.get("plan")).as(where + " plan").isEqualTo(e.get("plan"));
            for (String field : new String[] {"tau", "alpha", "f_alpha"}) {
                assertThat(a.get(field).size()).as(where + " " + field).isEqualTo(e.get(field).size());
                for (int j = 0; j < e.get(field).size(); j++) {
                    double x = a.get(field).get(j).asDouble();
                    double y = e.get(field).get(j).asDouble();
                    assertThat(close(x, y)).as(where + " " + field + "[" + j + "] " + x + " vs " + y).isTrue();
                }
            }
            assertThat(close(a.get("width").asDouble(), e.get("width").asDouble())).as(where + " width").isTrue();
            double a29 = e.get("alpha").get(29).asDouble();
            double a30 = e.get("alpha").get(30).asDouble();
            double alpha0 = a.get("alpha0").asDouble();
            assertThat(close(alpha0, a29) || close(alpha0, a30)).as(where + " alpha0 " + alpha0).isTrue();
            low += Math.min(a29, a30);
            high += Math.max(a29, a30);
            // The reference reports the fit's r for the last q; ours reports r squared per q.
            double r2 = a.get("r_squared").get(a.get("r_squared").size() - 1).asDouble();
            assertThat(close(Math.sqrt(r2), e.get("last_fit_r").asDouble())).as(where + " r at q max").isTrue();
        }
        int n = want.size();
        assertThat(close(actual.get("width_mean").asDouble(), expected.get("width_mean").asDouble())).isTrue();
        assertThat(actual.get("alpha0_mean").asDouble()).isBetween(low / n - 1e-12, high / n + 1e-12);
    }

    static void assertNfdCsvMatches(JsonNode expected, List<String> lines) {
        assertThat(lines.get(0)).isEqualTo("model,seed,node_id,nfd");
        int row = 1;
        for (JsonNode s : expected.get("samples")) {
            JsonNode ids = s.get("nfd_node_ids");
            JsonNode nfd = s.get("nfd");
            for (int j = 0; j < ids.size(); j++, row++) {
                String[] cells = lines.get(row).split(",");
                assertThat(Long.parseLong(cells[1])).isEqualTo(s.get("seed").asLong());
                assertThat(Integer.parseInt(cells[2])).isEqualTo(ids.get(j).asInt());
                double v = Double.parseDouble(cells[3]);
                assertThat(close(v, nfd.get(j).asDouble())).as("nfd of node " + ids.get(j) + ": " + v).isTrue();
            }
        }
        assertThat(lines).hasSize(row);
    }
}

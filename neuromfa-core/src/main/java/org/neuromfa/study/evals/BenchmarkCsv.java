package org.neuromfa.study.evals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neuromfa.NeuroMfaException;

/**
 * Reads benchmark results from a CSV file with a header: a {@code revision} column ({@code stepN} or
 * a plain step number) and one numeric column per series (a task's metric); an empty cell is a
 * missing value. Each column becomes one task named by its header. Quoted fields are not supported:
 * the file holds names and numbers only.
 */
public final class BenchmarkCsv {
    private static final Pattern STEP = Pattern.compile("(?:step)?(\\d{1,18})");

    private BenchmarkCsv() {
    }

    public static List<BenchmarkScore> read(Path file) throws IOException {
        String where = file.toString();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new NeuroMfaException(where, "empty CSV file");
        }
        String[] header = split(lines.get(0));
        int revisionColumn = -1;
        for (int i = 0; i < header.length; i++) {
            if (header[i].equalsIgnoreCase("revision")) {
                revisionColumn = i;
            }
        }
        if (revisionColumn < 0) {
            throw new NeuroMfaException(where, "CSV header has no 'revision' column");
        }
        List<BenchmarkScore> scores = new ArrayList<>();
        for (int line = 1; line < lines.size(); line++) {
            if (lines.get(line).isBlank()) {
                continue;
            }
            String[] cells = split(lines.get(line));
            if (cells.length != header.length) {
                throw new NeuroMfaException(where, "line " + (line + 1) + " has " + cells.length + " fields, the header "
                        + header.length);
            }
            Matcher m = STEP.matcher(cells[revisionColumn]);
            if (!m.matches()) {
                throw new NeuroMfaException(where, "line " + (line + 1) + ": revision '" + cells[revisionColumn]
                        + "' is not stepN or a step number");
            }
            long step = Long.parseLong(m.group(1));
            for (int c = 0; c < header.length; c++) {
                if (c == revisionColumn || cells[c].isEmpty()) {
                    continue;
                }
                double v;
                try {
                    v = Double.parseDouble(cells[c]);
                } catch (NumberFormatException e) {
                    throw new NeuroMfaException(where, "line " + (line + 1) + ", column '" + header[c] + "': '"
                            + cells[c] + "' is not a number");
                }
                scores.add(new BenchmarkScore(where + ":" + (line + 1), step, header[c], -1, Map.of(BenchmarkScore.VALUE, v)));
            }
        }
        return scores;
    }

    private static String[] split(String line) {
        String[] cells = line.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
            cells[i] = cells[i].trim();
        }
        return cells;
    }
}

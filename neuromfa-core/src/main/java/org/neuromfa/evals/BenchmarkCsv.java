package org.neuromfa.evals;

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
 * missing value. Each column becomes one task named by its header.
 *
 * <p>Fields follow RFC 4180: a field in double quotes may hold commas, line breaks and doubled double
 * quotes (standing for one), so a header such as {@code "arc_easy, 5-shot"} names one column.
 * Records end with LF or CRLF; a UTF-8 byte order mark is skipped; blank lines are ignored. As a
 * reader's leniency beyond the RFC, spaces around a field (outside its quotes) are dropped. Messages
 * name the line where the record starts.
 */
public final class BenchmarkCsv {
    private static final Pattern STEP = Pattern.compile("(?:step)?(\\d{1,18})");

    private BenchmarkCsv() {
    }

    public static List<BenchmarkScore> read(Path file) throws IOException {
        String where = file.toString();
        List<Record> records = records(Files.readString(file, StandardCharsets.UTF_8), where);
        if (records.isEmpty()) {
            throw new NeuroMfaException(where, "empty CSV file");
        }
        String[] header = records.get(0).fields;
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
        for (Record record : records.subList(1, records.size())) {
            String[] cells = record.fields;
            int line = record.line;
            if (cells.length != header.length) {
                throw new NeuroMfaException(where, "line " + line + " has " + cells.length + " fields, the header "
                        + header.length);
            }
            Matcher m = STEP.matcher(cells[revisionColumn]);
            if (!m.matches()) {
                throw new NeuroMfaException(where, "line " + line + ": revision '" + cells[revisionColumn]
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
                    throw new NeuroMfaException(where, "line " + line + ", column '" + header[c] + "': '"
                            + cells[c] + "' is not a number");
                }
                scores.add(new BenchmarkScore(where + ":" + line, step, header[c], -1, Map.of(BenchmarkScore.VALUE, v)));
            }
        }
        return scores;
    }

    /** One record: its fields, and the (1-based) line it starts on. */
    static final class Record {
        final int line;
        final String[] fields;

        Record(int line, String[] fields) {
            this.line = line;
            this.fields = fields;
        }
    }

    /** The records of {@code text}, blank lines left out. */
    static List<Record> records(String text, String where) {
        int n = text.length();
        int i = !text.isEmpty() && text.charAt(0) == '\uFEFF' ? 1 : 0;
        int line = 1;
        List<Record> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        int recordLine = 1;
        boolean blank = true;
        while (i <= n) {
            // At the start of a field.
            int start = i;
            while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            String field;
            if (i < n && text.charAt(i) == '"') {
                blank = false;
                int openLine = line;
                StringBuilder b = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new NeuroMfaException(where, "line " + openLine
                                + ": unterminated quote (a quoted field is not closed before the end of the file)");
                    }
                    char c = text.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            b.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (c == '\n') {
                        line++;
                    }
                    b.append(c);
                    i++;
                }
                while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                    i++;
                }
                if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && !crlf(text, i)) {
                    throw new NeuroMfaException(where, "line " + line + ": '" + text.charAt(i)
                            + "' after a closing quote (a field's quotes must enclose all of it; write \"\" for a quote)");
                }
                field = b.toString();
            } else {
                i = start;
                while (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && !crlf(text, i)) {
                    if (text.charAt(i) == '"') {
                        throw new NeuroMfaException(where, "line " + line + ": a double quote inside an unquoted field"
                                + " (quote the whole field and write \"\" for a quote)");
                    }
                    i++;
                }
                field = text.substring(start, i).trim();
                if (!field.isEmpty()) {
                    blank = false;
                }
            }
            fields.add(field);
            if (i < n && text.charAt(i) == ',') {
                blank = false;
                i++;
                continue;
            }
            // End of the record: a line break or the end of the text.
            if (!blank) {
                records.add(new Record(recordLine, fields.toArray(new String[0])));
            }
            fields.clear();
            blank = true;
            if (i >= n) {
                break;
            }
            i += crlf(text, i) ? 2 : 1;
            line++;
            recordLine = line;
        }
        return records;
    }

    private static boolean crlf(String text, int i) {
        return text.charAt(i) == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n';
    }
}

package org.neuromfa.evals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuromfa.NeuroMfaException;

/**
 * CSV benchmark files with RFC 4180 quoting. Every expected value is read off the file text by hand;
 * the RFC's rules (section 2, items 5 to 7) are the reference for what a quoted field holds.
 */
class BenchmarkCsvTest {
    @TempDir
    Path tmp;

    private Path write(String name, String text) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    private static String describe(BenchmarkScore s) {
        return s.step + " | " + s.task + " | " + s.value("acc") + " | " + s.source.substring(s.source.lastIndexOf(':') + 1);
    }

    @Test
    void plainFilesReadAsBefore() throws IOException {
        Path f = write("plain.csv", "revision, a ,b\nstep0,0.20,0.5\n\n  \n13000,0.35,\n");
        List<BenchmarkScore> scores = BenchmarkCsv.read(f);
        assertThat(scores).extracting(BenchmarkCsvTest::describe).containsExactly(
                "0 | a | 0.2 | 2", "0 | b | 0.5 | 2", "13000 | a | 0.35 | 5");
        assertThat(scores.get(0).source).isEqualTo(f + ":2");
    }

    @Test
    void quotedFieldsHoldCommasDoubledQuotesAndLineBreaks() throws IOException {
        // Header (lines 1-2): revision | arc_easy, 5-shot | the "hard" one | two<LF>lines; CRLF records,
        // a byte order mark, spaces around a quoted field, and an empty quoted field (a missing value).
        String text = "\uFEFF\"revision\",\"arc_easy, 5-shot\",\"the \"\"hard\"\" one\",\"two\nlines\"\r\n"
                + "\"step1000\", \"0.25\" ,0.5,\"\"\r\n"
                + "step2000,0.3,\"0.75\",1e-1\r\n";
        List<BenchmarkScore> scores = BenchmarkCsv.read(write("quoted.csv", text));
        assertThat(scores).extracting(BenchmarkCsvTest::describe).containsExactly(
                "1000 | arc_easy, 5-shot | 0.25 | 3",
                "1000 | the \"hard\" one | 0.5 | 3",
                "2000 | arc_easy, 5-shot | 0.3 | 4",
                "2000 | the \"hard\" one | 0.75 | 4",
                "2000 | two\nlines | 0.1 | 4");
    }

    @Test
    void aRecordSpanningLinesKeepsLaterLineNumbersRight() throws IOException {
        Path f = write("span.csv", "revision,\"task\nwith\nthree lines\"\nstep1,0.5\nstep2,x\n");
        assertThatThrownBy(() -> BenchmarkCsv.read(f))
                .isInstanceOf(NeuroMfaException.class)
                                // The header's line breaks are escaped, keeping the message one line.
                .hasMessage(f + ": line 5, column 'task\\u000awith\\u000athree lines': 'x' is not a number");
    }

    @Test
    void anUnterminatedQuoteNamesTheFileAndTheLineItOpensOn() throws IOException {
        Path f = write("open.csv", "revision,a\nstep1,0.5\nstep2,\"0.6\nstep3,0.7\n");
        assertThatThrownBy(() -> BenchmarkCsv.read(f))
                .isInstanceOf(NeuroMfaException.class)
                .hasMessageStartingWith(f + ": line 3: unterminated quote")
                .hasMessageNotContaining("\n");
        Path header = write("open-header.csv", "revision,\"a");
        assertThatThrownBy(() -> BenchmarkCsv.read(header))
                .isInstanceOf(NeuroMfaException.class)
                .hasMessageStartingWith(header + ": line 1: unterminated quote");
    }

    @Test
    void quotesOutsideTheRulesAreOneLineErrors() throws IOException {
        Path stray = write("stray.csv", "revision,a\nstep1,0.\"5\n");
        assertThatThrownBy(() -> BenchmarkCsv.read(stray))
                .isInstanceOf(NeuroMfaException.class)
                .hasMessageStartingWith(stray + ": line 2: a double quote inside an unquoted field");
        Path after = write("after.csv", "revision,a\nstep1,\"0.5\"x\n");
        assertThatThrownBy(() -> BenchmarkCsv.read(after))
                .isInstanceOf(NeuroMfaException.class)
                .hasMessageStartingWith(after + ": line 2: 'x' after a closing quote");
    }

    @Test
    void aQuotedCommaIsNotASeparatorForTheFieldCount() throws IOException {
        Path f = write("count.csv", "revision,a\nstep1,\"0.5,0.6\"\nstep2,0.5,0.6\n");
        // Line 2 has two fields (its second is not a number); line 3 has three.
        assertThatThrownBy(() -> BenchmarkCsv.read(f))
                .isInstanceOf(NeuroMfaException.class)
                .hasMessage(f + ": line 2, column 'a': '0.5,0.6' is not a number");
        Path g = write("count2.csv", "revision,a\nstep2,0.5,0.6\n");
        assertThatThrownBy(() -> BenchmarkCsv.read(g))
                .isInstanceOf(NeuroMfaException.class)
                .hasMessage(g + ": line 2 has 3 fields, the header 2");
    }
}

package org.neuromfa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Progress in a pipe or a log: a line per 5% of the work, not one per sample (issue 15, item 9). */
class ProgressTest {
    private static List<String> log(long total) {
        StringWriter text = new StringWriter();
        // Under a test there is no console, so this is the log, as in a pipe.
        try (Progress p = Progress.start("trajectory", total, new PrintWriter(text))) {
            for (long i = 1; i <= total; i++) {
                p.step("step" + i + " seed 0");
            }
        }
        return text.toString().lines().collect(Collectors.toList());
    }

    @Test
    void aPythiaSizedStudyLogsTwentyOneLinesNotOnePerSample() {
        // 154 checkpoints of 10 seeds: the first sample, then each further 5%, the last one at 100%.
        List<String> lines = log(1540);
        assertThat(lines).hasSize(21);
        assertThat(lines.get(0)).isEqualTo("[1/1540] step1 seed 0 (0%)");
        assertThat(lines.get(1)).isEqualTo("[77/1540] step77 seed 0 (5%)");
        assertThat(lines.get(20)).isEqualTo("[1540/1540] step1540 seed 0 (100%)");
    }

    @Test
    void aSmallStudyLogsEveryUnit() {
        assertThat(log(3)).containsExactly("[1/3] step1 seed 0 (33%)", "[2/3] step2 seed 0 (66%)",
                "[3/3] step3 seed 0 (100%)");
    }

    @Test
    void aNarrowTerminalShortensTheMessageNotTheBar() {
        // 60 columns: "trajectory" and the counts leave no room for a long message; 120 leave 58.
        assertThat(Progress.messageRoom("trajectory", 60)).isZero();
        assertThat(Progress.messageRoom("trajectory", 120)).isEqualTo(58);
        assertThat(Progress.fit("step143000 seed 9; fetched 1.2 GiB of 3.4 GiB at 98.1 MB/s", 20))
                .isEqualTo("step143000 seed 9; \u2026").hasSize(20);
        assertThat(Progress.fit("step1 seed 0", 20)).isEqualTo("step1 seed 0");
        assertThat(Progress.fit("step1 seed 0", 0)).isEmpty();
        assertThat(Progress.messageRoom("demo", -1)).isEqualTo(Integer.MAX_VALUE);
    }
}

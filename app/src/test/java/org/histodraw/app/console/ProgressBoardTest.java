package org.histodraw.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBoardTest {
    private final StringWriter text = new StringWriter();
    private final AtomicLong clock = new AtomicLong();

    private ProgressBoard board(boolean interactive) {
        return new ProgressBoard(new PrintWriter(text), interactive, clock::get);
    }

    @Test
    void withoutATerminalFinishedBarsAndMessagesPrintOneLineEachAndTenthsOnlyWhereAsked() {
        ProgressBoard board = board(false);
        ProgressBar all = board.add("cohort", 10, "slides", true);
        ProgressBar slide = board.add("slide-01", 4, "tiles", false);
        for (int i = 0; i < 4; i++) {
            clock.addAndGet(1_000_000_000L);
            board.advance(slide, 1);
        }
        board.finish(slide);
        board.message("slide-02.png: failed: no such file");
        for (int i = 0; i < 10; i++) {
            board.advance(all, 1);
        }
        board.close();

        List<String> lines = text.toString().lines().toList();
        assertThat(lines).first().asString().startsWith("slide-01 [########################]  4/4 tiles  100%  1.0 tiles/s  in 0:04");
        assertThat(lines.get(1)).isEqualTo("slide-02.png: failed: no such file");
        assertThat(lines.subList(2, lines.size())).hasSize(10).allMatch(l -> l.startsWith("cohort ["));
        assertThat(lines.get(lines.size() - 1)).contains("10/10 slides  100%");
        assertThat(text.toString()).doesNotContain("\u001b");
    }

    @Test
    void onATerminalRunningBarsAreRedrawnInPlaceBelowTheFinishedOnes() {
        ProgressBoard board = board(true);
        ProgressBar a = board.add("a", 2, "tiles", false);
        ProgressBar b = board.add("b", 2, "tiles", false);
        clock.addAndGet(200_000_000L);
        board.advance(a, 1); // a redraw: up over the two bars drawn, clear, draw both again
        assertThat(text.toString()).contains("\u001b[2A\r\u001b[J").contains("a [############............]  1/2 tiles");
        board.advance(a, 1);
        board.finish(a);
        String after = text.toString();
        String last = after.substring(after.lastIndexOf("\u001b[J") + 3);
        assertThat(last.lines().toList()).hasSize(2);
        assertThat(last.lines().toList().get(0)).startsWith("a [########################]  2/2 tiles");
        assertThat(last.lines().toList().get(1)).startsWith("b [....");
        board.close();
        assertThat(text.toString()).endsWith("\n");
    }

    @Test
    void onlyTheFirstTwelveRunningBarsAreShown() {
        ProgressBoard board = board(true);
        for (int i = 0; i < 20; i++) {
            board.add("slide " + i, 1, "tiles", false);
        }
        clock.addAndGet(200_000_000L);
        board.message("redraw now");
        String last = text.toString().substring(text.toString().lastIndexOf("redraw now"));
        assertThat(last).contains("slide 11 [").doesNotContain("slide 12 [").contains("... and 8 more running");
    }
}

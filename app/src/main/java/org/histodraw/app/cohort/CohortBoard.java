package org.histodraw.app.cohort;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.histodraw.app.console.ProgressBar;
import org.histodraw.app.console.ProgressBoard;
import org.histodraw.app.console.Terminal;
import org.histodraw.spark.CohortProgress;
import org.histodraw.spark.CohortReport;
import org.histodraw.spark.SlideOutcome;
import org.histodraw.spark.SlidePlan;

/**
 * A cohort's progress as {@code histodraw cohort} shows it: a bar while the slides are opened, a
 * bar per slide while its tiles are predicted, a bar of the slides done (written or failed), and
 * failures and lost executors as lines of their own; at the end, one line per slide and the closing
 * line on standard output, as {@code spark-submit} runs print them.
 */
final class CohortBoard implements CohortProgress {
    private final Terminal terminal;
    private final ProgressBoard board;
    private final Map<Integer, Integer> tilesOf = new HashMap<>();
    private final Map<Integer, ProgressBar> slideBars = new HashMap<>();
    private List<String> slides = List.of();
    private ProgressBar opening;
    private ProgressBar done;
    private boolean finished;

    CohortBoard(Terminal terminal) {
        this.terminal = terminal;
        this.board = new ProgressBoard(terminal.err(), terminal.interactive(), System::nanoTime);
    }

    @Override
    public synchronized void started(List<String> names) {
        slides = List.copyOf(names);
        done = board.add("cohort", slides.size(), "slides", true);
        opening = board.add("opening", slides.size(), "slides", true);
    }

    @Override
    public synchronized void opening(int opened, int total) {
        if (opening != null) {
            board.advance(opening, opened - opening.done());
            if (opened >= total) {
                board.finish(opening);
                opening = null;
            }
        }
    }

    @Override
    public synchronized void planned(int slide, int tiles) {
        tilesOf.put(slide, tiles);
    }

    @Override
    public synchronized void failed(SlideOutcome outcome) {
        board.message(CohortReport.line(outcome));
        advanceDone();
    }

    /** A slide's bar appears when its first band of tiles starts, so its rate is that of its own tiles. */
    @Override
    public synchronized void predicting(int slide) {
        bar(slide);
    }

    @Override
    public synchronized void predicted(int slide, int tiles) {
        ProgressBar bar = bar(slide);
        if (bar == null) {
            return;
        }
        board.advance(bar, tiles);
        if (bar.done() >= bar.total()) {
            board.finish(bar);
        }
    }

    private ProgressBar bar(int slide) {
        Integer total = tilesOf.get(slide);
        if (total == null || finished) {
            return null;
        }
        return slideBars.computeIfAbsent(slide, s -> board.add(name(s), total, "tiles", false));
    }

    @Override
    public synchronized void written(int slide) {
        advanceDone();
    }

    @Override
    public synchronized void executorLost(String executor, String reason) {
        board.message("executor " + executor + " lost (" + reason + "); Spark runs its tasks again elsewhere");
    }

    @Override
    public synchronized void finished(List<SlideOutcome> outcomes, CohortReport report) {
        finished = true;
        board.close();
        outcomes.forEach(o -> terminal.out().println(CohortReport.line(o)));
        terminal.out().println(report.closing());
        terminal.out().flush();
    }

    /** Ends the bars of a cohort that ended without its closing event (the driver failed or was stopped). */
    synchronized void close() {
        board.close();
    }

    private void advanceDone() {
        if (done != null && !finished) {
            board.advance(done, 1);
        }
    }

    private String name(int slide) {
        return slide < slides.size() ? SlidePlan.baseName(slides.get(slide)) : "slide " + slide;
    }
}

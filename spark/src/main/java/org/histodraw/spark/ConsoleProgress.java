package org.histodraw.spark;

import java.io.PrintStream;
import java.util.List;

/**
 * What a {@code spark-submit} run prints: lost executors as they happen (on stderr, beside Spark's
 * log), and at the end one line per slide and the closing line (on stdout).
 */
final class ConsoleProgress implements CohortProgress {
    private final PrintStream out;
    private final PrintStream err;

    ConsoleProgress(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void executorLost(String executor, String reason) {
        err.println("histodraw cohort: executor " + executor + " lost (" + reason + "); its tasks run again elsewhere");
    }

    @Override
    public void finished(List<SlideOutcome> outcomes, CohortReport report) {
        outcomes.forEach(o -> out.println(CohortReport.line(o)));
        out.println(report.closing());
        out.flush();
    }
}

package org.histodraw.spark;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The figures of a finished cohort and the lines that tell them: one per slide and a closing one.
 * The same words whether the job was run by {@code histodraw cohort} or by {@code spark-submit}.
 *
 * @param seconds wall time of the three stages (without starting Spark)
 * @param cores   the most cores the job's executors had at once (N for a {@code local[N]} master)
 * @param summary the summary CSV ({@code summary.parquet} lies beside it)
 */
public record CohortReport(List<SlideOutcome> outcomes, double seconds, int cores, Path summary) {
    /** Exit code when the job ran but some slides failed. */
    public static final int SOME_FAILED = 3;
    /** Exit code for a job that could not start: a bad command line, an unreadable model. */
    public static final int CANNOT_RUN = 2;

    public CohortReport {
        outcomes = List.copyOf(outcomes);
    }

    public long failed() {
        return outcomes.stream().filter(o -> !o.ok()).count();
    }

    /** Exit code of the job: 0 when every slide succeeded, {@value #SOME_FAILED} when some failed. */
    public int exitCode() {
        return failed() == 0 ? 0 : SOME_FAILED;
    }

    /** {@code /data/a.tif: ok, 2048 x 2048 px, 16 tiles, 3.10 s} or {@code /data/b.tif: failed: REASON}. */
    public static String line(SlideOutcome o) {
        return o.ok()
                ? String.format(Locale.ROOT, "%s: ok, %d x %d px, %d tiles, %.2f s", o.slide(), o.width(), o.height(), o.tiles(),
                o.seconds())
                : o.slide() + ": failed: " + o.message();
    }

    /** The closing line: slides, tiles, time and speed per core, where the summary is. */
    public String closing() {
        long tiles = outcomes.stream().filter(SlideOutcome::ok).mapToLong(SlideOutcome::tiles).sum();
        return String.format(Locale.ROOT, "%d slides, %d ok, %d failed; %d tiles in %.2f s on %d %s: %.2f tiles/s, "
                        + "%.2f tiles/s per core; summary in %s (and %s)", outcomes.size(), outcomes.size() - failed(), failed(),
                tiles, seconds, cores, cores == 1 ? "core" : "cores", tiles / seconds, tiles / seconds / cores, summary,
                CohortSummary.PARQUET);
    }
}

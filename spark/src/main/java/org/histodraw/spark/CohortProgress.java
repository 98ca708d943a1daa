package org.histodraw.spark;

import java.util.List;

/**
 * What a running cohort tells whoever watches it: {@code histodraw cohort}'s progress bars, or the
 * lines a {@code spark-submit} run prints. Called on the driver, from the job's thread and from
 * Spark's listener thread; implementations must not block. Slides are named by their index in the
 * cohort (their row in the summary).
 */
public interface CohortProgress {
    /** Watches nothing. */
    CohortProgress NONE = new CohortProgress() {
    };

    /** The cohort's slides, in the order of the summary. */
    default void started(List<String> slides) {
    }

    /** Slides opened and measured so far (the first stage), of {@code total}. */
    default void opening(int opened, int total) {
    }

    /** A slide opened: it has this many tiles to predict. */
    default void planned(int slide, int tiles) {
    }

    /** A slide failed before its tiles were predicted (missing, unreadable, a name taken twice). */
    default void failed(SlideOutcome outcome) {
    }

    /** The first tiles of a slide are being predicted (its first task started). */
    default void predicting(int slide) {
    }

    /** More tiles of a slide were predicted. */
    default void predicted(int slide, int tiles) {
    }

    /** A slide's files were written, or it failed while they were (its outcome tells which). */
    default void written(int slide) {
    }

    /** An executor went away (its worker died, its JVM crashed...): Spark runs its tasks again elsewhere. */
    default void executorLost(String executor, String reason) {
    }

    /** The cohort ended: one outcome per slide, and the run's figures. */
    default void finished(List<SlideOutcome> outcomes, CohortReport report) {
    }
}

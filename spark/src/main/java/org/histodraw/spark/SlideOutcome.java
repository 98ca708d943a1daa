package org.histodraw.spark;

import java.io.Serializable;
import java.util.Optional;

/**
 * What became of one slide: a row of the cohort summary.
 *
 * @param status          {@code ok}, or {@code failed} with the reason in {@code message}
 * @param seconds         compute time spent on the slide, summed over the tasks that worked on it
 *                        (opening and measuring, predicting its tiles, writing its results); with
 *                        several cores this is more than the wall time the slide took
 * @param pixelsPerClass  pixels of each class (index 1..K; index 0 unused); empty when failed
 * @param micronsPerPixel NaN when unknown
 */
public record SlideOutcome(int index, String slide, String status, String message, int width, int height, int tiles,
                           double seconds, long[] pixelsPerClass, double micronsPerPixel) implements Serializable {
    public static final String OK = "ok";
    public static final String FAILED = "failed";

    public SlideOutcome {
        pixelsPerClass = pixelsPerClass.clone();
    }

    static SlideOutcome failed(int index, String slide, String message, double seconds) {
        return new SlideOutcome(index, slide, FAILED, message, 0, 0, 0, seconds, new long[0], Double.NaN);
    }

    static SlideOutcome failed(SlidePlan plan, int tiles, String message, double seconds) {
        return new SlideOutcome(plan.index(), plan.path(), FAILED, message, plan.width(), plan.height(), tiles, seconds,
                new long[0], plan.micronsPerPixel());
    }

    /** The same outcome with {@code more} seconds of compute time (spent on the slide in another stage). */
    SlideOutcome plusSeconds(double more) {
        return new SlideOutcome(index, slide, status, message, width, height, tiles, seconds + more, pixelsPerClass,
                micronsPerPixel);
    }

    public boolean ok() {
        return OK.equals(status);
    }

    public Optional<Double> pixelSize() {
        return Double.isNaN(micronsPerPixel) ? Optional.empty() : Optional.of(micronsPerPixel);
    }

    /** Pixels of class {@code c} (0 when the slide failed). */
    public long pixels(int c) {
        return c < pixelsPerClass.length ? pixelsPerClass[c] : 0;
    }
}

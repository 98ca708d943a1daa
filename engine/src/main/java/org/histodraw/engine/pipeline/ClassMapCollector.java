package org.histodraw.engine.pipeline;

import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.Raster;

/** A {@link StripSink} that keeps the whole class map (and probabilities) in memory: for images that fit. */
public final class ClassMapCollector implements StripSink {
    private final LabelRaster classes;
    private Raster probabilities;

    public ClassMapCollector(int width, int height) {
        this.classes = LabelRaster.allocate(width, height);
    }

    @Override
    public void accept(int y, LabelRaster strip, Raster stripProbabilities) {
        System.arraycopy(strip.data(), 0, classes.data(), y * classes.width(), strip.data().length);
        if (stripProbabilities != null) {
            if (probabilities == null) {
                probabilities = Raster.allocate(classes.width(), classes.height(), stripProbabilities.channels());
            }
            int offset = y * classes.width();
            for (int c = 0; c < stripProbabilities.channels(); c++) {
                float[] src = stripProbabilities.plane(c);
                System.arraycopy(src, 0, probabilities.plane(c), offset, src.length);
            }
        }
    }

    public LabelRaster classes() {
        return classes;
    }

    /** Probability planes (per class, then uncertainty), or null when not computed. */
    public Raster probabilities() {
        return probabilities;
    }
}

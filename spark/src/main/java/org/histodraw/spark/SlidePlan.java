package org.histodraw.spark;

import java.io.Serializable;
import java.util.Optional;
import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.pipeline.TileGrid;

/**
 * A slide that opened: its size, pixel size and channel statistics (measured once, so every tile of
 * the slide is normalised alike wherever it runs). Shipped to the executors with every task.
 *
 * @param index           the slide's position in the cohort (its row in the summary)
 * @param width           the slide's own width (full resolution), as {@code height}
 * @param micronsPerPixel NaN when the slide does not know its pixel size
 * @param resolution      1, or N when the job predicts a tissue map from the slide's level 1/N
 */
public record SlidePlan(int index, String path, int width, int height, double micronsPerPixel, double[] means,
                        double[] deviations, int resolution) implements Serializable {

    public SlidePlan {
        means = means.clone();
        deviations = deviations.clone();
    }

    static SlidePlan of(int index, String path, int width, int height, Optional<Double> micronsPerPixel,
                        ChannelStatistics statistics, int resolution) {
        return new SlidePlan(index, path, width, height, micronsPerPixel.orElse(Double.NaN), statistics.means(),
                statistics.deviations(), resolution);
    }

    public ChannelStatistics statistics() {
        return new ChannelStatistics(means, deviations);
    }

    public Optional<Double> pixelSize() {
        return Double.isNaN(micronsPerPixel) ? Optional.empty() : Optional.of(micronsPerPixel);
    }

    /** The tiles predicted: of the slide, or of its level 1/resolution for a tissue map. */
    public TileGrid grid(int tileSize) {
        return TileGrid.of(predictedWidth(), predictedHeight(), tileSize);
    }

    /** The width of what is predicted: the slide's, or its level's (ceil(width / resolution)). */
    public int predictedWidth() {
        return (width + resolution - 1) / resolution;
    }

    public int predictedHeight() {
        return (height + resolution - 1) / resolution;
    }

    /** The file name, as recorded in the polygons' provenance. */
    public String imageName() {
        return fileName(path);
    }

    /** The file name without its extension: the stem of the result files. */
    public String baseName() {
        return baseName(path);
    }

    static String fileName(String path) {
        return SlideSource.fileName(path);
    }

    /** The stem of the result files of a slide (a path or slice:ID:NAME): its file name without the extension. */
    public static String baseName(String path) {
        String n = fileName(path);
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}

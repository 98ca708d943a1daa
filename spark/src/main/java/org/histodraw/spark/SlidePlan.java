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
 * @param micronsPerPixel NaN when the slide does not know its pixel size
 */
public record SlidePlan(int index, String path, int width, int height, double micronsPerPixel, double[] means,
                        double[] deviations) implements Serializable {

    public SlidePlan {
        means = means.clone();
        deviations = deviations.clone();
    }

    static SlidePlan of(int index, String path, int width, int height, Optional<Double> micronsPerPixel,
                        ChannelStatistics statistics) {
        return new SlidePlan(index, path, width, height, micronsPerPixel.orElse(Double.NaN), statistics.means(),
                statistics.deviations());
    }

    public ChannelStatistics statistics() {
        return new ChannelStatistics(means, deviations);
    }

    public Optional<Double> pixelSize() {
        return Double.isNaN(micronsPerPixel) ? Optional.empty() : Optional.of(micronsPerPixel);
    }

    public TileGrid grid(int tileSize) {
        return TileGrid.of(width, height, tileSize);
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

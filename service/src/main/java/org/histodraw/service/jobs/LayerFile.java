package org.histodraw.service.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.pipeline.StripSink;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.vector.PolygonCleaning;
import org.histodraw.slides.io.TracedPolygons;

/**
 * A slice's prediction, fed strip by strip, written as the body of a layer replacement: a GeoJSON
 * FeatureCollection with the job's {@code provenance}, one feature per traced (and simplified)
 * polygon, into a file so that a large slide's polygons never sit in memory at once. Also counts
 * the pixels of each class for the area table, in the slice's own pixels. A tissue map at 1/N is fed
 * at its resolution and written in the slice's coordinates.
 */
final class LayerFile implements StripSink, AutoCloseable {
    private final Path file;
    private final TracedPolygons polygons;
    private final long[] pixelsPerClass;
    private final int resolution;

    /**
     * @param width      the class map's width, in its own pixels
     * @param resolution 1, or N for a class map at 1/N of the slice
     * @param omitted    classes whose regions are not written (still counted)
     */
    LayerFile(Path file, int width, int resolution, ClassList classes, Map<String, Object> provenance,
              PolygonCleaning cleaning, Double micronsPerPixel, Set<String> omitted) {
        this.file = file;
        this.resolution = resolution;
        this.pixelsPerClass = new long[classes.size() + 1];
        // the writer of histodraw segment: the same polygons, holes of tissue around thousands of
        // nuclei waiting on disk until the tissue closes
        this.polygons = new TracedPolygons(file, width, resolution, classes, Map.of("provenance", provenance), Map.of(),
                cleaning, micronsPerPixel, omitted);
    }

    @Override
    public void accept(int y, LabelRaster classes, Raster probabilities) {
        for (byte b : classes.data()) {
            pixelsPerClass[b & 0xff]++;
        }
        polygons.accept(classes, y);
    }

    @Override
    public void finish() {
        polygons.finish();
    }

    Path file() {
        return file;
    }

    long polygons() {
        return polygons.polygons();
    }

    /** Pixels of the slice in each class, index 1..K (a tissue map's pixel stands for N x N of them). */
    long[] pixelsPerClass() {
        long[] pixels = pixelsPerClass.clone();
        for (int c = 0; c < pixels.length; c++) {
            pixels[c] *= (long) resolution * resolution;
        }
        return pixels;
    }

    @Override
    public void close() {
        polygons.close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless; the next job overwrites it
        }
    }
}

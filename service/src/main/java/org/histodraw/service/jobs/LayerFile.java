package org.histodraw.service.jobs;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.geojson.GeoJsonWriter;
import org.histodraw.engine.pipeline.StripSink;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.vector.ClassMapVectoriser;
import org.histodraw.engine.vector.PolygonCleaning;
import org.histodraw.slides.io.SpilledHoles;

/**
 * A slice's prediction, fed strip by strip, written as the body of a layer replacement: a GeoJSON
 * FeatureCollection with the job's {@code provenance}, one feature per traced (and simplified)
 * polygon, into a file so that a large slide's polygons never sit in memory at once. Also counts
 * the pixels of each class for the area table.
 */
final class LayerFile implements StripSink, AutoCloseable {
    private final Path file;
    private final BufferedWriter out;
    private final GeoJsonWriter features;
    private final SpilledHoles spilledHoles;
    private final ClassMapVectoriser vectoriser;
    private final long[] pixelsPerClass;
    private boolean finished;

    LayerFile(Path file, int width, ClassList classes, Map<String, Object> provenance, PolygonCleaning cleaning,
              Double micronsPerPixel) {
        this.file = file;
        this.pixelsPerClass = new long[classes.size() + 1];
        try {
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        this.features = new GeoJsonWriter(out, Map.of("provenance", provenance), Map.of());
        // holes of tissue around thousands of nuclei wait on disk, not in the heap, until the tissue closes
        this.spilledHoles = new SpilledHoles(file.resolveSibling(file.getFileName() + ".holes"), cleaning, micronsPerPixel, features);
        this.vectoriser = new ClassMapVectoriser(width, classes, cleaning.before(features, micronsPerPixel), spilledHoles);
    }

    @Override
    public void accept(int y, LabelRaster classes, Raster probabilities) {
        for (byte b : classes.data()) {
            pixelsPerClass[b & 0xff]++;
        }
        vectoriser.accept(classes, y);
    }

    @Override
    public void finish() {
        vectoriser.finish();
        spilledHoles.close();
        features.finish();
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        finished = true;
    }

    Path file() {
        return file;
    }

    long polygons() {
        return features.featuresWritten();
    }

    /** Pixels of each class, index 1..K. */
    long[] pixelsPerClass() {
        return pixelsPerClass.clone();
    }

    @Override
    public void close() {
        spilledHoles.close();
        try {
            if (!finished) {
                out.close();
            }
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless; the next job overwrites it
        }
    }
}

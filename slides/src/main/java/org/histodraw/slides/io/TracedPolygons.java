package org.histodraw.slides.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.geojson.GeoJsonWriter;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.vector.ClassMapVectoriser;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.HoleSpill;
import org.histodraw.engine.vector.PolygonCleaning;
import org.histodraw.engine.vector.Ring;

/**
 * A slide's class map, fed strip by strip from top to bottom, written as a GeoJSON
 * FeatureCollection of its traced regions: traced by {@link ClassMapVectoriser}, cleaned on worker
 * threads in the order traced ({@link ParallelCleaning}), the holes of a region still open past a
 * few thousand waiting in a temporary file ({@link SpilledHoles}), the characters gathered in
 * chunks ({@link CharChunks}). Memory depends on the slide's width, not on its polygons. One
 * writer for {@code histodraw segment}, the Spark cohort job ({@link SlideResults}) and the
 * segmentation service's layers, so the same settings give the same file everywhere.
 *
 * <p>The file is complete after {@link #finish()}; {@link #close()} before that leaves a partial
 * file, which the caller removes.
 */
public final class TracedPolygons implements AutoCloseable {
    private final Path file;
    private final BufferedWriter out;
    private final CharChunks chunks;
    private final GeoJsonWriter features;
    private final ParallelCleaning cleaned;
    private final SpilledHoles spilledHoles;
    private final ClassMapVectoriser vectoriser;

    /**
     * @param file             the GeoJSON file (its holes spill beside it, into {@code NAME.holes})
     * @param width            the class map's width, in its own pixels
     * @param resolution       1, or N for a class map at 1/N whose polygons are scaled to the slide's
     *                         pixels (a tissue map: its regions' holes spill as at full resolution)
     * @param collectionFields members of the FeatureCollection besides its features
     * @param featureFields    properties every feature carries besides its class
     * @param micronsPerPixel  the slide's pixel size for the cleaning's areas (null: unknown)
     * @throws UncheckedIOException naming the file and the reason when it cannot be created
     */
    public TracedPolygons(Path file, int width, int resolution, ClassList classes, Map<String, Object> collectionFields,
                          Map<String, Object> featureFields, PolygonCleaning cleaning, Double micronsPerPixel) {
        this(file, width, resolution, classes, collectionFields, featureFields, cleaning, micronsPerPixel, Set.of());
    }

    /**
     * As above, writing no region of the classes named in {@code omitted} (QuPath makes objects of
     * the classes one chooses: a background with a hole per nucleus is no annotation anyone edits).
     * Their regions are still traced, since they shape the others' holes, and then dropped, their
     * spilled holes unread.
     */
    public TracedPolygons(Path file, int width, int resolution, ClassList classes, Map<String, Object> collectionFields,
                          Map<String, Object> featureFields, PolygonCleaning cleaning, Double micronsPerPixel,
                          Set<String> omitted) {
        this.file = file;
        try {
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + " (" + SlideResults.reason(e) + ")", e);
        }
        this.chunks = new CharChunks(out);
        this.features = new GeoJsonWriter(chunks, collectionFields, featureFields);
        this.cleaned = new ParallelCleaning(cleaning, micronsPerPixel, features);
        try {
            this.spilledHoles = new SpilledHoles(file.resolveSibling(file.getFileName() + ".holes"), resolution,
                    cleaning, micronsPerPixel, features);
        } catch (RuntimeException e) {
            cleaned.close();
            closeQuietly();
            throw e;
        }
        Predicate<ClassifiedPolygon> written = polygon -> !omitted.contains(polygon.imageClass().name());
        this.vectoriser = new ClassMapVectoriser(width, classes, polygon -> {
            if (written.test(polygon)) {
                cleaned.accept(resolution == 1 ? polygon : polygon.scaled(resolution));
            }
        }, inOrder(spilledHoles, cleaned, written));
    }

    /** The next strip of the class map (strips in order, full width). */
    public void accept(LabelRaster classes, int y) {
        vectoriser.accept(classes, y);
    }

    /** Closes the last regions and completes the file. */
    public void finish() {
        vectoriser.finish();
        cleaned.finish();
        cleaned.close();
        spilledHoles.close();
        features.finish();
        try {
            chunks.flush();
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Features written so far. */
    public long polygons() {
        return features.featuresWritten();
    }

    /** Stops the workers and closes the files (after {@link #finish()} there is nothing left to close). */
    @Override
    public void close() {
        cleaned.close();
        spilledHoles.close();
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            out.close();
        } catch (IOException ignored) {
            // the caller removes a partial file
        }
    }

    /**
     * The spill, writing a region only once every polygon traced before it is written: regions
     * come out in the order they close, as from one thread.
     */
    private static HoleSpill inOrder(SpilledHoles spill, ParallelCleaning cleaned, Predicate<ClassifiedPolygon> written) {
        return new HoleSpill() {
            @Override
            public void store(long region, List<Ring> holes) {
                spill.store(region, holes);
            }

            @Override
            public void merge(long from, long into) {
                spill.merge(from, into);
            }

            @Override
            public void close(long region, ClassifiedPolygon polygon) {
                if (!written.test(polygon)) {
                    spill.drop(region);
                    return;
                }
                cleaned.finish();
                spill.close(region, polygon);
            }
        };
    }
}

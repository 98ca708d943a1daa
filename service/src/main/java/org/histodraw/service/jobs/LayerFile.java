package org.histodraw.service.jobs;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.geojson.GeoJsonWriter;
import org.histodraw.engine.pipeline.StripSink;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.vector.ClassMapVectoriser;
import org.histodraw.engine.vector.PolygonCleaning;

/**
 * A slice's prediction, fed strip by strip, written as the body of a layer replacement: a GeoJSON
 * FeatureCollection with the job's {@code provenance}, one feature per traced (and simplified)
 * polygon, into a file so that a large slide's polygons never sit in memory at once. Also counts
 * the pixels of each class for the area table.
 */
final class LayerFile implements StripSink, AutoCloseable {
    /** What the engine's writer opens with; replaced by the same opening plus the provenance. */
    private static final String OPENING = "{\"type\":\"FeatureCollection\",";

    private final Path file;
    private final BufferedWriter out;
    private final GeoJsonWriter features;
    private final ClassMapVectoriser vectoriser;
    private final long[] pixelsPerClass;
    private boolean finished;

    LayerFile(Path file, int width, ClassList classes, String provenanceJson, PolygonCleaning cleaning, Double micronsPerPixel) {
        this.file = file;
        this.pixelsPerClass = new long[classes.size() + 1];
        try {
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            out.write(OPENING + "\"provenance\":" + provenanceJson + ",");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        this.features = new GeoJsonWriter(new SkipOpening(out));
        this.vectoriser = new ClassMapVectoriser(width, classes, cleaning.before(features, micronsPerPixel));
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
        try {
            if (!finished) {
                out.close();
            }
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless; the next job overwrites it
        }
    }

    /** Passes everything on except the engine writer's own opening, which this file already has. */
    private static final class SkipOpening implements Appendable {
        private final Appendable next;
        private int matched;

        SkipOpening(Appendable next) {
            this.next = next;
        }

        @Override
        public Appendable append(CharSequence s) throws IOException {
            for (int i = 0; i < s.length(); i++) {
                append(s.charAt(i));
            }
            return this;
        }

        @Override
        public Appendable append(CharSequence s, int start, int end) throws IOException {
            return append(s.subSequence(start, end));
        }

        @Override
        public Appendable append(char c) throws IOException {
            if (matched < OPENING.length()) {
                if (c != OPENING.charAt(matched)) {
                    throw new IllegalStateException("unexpected GeoJSON opening from the engine's writer");
                }
                matched++;
                return this;
            }
            next.append(c);
            return this;
        }
    }
}

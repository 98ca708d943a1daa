package org.histodraw.spark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.geojson.GeoJsonWriter;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.pipeline.StripSink;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.vector.ClassMapVectoriser;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.MinimumAreaFilter;
import org.histodraw.engine.vector.PolygonSimplifier;
import org.histodraw.slides.io.ClassMapWriter;

/**
 * The files of one segmented slide, fed full-width strips from top to bottom: {@code NAME_classes.png}
 * and {@code NAME.geojson}, the same files with the same provenance as {@code histodraw segment}
 * writes. Because the vectoriser sees whole strips, a nucleus cut by a tile border comes out as one
 * polygon. Files appear under their final names only when the slide is complete; {@link #close()}
 * before {@link #finish()} removes the partial ones.
 */
final class SlideResults implements StripSink, AutoCloseable {
    private final ClassMapWriter classMap;
    private final ClassMapVectoriser vectoriser;
    private final Path geoJson;
    private final Path geoJsonPart;
    private final BufferedWriter geoJsonOut;
    private final GeoJsonWriter features;
    private final long[] pixelsPerClass;
    private boolean finished;

    SlideResults(Path outDir, SlidePlan slide, SegmentationModel model, double simplify, double minArea) {
        ClassList classes = model.classes();
        this.pixelsPerClass = new long[classes.size() + 1];
        String name = slide.baseName();
        try {
            Files.createDirectories(outDir);
            this.geoJson = outDir.resolve(name + ".geojson");
            this.geoJsonPart = outDir.resolve(name + ".geojson.part");
            this.geoJsonOut = Files.newBufferedWriter(geoJsonPart, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + outDir + ": " + e, e);
        }
        this.features = new GeoJsonWriter(geoJsonOut, provenance(model, slide.imageName()));
        Consumer<ClassifiedPolygon> sink = features;
        if (simplify > 0) {
            PolygonSimplifier simplifier = PolygonSimplifier.withTolerance(simplify);
            Consumer<ClassifiedPolygon> next = sink;
            sink = p -> next.accept(simplifier.apply(p));
        }
        if (minArea > 0) {
            sink = new MinimumAreaFilter(minArea).forwardingTo(sink);
        }
        this.vectoriser = new ClassMapVectoriser(slide.width(), classes, sink);
        try {
            this.classMap = ClassMapWriter.open(outDir.resolve(name + "_classes.png"), slide.width(), slide.height(),
                    classes, slide.pixelSize());
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** Carried by every polygon: which model, trained on which images, applied to which image. */
    static Map<String, Object> provenance(SegmentationModel model, String imageName) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("generator", "histodraw");
        p.put("model", model.id());
        p.put("modelName", model.name());
        p.put("trainingImages", model.training().stream().map(t -> t.imageName()).toList());
        p.put("image", imageName);
        return Map.of("provenance", p);
    }

    @Override
    public void accept(int y, LabelRaster classes, Raster probabilities) {
        for (byte b : classes.data()) {
            pixelsPerClass[b & 0xff]++;
        }
        classMap.accept(y, classes);
        vectoriser.accept(classes, y);
    }

    @Override
    public void finish() {
        vectoriser.finish();
        features.finish();
        try {
            geoJsonOut.close();
            Files.move(geoJsonPart, geoJson, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + geoJson + ": " + e.getMessage(), e);
        }
        classMap.close();
        finished = true;
    }

    boolean finished() {
        return finished;
    }

    long[] pixelsPerClass() {
        return pixelsPerClass.clone();
    }

    /** Removes the partial files when the slide did not complete. */
    @Override
    public void close() {
        if (!finished) {
            classMap.abort();
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            geoJsonOut.close();
            Files.deleteIfExists(geoJsonPart);
        } catch (IOException ignored) {
            // best effort: the .part name already marks it as incomplete
        }
    }
}

package org.histodraw.app.segment;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.histodraw.slides.io.ProbabilityMapWriter;

/**
 * Everything written for one segmented slide, fed strip by strip: the class-map PNG, the polygons
 * as GeoJSON (traced, simplified, small ones dropped, each carrying the model's provenance), the
 * optional probability and uncertainty maps, and the area of each class. Files appear under their
 * final names only when the slide is complete.
 */
final class SlideOutputs implements StripSink, AutoCloseable {
    private final ClassMapWriter classMap;
    private final ProbabilityMapWriter probabilityMaps;
    private final ClassMapVectoriser vectoriser;
    private final Path geoJson;
    private final Path geoJsonPart;
    private final BufferedWriter geoJsonOut;
    private final GeoJsonWriter features;
    private final long[] pixelsPerClass;
    private boolean finished;

    SlideOutputs(Path outDir, String baseName, int width, int height, SegmentationModel model, String imageName,
                 Optional<Double> micronsPerPixel, boolean probabilities, double simplify, double minArea) {
        ClassList classes = model.classes();
        this.pixelsPerClass = new long[classes.size() + 1];
        try {
            Files.createDirectories(outDir);
            this.geoJson = outDir.resolve(baseName + ".geojson");
            this.geoJsonPart = outDir.resolve(baseName + ".geojson.part");
            this.geoJsonOut = Files.newBufferedWriter(geoJsonPart, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + outDir + " (" + reason(e) + ")", e);
        }
        this.features = new GeoJsonWriter(geoJsonOut, provenance(model, imageName));
        Consumer<ClassifiedPolygon> sink = features;
        if (simplify > 0) {
            PolygonSimplifier simplifier = PolygonSimplifier.withTolerance(simplify);
            Consumer<ClassifiedPolygon> next = sink;
            sink = p -> next.accept(simplifier.apply(p));
        }
        if (minArea > 0) {
            sink = new MinimumAreaFilter(minArea).forwardingTo(sink);
        }
        this.vectoriser = new ClassMapVectoriser(width, classes, sink);
        this.classMap = ClassMapWriter.open(outDir.resolve(baseName + "_classes.png"), width, height, classes, micronsPerPixel);
        this.probabilityMaps = probabilities
                ? ProbabilityMapWriter.perPlane(ProbabilityMapWriter.planeFiles(outDir, baseName, classes, true),
                width, height, micronsPerPixel)
                : null;
    }

    /** What the file system said, in words (its exceptions often carry only the path). */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such folder";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Provenance carried by every generated polygon: which model, trained on what, applied to which image. */
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
        byte[] data = classes.data();
        for (byte b : data) {
            pixelsPerClass[b & 0xff]++;
        }
        classMap.accept(y, classes);
        if (probabilityMaps != null) {
            probabilityMaps.accept(y, probabilities);
        }
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
        if (probabilityMaps != null) {
            probabilityMaps.close();
        }
        finished = true;
    }

    /** Pixels of each class (index 1..K; index 0 unused). */
    long[] pixelsPerClass() {
        return pixelsPerClass.clone();
    }

    long polygons() {
        return features.featuresWritten();
    }

    List<Path> files() {
        return List.of(geoJson);
    }

    /** Removes partial files when the slide did not complete. */
    @Override
    public void close() {
        if (finished) {
            return;
        }
        classMap.abort();
        if (probabilityMaps != null) {
            probabilityMaps.abort();
        }
        try {
            geoJsonOut.close();
            Files.deleteIfExists(geoJsonPart);
        } catch (IOException ignored) {
            // best effort: the .part name already marks it as incomplete
        }
    }
}

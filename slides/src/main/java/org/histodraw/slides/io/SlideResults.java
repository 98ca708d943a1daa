package org.histodraw.slides.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.pipeline.StripSink;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.vector.PolygonCleaning;

/**
 * Everything written for one segmented slide, fed full-width strips from top to bottom:
 * {@code NAME_classes.png}, {@code NAME.geojson} (polygons traced, simplified, small ones dropped,
 * each carrying the model's provenance), optionally one probability map per class and
 * {@code NAME_uncertainty.png}, and the pixels of each class. {@code histodraw segment} and the
 * Spark cohort job both write through this class, so their files are the same.
 *
 * <p>Because the vectoriser sees whole strips, a nucleus cut by a tile border comes out as one
 * polygon. Polygons are written as they close ({@link TracedPolygons}), so memory depends on the
 * tile size and the slide width, not on the number of polygons or holes. Files appear under their
 * final names only when the slide is complete; {@link #close()} before {@link #finish()} removes the
 * partial ones.
 */
public final class SlideResults implements StripSink, AutoCloseable {
    private final ClassMapWriter classMap;
    private final ProbabilityMapWriter probabilityMaps;
    private final Path geoJson;
    private final Path geoJsonPart;
    private final TracedPolygons polygons;
    private final long[] pixelsPerClass;
    private final int resolution;
    private boolean finished;

    /**
     * Opens the files of one slide in {@code outDir} (created when missing).
     *
     * @param baseName        file name stem of the outputs, e.g. {@code 01} for {@code 01.geojson}
     * @param imageName       the slide's file name, recorded in every polygon's provenance
     * @param micronsPerPixel written into the PNGs when known
     * @param probabilities   also write per-class probability maps and the uncertainty map; the strips
     *                        must then carry probabilities (classes + 1 planes)
     * @param cleaning        which traced regions are kept and how their outlines are simplified
     *                        (areas in µm² when {@code micronsPerPixel} is known, else px²)
     * @throws UncheckedIOException naming the folder and the reason when the files cannot be created
     */
    public SlideResults(Path outDir, String baseName, int width, int height, SegmentationModel model,
                        String imageName, Optional<Double> micronsPerPixel, boolean probabilities,
                        PolygonCleaning cleaning) {
        this(outDir, baseName, width, height, 1, model, imageName, micronsPerPixel, probabilities, cleaning);
    }

    /**
     * The files of one slide predicted at 1/{@code resolution} (a tissue map from a model's overview):
     * the class map has the level's {@code width x height} pixels and that many times the pixel size;
     * polygons are in the slide's own pixels, and so is the cleaning.
     */
    public SlideResults(Path outDir, String baseName, int width, int height, int resolution, SegmentationModel model,
                        String imageName, Optional<Double> micronsPerPixel, boolean probabilities,
                        PolygonCleaning cleaning) {
        this(outDir, baseName, width, height, resolution, model, imageName, micronsPerPixel, probabilities, cleaning,
                Set.of());
    }

    /** As above, with no regions of the classes named in {@code omitted} in the GeoJSON (still in the class map). */
    public SlideResults(Path outDir, String baseName, int width, int height, int resolution, SegmentationModel model,
                        String imageName, Optional<Double> micronsPerPixel, boolean probabilities,
                        PolygonCleaning cleaning, Set<String> omitted) {
        ClassList classes = model.classes();
        this.pixelsPerClass = new long[classes.size() + 1];
        this.resolution = resolution;
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + outDir + " (" + reason(e) + ")", e);
        }
        this.geoJson = outDir.resolve(baseName + ".geojson");
        this.geoJsonPart = outDir.resolve(baseName + ".geojson.part");
        // A tissue map's polygons are scaled to the slide's pixels as they close.
        this.polygons = new TracedPolygons(geoJsonPart, width, resolution, classes, Map.of(),
                provenance(model, imageName), cleaning, micronsPerPixel.orElse(null), omitted);
        Optional<Double> levelPixelSize = micronsPerPixel.map(mpp -> mpp * resolution);
        ClassMapWriter map = null;
        try {
            map = ClassMapWriter.open(outDir.resolve(baseName + "_classes.png"), width, height, classes,
                    levelPixelSize);
            this.probabilityMaps = probabilities
                    ? ProbabilityMapWriter.perPlane(ProbabilityMapWriter.planeFiles(outDir, baseName, classes, true),
                    width, height, levelPixelSize)
                    : null;
        } catch (RuntimeException e) {
            if (map != null) {
                map.abort();
            }
            removeGeoJson();
            throw e;
        }
        this.classMap = map;
    }

    /** What the file system said, in words (its exceptions often carry only the path). */
    public static String reason(IOException e) {
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
    public static Map<String, Object> provenance(SegmentationModel model, String imageName) {
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
        if (probabilityMaps != null) {
            probabilityMaps.accept(y, probabilities);
        }
        polygons.accept(classes, y);
    }

    @Override
    public void finish() {
        polygons.finish();
        try {
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

    /** Whether every strip arrived and the files are under their final names. */
    public boolean finished() {
        return finished;
    }

    /**
     * The slide's pixels of each class so far (index 1..K; index 0 unused): a tissue map's pixel at
     * 1/N counts as N x N of them.
     */
    public long[] pixelsPerClass() {
        long[] pixels = pixelsPerClass.clone();
        for (int c = 0; c < pixels.length; c++) {
            pixels[c] *= (long) resolution * resolution;
        }
        return pixels;
    }

    /** Polygons written to the GeoJSON so far. */
    public long polygons() {
        return polygons.polygons();
    }

    /** The GeoJSON file (under its final name once finished). */
    public List<Path> files() {
        return List.of(geoJson);
    }

    /** Removes the partial files when the slide did not complete. */
    @Override
    public void close() {
        if (finished) {
            return;
        }
        classMap.abort();
        if (probabilityMaps != null) {
            probabilityMaps.abort();
        }
        removeGeoJson();
    }

    private void removeGeoJson() {
        polygons.close();
        try {
            Files.deleteIfExists(geoJsonPart);
        } catch (IOException ignored) {
            // best effort: the .part name already marks it as incomplete
        }
    }
}

package org.histodraw.app.segment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.histodraw.app.console.UserError;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.geojson.GeoJson;
import org.histodraw.engine.geojson.LabelledRegions;
import org.histodraw.engine.geojson.MicroDrawJson;
import org.histodraw.engine.pipeline.LabelSource;
import org.histodraw.engine.pipeline.PolygonLabels;
import org.histodraw.engine.pipeline.TrainingImage;
import org.histodraw.engine.pipeline.TrainingSnapshot;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.vector.ClassMapVectoriser;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.slides.io.LabelImage;
import org.histodraw.slides.io.LabelImages;
import org.histodraw.slides.io.SlideImage;

/**
 * Reads the labels that go with the training images, GeoJSON regions (QuPath), MicroDraw regions
 * (its JSON, scaled to the image width) or label images, into one
 * class list shared by all images: a class is the same class on every image when it has the same
 * name (GeoJSON) or the same value (label images).
 */
final class TrainingInputs {
    private final Map<String, ImageClass> classes = new LinkedHashMap<>();
    private final List<String> labelImageNames;
    private final List<Pending> pending = new ArrayList<>();

    private record Pending(String name, SlideImage image, Path labelsFile, List<ClassifiedPolygon> regions,
                           LabelRaster raster) {
    }

    TrainingInputs(List<String> classNames) {
        this.labelImageNames = classNames;
    }

    /** Reads the labels of one image; sizes are checked against the image. */
    void add(String name, SlideImage image, Path labelsFile) {
        if (SegmentRequest.isGeoJson(labelsFile)) {
            LabelledRegions regions;
            try {
                String text = readText(labelsFile);
                regions = isMicroDraw(text)
                        ? MicroDrawJson.forImageWidth(image.width()).readRegions(text)
                        : GeoJson.readRegions(text);
            } catch (IllegalArgumentException e) {
                throw new UserError(labelsFile.getFileName() + ": " + e.getMessage());
            }
            if (regions.regions().isEmpty()) {
                throw new UserError("no regions in " + labelsFile.getFileName() + ": draw at least one region per class");
            }
            for (ImageClass c : regions.classes().classes()) {
                classes.putIfAbsent(c.name(), c);
            }
            pending.add(new Pending(name, image, labelsFile, regions.regions(), null));
        } else {
            LabelImage labels = LabelImages.read(labelsFile);
            LabelRaster raster = labels.labels();
            if (raster.width() != image.width() || raster.height() != image.height()) {
                throw new UserError("labels " + labelsFile.getFileName() + " are " + raster.width() + " x " + raster.height()
                        + " but image " + name + " is " + image.width() + " x " + image.height());
            }
            if (labels.maxValue() == 0) {
                throw new UserError("no labelled pixels in " + labelsFile.getFileName());
            }
            for (ImageClass c : labels.classes(labelImageNames).classes()) {
                classes.putIfAbsent("#" + c.index(), c);
            }
            pending.add(new Pending(name, image, labelsFile, null, raster));
        }
    }

    /** The shared class list: label values 1..K of label images, then GeoJSON class names as they appear. */
    ClassList classList() {
        List<ImageClass> byValue = new ArrayList<>();
        classes.entrySet().stream().filter(e -> e.getKey().startsWith("#"))
                .sorted((a, b) -> Integer.compare(a.getValue().index(), b.getValue().index()))
                .forEach(e -> byValue.add(e.getValue()));
        List<ImageClass> all = new ArrayList<>();
        for (ImageClass c : byValue) {
            all.add(new ImageClass(all.size() + 1, c.name(), c.rgb()));
        }
        for (Map.Entry<String, ImageClass> e : classes.entrySet()) {
            if (!e.getKey().startsWith("#") && all.stream().noneMatch(c -> c.name().equals(e.getKey()))) {
                all.add(new ImageClass(all.size() + 1, e.getValue().name(), e.getValue().rgb()));
            }
        }
        if (all.size() < 2) {
            throw new UserError("labels name only one class (" + (all.isEmpty() ? "none" : all.get(0).name())
                    + "): a classifier needs at least two");
        }
        return new ClassList(all);
    }

    /** The training images with labels expressed in the shared class list. */
    List<TrainingImage> images(ClassList shared) {
        List<TrainingImage> out = new ArrayList<>();
        for (Pending p : pending) {
            if (p.regions() != null) {
                List<ClassifiedPolygon> remapped = new ArrayList<>();
                for (ClassifiedPolygon r : p.regions()) {
                    remapped.add(new ClassifiedPolygon(shared.get(shared.indexOf(r.imageClass().name())), r.polygon()));
                }
                PolygonLabels labels = new PolygonLabels(p.image().width(), p.image().height(), remapped);
                if (labels.labelledAreas().isEmpty()) {
                    throw new UserError("regions of " + p.labelsFile().getFileName() + " lie outside image " + p.name());
                }
                out.add(new TrainingImage(p.name(), p.image(), labels,
                        new TrainingSnapshot(p.name(), p.image().width(), p.image().height(), remapped)));
            } else {
                List<ClassifiedPolygon> traced = ClassMapVectoriser.vectorise(p.raster(), shared);
                out.add(new TrainingImage(p.name(), p.image(), LabelSource.of(p.raster()),
                        new TrainingSnapshot(p.name(), p.image().width(), p.image().height(), traced)));
            }
        }
        return out;
    }

    /**
     * MicroDraw saves a slice's regions as a JSON array of {@code {"annotation": {...}}} objects;
     * GeoJSON is an object (a FeatureCollection or a Feature).
     */
    static boolean isMicroDraw(String json) {
        String t = json.stripLeading();
        return t.startsWith("[") && t.contains("\"annotation\"");
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        }
    }
}

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
import org.histodraw.engine.geojson.LabelledRegions;
import org.histodraw.engine.geojson.MicroDrawAnnotation;
import org.histodraw.engine.geojson.MicroDrawFile;
import org.histodraw.engine.geojson.MicroDrawJson;
import org.histodraw.engine.geojson.QuPathFile;
import org.histodraw.engine.geojson.QuPathObject;
import org.histodraw.engine.geojson.QuPathReader;
import org.histodraw.engine.geojson.Skipped;
import org.histodraw.engine.pipeline.LabelSource;
import org.histodraw.engine.pipeline.PolygonLabels;
import org.histodraw.engine.pipeline.TrainingImage;
import org.histodraw.engine.pipeline.TrainingSnapshot;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.vector.ClassMapVectoriser;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.server.geometry.JtsPolygonRepair;
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
    private final List<String> warnings = new ArrayList<>();
    /** Warnings listed per labels file; the rest are counted. */
    private static final int WARNINGS_PER_FILE = 20;

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
                        ? microDrawRegions(labelsFile, text, image.width())
                        : qupathRegions(labelsFile, text);
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

    /**
     * The classified regions of a GeoJSON file, read as the server imports it (the engine's
     * {@link QuPathReader}, invalid outlines repaired by JTS): what cannot teach (a point, a line, an
     * unclassified object, an outline that cannot be repaired) is left out with a warning.
     */
    private LabelledRegions qupathRegions(Path labelsFile, String text) {
        QuPathFile file = QuPathReader.read(text, JtsPolygonRepair.INSTANCE);
        List<String> found = new ArrayList<>();
        for (Skipped s : file.skipped()) {
            found.add(s.at() + " left out: it " + s.reason());
        }
        for (QuPathObject o : file.objects()) {
            if (o.classification() == null) {
                found.add(o.at() + " left out: it has no class, so it cannot teach one");
            } else {
                for (String note : o.notes()) {
                    found.add(o.at() + ": " + note);
                }
            }
        }
        warn(labelsFile, found);
        return file.labelled();
    }

    /** The regions of a MicroDraw file; lines, texts and annotations that cannot be read are left out with a warning. */
    private LabelledRegions microDrawRegions(Path labelsFile, String text, int imageWidth) {
        MicroDrawFile file = MicroDrawJson.forImageWidth(imageWidth).read(text);
        List<String> found = new ArrayList<>();
        for (Skipped s : file.skipped()) {
            found.add(s.at() + " left out: " + s.reason());
        }
        for (MicroDrawAnnotation a : file.annotations()) {
            if (a.kind() != MicroDrawAnnotation.Kind.REGION) {
                found.add(a.at() + " left out: it is " + a.kind().article() + ", which has no area");
            }
        }
        warn(labelsFile, found);
        return file.labelled();
    }

    private void warn(Path labelsFile, List<String> found) {
        for (int i = 0; i < found.size(); i++) {
            if (i == WARNINGS_PER_FILE) {
                warnings.add(labelsFile.getFileName() + ": and " + (found.size() - i) + " more features left out or changed");
                break;
            }
            warnings.add(labelsFile.getFileName() + ": " + found.get(i));
        }
    }

    /** What reading the labels left out or changed, one line each (shown as warnings). */
    List<String> warnings() {
        return List.copyOf(warnings);
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

package org.histodraw.enginejs;

import java.util.ArrayList;
import java.util.List;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.ForestSettings;
import org.histodraw.engine.forest.RandomForest;
import org.histodraw.engine.forest.TrainingSet;
import org.histodraw.engine.geojson.GeoJson;
import org.histodraw.engine.geojson.LabelledRegions;
import org.histodraw.engine.labels.PolygonRasteriser;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.vector.ClassifiedPolygon;

/**
 * "Segment here": trains a forest on the regions drawn over the viewed pixels and classifies those
 * pixels, computing the features once for both. The same code runs on the JVM and, compiled by
 * TeaVM, in the browser; with the same pixels, regions, settings and seed both give the same
 * class map.
 */
public final class BrowserSegmenter {
    private BrowserSegmenter() {
    }

    /** RGBA bytes (a canvas's ImageData, row by row) as the engine's RGB raster; alpha is ignored. */
    public static Raster rgbaToRaster(byte[] rgba, int width, int height) {
        if (width <= 0 || height <= 0 || (long) width * height > 64L << 20) {
            throw new IllegalArgumentException("the image must be between 1 x 1 and 64 megapixels: " + width + " x " + height);
        }
        if (rgba.length != 4 * width * height) {
            throw new IllegalArgumentException("expected " + 4 * width * height + " RGBA bytes for " + width + " x " + height
                    + ", got " + rgba.length);
        }
        int[] packed = new int[width * height];
        for (int i = 0; i < packed.length; i++) {
            packed[i] = ((rgba[4 * i] & 0xff) << 16) | ((rgba[4 * i + 1] & 0xff) << 8) | (rgba[4 * i + 2] & 0xff);
        }
        return Raster.fromPackedRgb(width, height, packed);
    }

    /**
     * @param regionsGeoJson the human regions in slide pixels (a FeatureCollection; class names in
     *                       {@code properties.classification.name}); classes are numbered in order
     *                       of first appearance
     * @param settings       feature settings in their text form, or blank for the defaults
     * @param seed           the forest's seed: the same seed gives the same forest
     */
    public static BrowserSegmentation segment(Raster rgb, ViewFrame frame, String regionsGeoJson, String settings, long seed) {
        LabelledRegions regions = GeoJson.readRegions(regionsGeoJson);
        ClassList classes = regions.classes();
        if (classes.size() < 2) {
            throw new IllegalArgumentException("draw regions of at least two classes to train on (found "
                    + (classes.size() == 0 ? "none" : "only " + classes.get(1).name()) + ")");
        }
        List<ClassifiedPolygon> inView = frame.toImage(regions.regions());
        LabelRaster labels = PolygonRasteriser.rasterise(inView, rgb.width(), rgb.height());
        int[] perClass = new int[classes.size() + 1];
        for (byte b : labels.data()) {
            perClass[b & 0xff]++;
        }
        // Only the classes with pixels in view are learnt: a forest cannot weigh a class it never saw.
        List<ImageClass> present = new ArrayList<>();
        byte[] renumber = new byte[perClass.length];
        int labelled = 0;
        for (int c = 1; c < perClass.length; c++) {
            if (perClass[c] > 0) {
                ImageClass drawn = classes.get(c);
                present.add(new ImageClass(present.size() + 1, drawn.name(), drawn.rgb()));
                renumber[c] = (byte) present.size();
                labelled += perClass[c];
            }
        }
        if (present.size() < 2) {
            throw new IllegalArgumentException("the view must hold regions of at least two classes (it holds "
                    + (present.isEmpty() ? "none" : "only " + present.get(0).name()) + ")");
        }
        if (present.size() < classes.size()) {
            byte[] data = labels.data();
            for (int i = 0; i < data.length; i++) {
                data[i] = renumber[data[i] & 0xff];
            }
            classes = new ClassList(present);
        }
        FeatureSettings featureSettings = settings == null || settings.isBlank()
                ? FeatureSettings.defaults() : FeatureSettings.parse(settings);
        Raster features = new FeatureBank(featureSettings).compute(rgb);
        TrainingSet samples = TrainingSet.fromLabels(features, labels, classes.size());
        RandomForest forest = RandomForest.train(samples, ForestSettings.builder().seed(seed).build());
        SegmentationModel model = SegmentationModel.of("browser model", 0L, featureSettings, classes, forest, List.of());
        return BrowserSegmentation.predict(model, features, frame, labelled);
    }
}

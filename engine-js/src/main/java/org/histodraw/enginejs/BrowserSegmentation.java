package org.histodraw.enginejs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.geojson.GeoJson;
import org.histodraw.engine.pipeline.ModelCodec;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.pipeline.Uncertainty;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.vector.ClassMapVectoriser;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.MinimumAreaFilter;
import org.histodraw.engine.vector.PolygonSimplifier;

/**
 * What "segment here" produced for one view: the model, the class map of the viewed pixels
 * (one byte per pixel, the class index, 0 = none) and where the forest hesitates (one byte per
 * pixel, 0 = all trees agree, 255 = two classes tie; may differ by one step between the JVM and
 * JavaScript, see {@link #predict}), with the frame placing the view on the slide.
 */
public record BrowserSegmentation(SegmentationModel model, LabelRaster classes, byte[] uncertainty, ViewFrame frame,
                                  int trainingPixels) {

    /** Applies a model to pixels (e.g. a model loaded from the server to the current view). */
    public static BrowserSegmentation predict(SegmentationModel model, Raster rgb, ViewFrame frame) {
        Raster features = new FeatureBank(model.features()).compute(rgb);
        return predict(model, features, frame, 0);
    }

    static BrowserSegmentation predict(SegmentationModel model, Raster features, ViewFrame frame, int trainingPixels) {
        int w = features.width(), h = features.height(), k = model.forest().classCount();
        // The class map comes from classify(), the pass proven to give the JVM's map pixel for pixel
        // in JavaScript; the probabilities' pass (summed in float on the JVM, in double under TeaVM)
        // may break a tie the other way, so it only feeds the uncertainty.
        LabelRaster classes = LabelRaster.allocate(w, h);
        model.forest().classify(features, classes);
        Raster probabilities = Raster.allocate(w, h, k);
        model.forest().predictProbabilities(features, probabilities);
        float[][] planes = new float[k][];
        for (int c = 0; c < k; c++) {
            planes[c] = probabilities.plane(c);
        }
        float[] hesitation = new float[w * h];
        Uncertainty.compute(planes, k, hesitation);
        byte[] uncertainty = new byte[w * h];
        for (int i = 0; i < uncertainty.length; i++) {
            uncertainty[i] = (byte) Math.round(Math.min(1f, Math.max(0f, hesitation[i])) * 255f);
        }
        return new BrowserSegmentation(model, classes, uncertainty, frame, trainingPixels);
    }

    /** The .hdm model file, the format the segmentation service and the CLI read. */
    public byte[] modelFile() {
        return ModelCodec.write(model);
    }

    /**
     * The class map traced into polygons, in slide pixels, as a GeoJSON FeatureCollection; specks
     * below {@code minimumArea} square slide pixels dropped, outlines simplified by
     * {@code tolerance} slide pixels (0 keeps the pixel staircase).
     */
    public String regionsGeoJson(double minimumArea, double tolerance) {
        List<ClassifiedPolygon> polygons = step("tracing the class map", () -> ClassMapVectoriser.vectorise(classes, model.classes()));
        List<ClassifiedPolygon> onSlide = frame.toSlide(polygons);
        if (minimumArea > 0) {
            onSlide = step("dropping specks", () -> new MinimumAreaFilter(minimumArea).apply(frame.toSlide(polygons)));
        }
        if (tolerance > 0) {
            // One polygon at a time: should simplifying one fail (seen once under TeaVM, not
            // reproduced), it stays as traced rather than losing the whole layer.
            PolygonSimplifier simplifier = PolygonSimplifier.withTolerance(tolerance);
            List<ClassifiedPolygon> simplified = new ArrayList<>(onSlide.size());
            for (ClassifiedPolygon p : onSlide) {
                ClassifiedPolygon q;
                try {
                    q = simplifier.apply(p);
                } catch (RuntimeException e) {
                    q = p;
                }
                simplified.add(q);
            }
            onSlide = simplified;
        }
        List<ClassifiedPolygon> result = onSlide;
        StringBuilder out = new StringBuilder();
        step("writing GeoJSON", () -> {
            GeoJson.write(result, out, Map.of("model", model.id()));
            return null;
        });
        return out.toString();
    }

    /** Runs one step of tracing; a failure names the step (TeaVM's exceptions often carry no message). */
    private static <T> T step(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw new IllegalStateException(what + " failed: " + e, e);
        }
    }
}

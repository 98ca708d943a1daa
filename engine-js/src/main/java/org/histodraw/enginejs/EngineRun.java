package org.histodraw.enginejs;

import java.util.Base64;
import java.util.List;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.ForestSettings;
import org.histodraw.engine.forest.RandomForest;
import org.histodraw.engine.forest.TrainingSet;
import org.histodraw.engine.pipeline.ModelCodec;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.Raster;

/**
 * One whole segmentation (features, forest training, classification, model file) of an image with
 * its scribbles, the same code on the JVM and compiled to JavaScript: its one-line JSON report
 * (class-map hash, model id, timings) is how tests show that the browser build computes exactly
 * what the JVM computes, and how fast.
 *
 * <p>Arguments: RGB bytes (interleaved, Base64), width, height, labels (one byte per pixel, Base64).
 */
public final class EngineRun {
    private EngineRun() {
    }

    public static void main(String[] args) {
        System.out.println(run(args));
    }

    private static long fnv(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    /** The report of one run, as one JSON line. */
    public static String run(String[] args) {
        if (args.length != 4) {
            throw new IllegalArgumentException("expected: rgb-base64 width height labels-base64, got "
                    + args.length + " arguments");
        }
        int width = Integer.parseInt(args[1]);
        int height = Integer.parseInt(args[2]);
        byte[] rgbBytes = Base64.getDecoder().decode(args[0]);
        byte[] labelBytes = Base64.getDecoder().decode(args[3]);
        if (rgbBytes.length != 3 * width * height || labelBytes.length != width * height) {
            throw new IllegalArgumentException("the pixels do not match " + width + " x " + height);
        }
        int[] packed = new int[width * height];
        for (int i = 0; i < packed.length; i++) {
            packed[i] = ((rgbBytes[3 * i] & 0xff) << 16) | ((rgbBytes[3 * i + 1] & 0xff) << 8) | (rgbBytes[3 * i + 2] & 0xff);
        }
        Raster rgb = Raster.fromPackedRgb(width, height, packed);
        LabelRaster labels = new LabelRaster(width, height, labelBytes);

        long t0 = System.currentTimeMillis();
        FeatureSettings settings = FeatureSettings.defaults();
        Raster features = new FeatureBank(settings).compute(rgb);
        long t1 = System.currentTimeMillis();
        RandomForest forest = RandomForest.train(TrainingSet.fromLabels(features, labels), ForestSettings.defaults());
        long t2 = System.currentTimeMillis();
        LabelRaster classes = LabelRaster.allocate(width, height);
        forest.classify(features, classes);
        long t3 = System.currentTimeMillis();
        SegmentationModel model = SegmentationModel.of("browser model", 0L, settings,
                ClassList.numbered(forest.classCount()), forest, List.of());
        byte[] modelFile = ModelCodec.write(model);

        long hash = 0xcbf29ce484222325L;
        long[] counts = new long[forest.classCount() + 1];
        for (byte b : classes.data()) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
            counts[b & 0xff]++;
        }
        StringBuilder json = new StringBuilder("{\"classMap\":\"").append(Long.toHexString(hash))
                .append("\",\"model\":\"").append(model.id())
                .append("\",\"modelBytes\":").append(modelFile.length)
                .append(",\"forest\":\"").append(Long.toHexString(fnv(org.histodraw.engine.forest.ForestCodec.toBytes(forest))))
                .append("\",\"settings\":\"").append(settings.toText()).append('"')
                .append(",\"pixelsPerClass\":[");
        for (int c = 1; c < counts.length; c++) {
            json.append(c == 1 ? "" : ",").append(counts[c]);
        }
        json.append(']');
        return json.append(",\"features_ms\":").append(t1 - t0)
                .append(",\"training_ms\":").append(t2 - t1)
                .append(",\"prediction_ms\":").append(t3 - t2)
                .append(",\"total_ms\":").append(t3 - t0).append('}').toString();
    }
}

package org.histodraw.engine.pipeline;

import java.util.List;
import java.util.Random;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.ForestSettings;
import org.histodraw.engine.forest.RandomForest;
import org.histodraw.engine.forest.TrainingSet;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;

/** A small H&amp;E-like test image: purple dots (nuclei) on pink stroma with noise, and scribbles on it. */
final class SyntheticSlide {
    final Raster rgb;
    final LabelRaster truth;
    final LabelRaster scribbles;

    SyntheticSlide(int width, int height, long seed) {
        Random random = new Random(seed);
        rgb = Raster.allocate(width, height, 3);
        truth = LabelRaster.allocate(width, height);
        scribbles = LabelRaster.allocate(width, height);
        int nuclei = width * height / 400;
        int[] cx = new int[nuclei], cy = new int[nuclei], r = new int[nuclei];
        for (int i = 0; i < nuclei; i++) {
            cx[i] = random.nextInt(width);
            cy[i] = random.nextInt(height);
            r[i] = 3 + random.nextInt(5);
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                truth.set(x, y, 1);
            }
        }
        for (int i = 0; i < nuclei; i++) {
            for (int y = Math.max(0, cy[i] - r[i]); y < Math.min(height, cy[i] + r[i] + 1); y++) {
                for (int x = Math.max(0, cx[i] - r[i]); x < Math.min(width, cx[i] + r[i] + 1); x++) {
                    if ((x - cx[i]) * (x - cx[i]) + (y - cy[i]) * (y - cy[i]) <= r[i] * r[i]) {
                        truth.set(x, y, 2);
                    }
                }
            }
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean nucleus = truth.get(x, y) == 2;
                float noise = (float) random.nextGaussian() * 0.06f;
                rgb.set(0, x, y, (nucleus ? 0.35f : 0.85f) + noise);
                rgb.set(1, x, y, (nucleus ? 0.25f : 0.55f) + noise);
                rgb.set(2, x, y, (nucleus ? 0.60f : 0.75f) + noise);
            }
        }
        // Scribbles: a few pixels at the centres of some nuclei and in some stroma.
        for (int i = 0; i < nuclei; i += 3) {
            scribbles.set(cx[i], cy[i], 2);
        }
        for (int k = 0; k < nuclei; k++) {
            int x = random.nextInt(width), y = random.nextInt(height);
            if (truth.get(x, y) == 1) {
                scribbles.set(x, y, 1);
            }
        }
    }

    TileSource source() {
        return TileSource.of(rgb);
    }

    SegmentationModel train(FeatureSettings features) {
        TrainingSampler sampler = new TrainingSampler(source(), LabelSource.of(scribbles), 64);
        TrainingSet samples = TrainingSet.concat(sampler.sampleAll(new org.histodraw.engine.features.FeatureBank(features)));
        RandomForest forest = RandomForest.train(samples, ForestSettings.builder().trees(10).build());
        return SegmentationModel.of("synthetic", 0L, features, ClassList.named(List.of("Stroma", "Nucleus")), forest,
                List.of());
    }
}

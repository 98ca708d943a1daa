package org.histodraw.slides.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.DecisionTree;
import org.histodraw.engine.forest.ForestSettings;
import org.histodraw.engine.forest.ForestTrainer;
import org.histodraw.engine.forest.RandomForest;
import org.histodraw.engine.forest.TrainingSet;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.pipeline.TrainingImage;
import org.histodraw.engine.pipeline.TrainingSampler;
import org.histodraw.engine.pipeline.TrainingSnapshot;
import org.histodraw.engine.raster.PixelRegion;

/**
 * Trains a segmentation model from labelled images on several threads: labelled tiles are sampled
 * in parallel, then the trees are grown in parallel. The engine supplies the work items; the result
 * is the same for any number of threads.
 */
public final class ModelTraining {
    private final int threads;
    private final int tileSize;

    public ModelTraining(int threads, int tileSize) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.threads = threads;
        this.tileSize = tileSize;
    }

    /** The labelled pixels of every image as one training set (in a fixed order, whatever the threads). */
    public TrainingSet sample(FeatureSettings features, List<TrainingImage> images) {
        return sample(features, images, image -> null);
    }

    /**
     * As {@link #sample(FeatureSettings, List)}, with the channel statistics of images already
     * measured ({@code known} gives null for an image to measure now).
     */
    public TrainingSet sample(FeatureSettings features, List<TrainingImage> images,
                              Function<TrainingImage, ChannelStatistics> known) {
        // Feature banks hold scratch buffers: one per worker thread.
        ThreadLocal<FeatureBank> banks = ThreadLocal.withInitial(() -> new FeatureBank(features));
        List<Callable<TrainingSet>> work = new ArrayList<>();
        for (TrainingImage image : images) {
            ChannelStatistics given = known.apply(image);
            // Measured here, on all threads, rather than by the first worker while the others wait.
            ChannelStatistics statistics = given != null ? given
                    : SlideStatistics.measure(features, image.pixels(), threads);
            TrainingSampler sampler = new TrainingSampler(image.pixels(), image.labels(), tileSize, statistics);
            for (PixelRegion tile : sampler.tiles()) {
                work.add(() -> sampler.sample(banks.get(), tile));
            }
        }
        List<TrainingSet> sets = new ArrayList<>();
        for (TrainingSet s : runAll(work)) {
            if (s != null) {
                sets.add(s);
            }
        }
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("no labelled pixels: draw at least one region of two classes");
        }
        return TrainingSet.concat(sets);
    }

    public RandomForest grow(TrainingSet samples, ForestSettings settings) {
        ForestTrainer trainer = new ForestTrainer(samples, settings);
        List<Callable<DecisionTree>> work = new ArrayList<>();
        for (int i = 0; i < settings.trees(); i++) {
            int tree = i;
            work.add(() -> trainer.trainTree(tree));
        }
        return trainer.assemble(runAll(work));
    }

    public SegmentationModel train(String name, FeatureSettings features, ClassList classes, ForestSettings forest,
                                   List<TrainingImage> images) {
        TrainingSet samples = sample(features, images);
        if (samples.classCount() > classes.size()) {
            throw new IllegalArgumentException("labels use class " + samples.classCount() + " but only "
                    + classes.size() + " classes are named");
        }
        RandomForest trained = grow(samples, forest);
        List<TrainingSnapshot> snapshots = images.stream().map(TrainingImage::snapshot).toList();
        return SegmentationModel.of(name, System.currentTimeMillis(), features, classes, trained, snapshots);
    }

    private <T> List<T> runAll(List<Callable<T>> work) {
        if (threads == 1) {
            List<T> out = new ArrayList<>();
            for (Callable<T> c : work) {
                out.add(call(c));
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = pool.invokeAll(work);
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("training interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T call(Callable<T> c) {
        try {
            return c.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every class needs labelled pixels, else the forest could never predict it: fails with a
     * message naming the missing classes ({@code where}: "images", "slices"...).
     */
    public static void requireEveryClass(TrainingSet samples, ClassList classes, String where) {
        int[] counts = samples.classCounts();
        List<String> missing = new ArrayList<>();
        for (int c = 1; c <= classes.size(); c++) {
            if (c > counts.length || counts[c - 1] == 0) {
                missing.add(classes.get(c).name());
            }
        }
        if (classes.size() - missing.size() < 2) {
            throw new IllegalArgumentException("labelled pixels of only one class: a classifier needs at least two (no pixels of "
                    + String.join(", ", missing) + ")");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no labelled pixels inside the " + where + " for class " + String.join(", ", missing));
        }
    }
}

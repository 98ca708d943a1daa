package org.histodraw.slides.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.colour.StainEstimator;
import org.histodraw.engine.colour.StainVectors;
import org.histodraw.engine.features.ChannelSet;
import org.histodraw.engine.features.ChannelSums;
import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.features.FeatureKind;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.features.Normalisation;
import org.histodraw.engine.forest.DecisionTree;
import org.histodraw.engine.forest.ForestSettings;
import org.histodraw.engine.forest.ForestTrainer;
import org.histodraw.engine.forest.RandomForest;
import org.histodraw.engine.forest.TrainingSet;
import org.histodraw.engine.labels.LabelledStructures;
import org.histodraw.engine.pipeline.FeatureChoice;
import org.histodraw.engine.pipeline.Overview;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.pipeline.TrainingImage;
import org.histodraw.engine.pipeline.TrainingSampler;
import org.histodraw.engine.pipeline.TrainingSnapshot;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;

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

    /**
     * Samples the labelled pixels of the images with the features given, or (null) with features
     * chosen from the images ({@link FeatureChoice}: stains estimated on the windows the slides'
     * statistics are measured on, the size of the labelled structures from the label tiles), and
     * measures each image's channel statistics (reading those windows once).
     *
     * @param known the statistics of an image for the features finally used, or null to measure them
     */
    public Prepared prepare(FeatureSettings given, List<TrainingImage> images,
                            BiFunction<TrainingImage, FeatureSettings, ChannelStatistics> known) {
        return prepare(given, null, images, known);
    }

    /**
     * As {@link #prepare(FeatureSettings, List, BiFunction)}; when the features are chosen,
     * {@code channels} (a project's stain), if not null, are their channels instead of those the
     * stains estimated on the images suggest.
     */
    public Prepared prepare(FeatureSettings given, ChannelSet channels, List<TrainingImage> images,
                            BiFunction<TrainingImage, FeatureSettings, ChannelStatistics> known) {
        return prepare(given, channels, null, images, known);
    }

    /**
     * As {@link #prepare(FeatureSettings, ChannelSet, List, BiFunction)}; {@code stainVectors}, if
     * not null, unmix the stain of {@code channels} (a project's own vectors, estimated from its
     * slides) in place of the preset ones. The scales are chosen all the same.
     */
    public Prepared prepare(FeatureSettings given, ChannelSet channels, StainVectors stainVectors,
                            List<TrainingImage> images, BiFunction<TrainingImage, FeatureSettings, ChannelStatistics> known) {
        if (stainVectors != null && (channels == null || channels.presetStains() == null)) {
            throw new IllegalArgumentException("stain vectors need the channels of a stain of two (he or hdab)");
        }
        if (given != null) {
            List<ChannelStatistics> statistics = new ArrayList<>();
            for (TrainingImage image : images) {
                ChannelStatistics s = known.apply(image, given);
                statistics.add(s != null ? s : SlideStatistics.measure(given, image.pixels(), threads));
            }
            return new Prepared(FeatureChoice.Result.given(given), sample(given, images, statistics), statistics);
        }
        // Every window of every image once: its stained colours and the sums of all channels the
        // choice may take (RGB and H&E), so the statistics of the chosen channels need no second read.
        FeatureSettings both = new FeatureSettings(List.of(FeatureKind.GAUSSIAN), List.of(1.0),
                ChannelSet.RGB_HEMATOXYLIN_EOSIN, Normalisation.SLIDE);
        ThreadLocal<FeatureBank> banks = ThreadLocal.withInitial(() -> new FeatureBank(both));
        StainEstimator stains = new StainEstimator(StainVectors.HEMATOXYLIN_EOSIN);
        List<List<ChannelSums>> sums = new ArrayList<>();
        LabelledStructures structures = new LabelledStructures();
        int smallestSide = Integer.MAX_VALUE;
        for (TrainingImage image : images) {
            // Read and summed on the workers; the stain estimate takes the windows in order.
            List<Callable<Measured>> reads = new ArrayList<>();
            for (PixelRegion window : FeatureBank.measuringWindows(image.pixels().bounds())) {
                reads.add(() -> {
                    Raster pixels = image.pixels().read(window);
                    return new Measured(pixels, banks.get().sums(pixels));
                });
            }
            List<ChannelSums> parts = new ArrayList<>();
            for (Measured window : runAll(reads)) {
                stains.add(window.pixels());
                parts.add(window.sums());
            }
            sums.add(parts);
            List<Callable<LabelledStructures>> tiles = new ArrayList<>();
            TrainingSampler sampler = new TrainingSampler(image.pixels(), image.labels(), tileSize);
            for (PixelRegion tile : sampler.tiles()) {
                tiles.add(() -> {
                    PixelRegion read = tile.expand(LabelledStructures.MAX_DISTANCE, image.pixels().bounds());
                    LabelledStructures part = new LabelledStructures();
                    part.add(image.labels().read(read), new PixelRegion(tile.x() - read.x(), tile.y() - read.y(),
                            tile.width(), tile.height()));
                    return part;
                });
            }
            runAll(tiles).forEach(structures::add);
            smallestSide = Math.min(smallestSide, Math.min(image.pixels().width(), image.pixels().height()));
        }
        StainVectors estimated = stains.pixels() >= StainEstimator.MIN_PIXELS ? stains.estimate() : null;
        FeatureChoice.Result choice = channels != null
                ? FeatureChoice.onChannels(channels, structures.smallestRadius(), smallestSide)
                : FeatureChoice.automatic(estimated, structures.smallestRadius(), smallestSide);
        if (stainVectors != null) {
            choice = choice.withStains(stainVectors);
        }
        FeatureSettings chosen = choice.chosen();
        // The sums read cover RGB and H&E with the preset vectors; other channels (H-DAB, own
        // vectors) are measured anew.
        int[] measured = stainVectors != null ? null : chosen.channels() == ChannelSet.RGB ? new int[] {0, 1, 2}
                : chosen.channels() == ChannelSet.HEMATOXYLIN_EOSIN ? new int[] {3, 4} : null;
        List<ChannelStatistics> statistics = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            ChannelStatistics s = known.apply(images.get(i), chosen);
            if (s == null && measured == null) {
                s = SlideStatistics.measure(chosen, images.get(i).pixels(), threads);
            } else if (s == null) {
                List<ChannelSums> own = new ArrayList<>();
                for (ChannelSums part : sums.get(i)) {
                    own.add(part.channels(measured));
                }
                s = ChannelSums.combine(own);
            }
            statistics.add(s);
        }
        return new Prepared(choice, sample(chosen, images, statistics), statistics);
    }

    /** A measuring window's pixels and their channel sums. */
    private record Measured(Raster pixels, ChannelSums sums) {
    }

    /** The labelled pixels in the features used, how those were chosen, and each image's statistics. */
    public record Prepared(FeatureChoice.Result choice, TrainingSet samples, List<ChannelStatistics> statistics) {
        public Prepared {
            statistics = List.copyOf(statistics);
        }
    }

    private TrainingSet sample(FeatureSettings features, List<TrainingImage> images, List<ChannelStatistics> statistics) {
        return sample(features, images, image -> statistics.get(images.indexOf(image)));
    }

    /**
     * The model with an overview at 1/{@code resolution}: a forest of the same settings grown on the
     * same labelled pixels, with the features of the levels {@code resolution} and twice that.
     *
     * @param statistics each image's channel statistics, as in training
     */
    public SegmentationModel withOverview(SegmentationModel model, int resolution, ForestSettings forest,
                                          List<TrainingImage> images, List<ChannelStatistics> statistics) {
        FeatureSettings coarse = Overview.featuresFor(model.features());
        TrainingSet samples = sample(Overview.atFullResolution(coarse, resolution), images, statistics);
        return model.withOverview(new Overview(resolution, coarse, grow(samples, forest)));
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

    /**
     * Trains a model on the labelled images.
     *
     * @param features the features to use, or null to choose them from the images ({@link FeatureChoice})
     */
    public SegmentationModel train(String name, FeatureSettings features, ClassList classes, ForestSettings forest,
                                   List<TrainingImage> images) {
        Prepared prepared = prepare(features, images, (image, settings) -> null);
        TrainingSet samples = prepared.samples();
        if (samples.classCount() > classes.size()) {
            throw new IllegalArgumentException("labels use class " + samples.classCount() + " but only "
                    + classes.size() + " classes are named");
        }
        RandomForest trained = grow(samples, forest);
        List<TrainingSnapshot> snapshots = images.stream().map(TrainingImage::snapshot).toList();
        return SegmentationModel.of(name, System.currentTimeMillis(), prepared.choice().chosen(), classes, trained,
                snapshots);
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

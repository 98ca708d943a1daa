package org.histodraw.app.segment;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.histodraw.app.console.ProgressBar;
import org.histodraw.app.console.Terminal;
import org.histodraw.app.console.UserError;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.ForestSettings;
import org.histodraw.engine.forest.RandomForest;
import org.histodraw.engine.forest.TrainingSet;
import org.histodraw.engine.pipeline.ModelCodec;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.pipeline.TrainingImage;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideImages;
import org.histodraw.slides.io.SlideResults;
import org.histodraw.slides.pipeline.Cancellation;
import org.histodraw.slides.pipeline.ClassAreas;
import org.histodraw.slides.pipeline.ModelTraining;
import org.histodraw.slides.pipeline.SlideSegmentation;
import org.histodraw.slides.pipeline.SlideStatistics;

/**
 * Does the work of {@code histodraw segment}: train (or load) a model, predict every image tile by
 * tile, write class maps, polygons and probabilities. The command has validated the request
 * (files exist, options in range, labels pair with images); what only reading the files can tell
 * (an unreadable image, labels of another size than their image) is reported by throwing
 * {@link org.histodraw.app.UserError} or {@link org.histodraw.slides.io.SlideException}, whose
 * message the user sees as one line.
 */
public class SegmentationRunner {
    /** Channel statistics of the slides trained on, kept for their prediction (read once, not twice). */
    private final Map<Path, ChannelStatistics> measured = new HashMap<>();

    public void run(SegmentRequest request, Terminal terminal) {
        SegmentationModel model = request.model().isPresent()
                ? loadModel(request.model().get())
                : train(request, terminal);
        if (request.saveModel().isPresent()) {
            saveModel(model, request.saveModel().get());
            terminal.out().println("model " + model.id() + " saved to " + request.saveModel().get());
        }
        if (request.predicts()) {
            predictAll(request, model, terminal);
        }
        terminal.out().flush();
    }

    /** A saved model, or a {@link UserError} saying why the file is not one. */
    public static SegmentationModel loadModel(Path file) {
        try {
            return ModelCodec.read(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UserError("cannot read model " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UserError(file.getFileName() + ": " + e.getMessage());
        }
    }

    static void saveModel(SegmentationModel model, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path part = parent.resolve(file.getFileName() + ".part");
            Files.write(part, ModelCodec.write(model));
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserError("cannot save the model to " + file + ": " + e.getMessage());
        }
    }

    private SegmentationModel train(SegmentRequest request, Terminal terminal) {
        FeatureSettings features;
        try {
            features = request.features().map(FeatureSettings::parse).orElse(FeatureSettings.defaults());
        } catch (IllegalArgumentException e) {
            throw new UserError("--features: " + e.getMessage());
        }
        ForestSettings forest = ForestSettings.defaults().withTrees(request.trees()).withMaxDepth(request.depth())
                .withSeed(request.seed());
        List<SlideImage> opened = new ArrayList<>();
        try {
            TrainingInputs inputs = new TrainingInputs(request.classNames());
            for (int i = 0; i < request.labels().size(); i++) {
                SlideImage image = SlideImages.open(request.images().get(i));
                opened.add(image);
                inputs.add(baseName(request.images().get(i)), image, request.labels().get(i));
            }
            for (String warning : inputs.warnings()) {
                terminal.err().println("histodraw: warning: " + warning);
            }
            ClassList classes = inputs.classList();
            List<TrainingImage> images = inputs.images(classes);
            ModelTraining training = new ModelTraining(request.threads(), request.tile());
            long t0 = System.nanoTime();
            Map<TrainingImage, ChannelStatistics> statistics = new HashMap<>();
            for (int i = 0; i < images.size(); i++) {
                ChannelStatistics s = SlideStatistics.measure(features, images.get(i).pixels(), request.threads());
                statistics.put(images.get(i), s);
                measured.put(request.images().get(i), s);
            }
            TrainingSet samples = training.sample(features, images, statistics::get);
            try {
                ModelTraining.requireEveryClass(samples, classes, "images");
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            long t1 = System.nanoTime();
            RandomForest trained = training.grow(samples, forest);
            long t2 = System.nanoTime();
            SegmentationModel model = SegmentationModel.of(request.saveModel().map(SegmentationRunner::baseName)
                    .orElse("model"), System.currentTimeMillis(), features, classes, trained,
                    images.stream().map(TrainingImage::snapshot).toList());
            report(terminal.out(), model, samples, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
            return model;
        } finally {
            opened.forEach(SlideImage::close);
        }
    }


    private static void report(PrintWriter out, SegmentationModel model, TrainingSet samples, double sampleSeconds,
                               double growSeconds) {
        RandomForest forest = model.forest();
        out.printf(Locale.ROOT, "trained %d trees on %,d labelled pixels x %d features (features %.2f s, forest %.2f s)%n",
                forest.treeCount(), samples.sampleCount(), samples.featureCount(), sampleSeconds, growSeconds);
        double[] perClass = forest.outOfBagAccuracyPerClass();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "out-of-bag accuracy %.3f", forest.outOfBagAccuracy()));
        for (int c = 1; c <= model.classes().size(); c++) {
            line.append(String.format(Locale.ROOT, "; %s %.3f", model.classes().get(c).name(), perClass[c - 1]));
        }
        out.println(line);
        out.println("most useful features: " + topFeatures(model, 5));
    }

    /** The features the forest leaned on most (mean decrease in impurity), as "name (share%)". */
    static String topFeatures(SegmentationModel model, int count) {
        double[] importance = model.forest().featureImportances();
        List<String> names = new FeatureBank(model.features()).featureNames();
        Integer[] order = new Integer[importance.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(importance[b], importance[a]));
        List<String> top = new ArrayList<>();
        for (int i = 0; i < Math.min(count, order.length); i++) {
            top.add(String.format(Locale.ROOT, "%s (%.0f%%)", names.get(order[i]), 100 * importance[order[i]]));
        }
        return String.join(", ", top);
    }

    private void predictAll(SegmentRequest request, SegmentationModel model, Terminal terminal) {
        Path outDir = request.out().orElseThrow();
        ClassAreas areas = new ClassAreas(model.classes());
        try (SlideSegmentation segmentation = new SlideSegmentation(model, request.tile(), request.threads())) {
            for (Path file : request.images()) {
                try (SlideImage image = SlideImages.open(file)) {
                    long[] pixels = predictOne(request, model, terminal, outDir, segmentation, file, image,
                            measured.get(file));
                    areas.add(file.getFileName().toString(), image.width(), image.height(), image.micronsPerPixel(), pixels);
                }
            }
        }
        try {
            areas.write(outDir.resolve("class-areas.csv"));
        } catch (UncheckedIOException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** Segments one image into its result files; returns the pixels of each class. */
    private static long[] predictOne(SegmentRequest request, SegmentationModel model, Terminal terminal, Path outDir,
                                   SlideSegmentation segmentation, Path file, SlideImage image,
                                   ChannelStatistics statistics) {
        String name = baseName(file);
        Optional<Double> mpp = image.micronsPerPixel();
        long tiles = (long) ceilDiv(image.width(), request.tile()) * ceilDiv(image.height(), request.tile());
        ProgressBar bar = terminal.progress(name, tiles, "tiles");
        long t0 = System.nanoTime();
        try (SlideResults outputs = new SlideResults(outDir, name, image.width(), image.height(), model,
                file.getFileName().toString(), mpp, request.probabilities(), request.cleaning())) {
            segmentation.predict(image, statistics, request.probabilities(), outputs, (done, total) -> bar.advance(1),
                    new Cancellation());
            bar.finish();
            double seconds = (System.nanoTime() - t0) / 1e9;
            terminal.out().println(summary(name, image, model, outputs, seconds, mpp));
            return outputs.pixelsPerClass();
        }
    }

    private static String summary(String name, SlideImage image, SegmentationModel model, SlideResults outputs,
                                  double seconds, Optional<Double> mpp) {
        long[] pixels = outputs.pixelsPerClass();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s: %d x %d px in %.2f s (%.1f Mpx/s), %d polygons",
                name, image.width(), image.height(), seconds, (double) image.width() * image.height() / 1e6 / seconds,
                outputs.polygons()));
        for (int c = 1; c < pixels.length; c++) {
            String area = mpp.isPresent()
                    ? String.format(Locale.ROOT, "%.0f µm²", pixels[c] * mpp.get() * mpp.get())
                    : String.format(Locale.ROOT, "%d px²", pixels[c]);
            s.append("; ").append(model.classes().get(c).name()).append(' ').append(area);
        }
        return s.toString();
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    static String baseName(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}

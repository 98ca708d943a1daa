package org.histodraw.app.bench;

import com.sun.management.OperatingSystemMXBean;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.histodraw.app.console.Terminal;
import org.histodraw.app.console.UserError;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.ForestSettings;
import org.histodraw.engine.forest.RandomForest;
import org.histodraw.engine.forest.TrainingSet;
import org.histodraw.engine.geojson.GeoJson;
import org.histodraw.engine.geojson.LabelledRegions;
import org.histodraw.engine.labels.PolygonRasteriser;
import org.histodraw.engine.pipeline.LabelSource;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.pipeline.StripSink;
import org.histodraw.engine.pipeline.TileGrid;
import org.histodraw.engine.pipeline.TrainingImage;
import org.histodraw.engine.pipeline.TrainingSnapshot;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.slides.io.LabelImages;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideImages;
import org.histodraw.slides.pipeline.Cancellation;
import org.histodraw.slides.pipeline.ModelTraining;
import org.histodraw.slides.pyramid.ProgressListener;
import org.histodraw.slides.pipeline.SlideSegmentation;
import org.histodraw.slides.pipeline.SlideStatistics;

/**
 * Does the work of {@code histodraw bench}: times each stage of the segmentation of one test slide
 * (a mosaic of real images with their scribbles) and prints seconds, Mpx/s and peak heap.
 *
 * <p>Stages: features alone over the whole slide; training (features of the labelled tiles, then the
 * forest); training a forest on about 200,000 labelled pixels (from the ground truth, when the
 * images have it); prediction of the whole slide (features + forest, tiled, in parallel). End to end
 * is training plus prediction (the slide's channel statistics are measured once, at the start of
 * training, as {@code histodraw segment} does for a slide it trains on). Training labels are taken
 * from the top-left 4096 x 4096 pixels at most, so that larger slides time prediction at scale with
 * the same model.
 */
public class BenchRunner {
    static final int TILE = 512;
    static final int TRAINING_AREA = 4096;
    /** 448 x 448 = 200,704 labelled pixels of ground truth. */
    static final int TRUTH_SIDE = 448;

    public void run(BenchRequest request, Terminal terminal) {
        PrintWriter out = terminal.out();
        Mosaic mosaic = loadMosaic(request);
        FeatureSettings given = parseFeatures(request.features());
        ForestSettings forest = ForestSettings.builder().trees(request.trees()).maxDepth(request.depth()).build();
        double mpx = (double) mosaic.width() * mosaic.height() / 1e6;
        PixelRegion trainingArea = new PixelRegion(0, 0, Math.min(TRAINING_AREA, mosaic.width()),
                Math.min(TRAINING_AREA, mosaic.height()));
        out.printf(Locale.ROOT, "test slide: %d x %d px (%.1f Mpx), a mosaic of %d images; %d threads; max heap %d MiB%n",
                mosaic.width(), mosaic.height(), mpx, mosaic.pieces().size(), request.threads(),
                Runtime.getRuntime().maxMemory() >> 20);
        out.printf(Locale.ROOT, "features: %s; forest: %d trees, depth %d%n",
                given == null ? "chosen from the slide and its labels (the default)" : given.toText(),
                forest.trees(), forest.maxDepth());
        request.writeInputs().ifPresent(dir -> writeInputs(mosaic, trainingArea, dir, out));
        out.flush();
        if (request.warmUp()) {
            warmUp(mosaic, given, forest, request.threads(), out);
        }
        resetPeakHeap();

        ModelTraining training = new ModelTraining(request.threads(), TILE);
        LabelSource scribbles = mosaic.labels(trainingArea, false);
        TrainingImage image = new TrainingImage("mosaic", mosaic, scribbles,
                new TrainingSnapshot("mosaic", mosaic.width(), mosaic.height(), List.of()));
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        // The features (chosen unless given), the slide's channel statistics (measured once for
        // training and prediction alike) and the labelled pixels' features.
        ModelTraining.Prepared prepared = training.prepare(given, List.of(image), (img, chosen) -> null);
        FeatureSettings features = prepared.choice().chosen();
        ChannelStatistics statistics = prepared.statistics().get(0);
        TrainingSet samples = prepared.samples();
        long t1 = System.nanoTime();
        RandomForest trained = training.grow(samples, forest);
        long t2 = System.nanoTime();
        double trainingSeconds = (t2 - t0) / 1e9;
        double trainingCpu = (processCpuNanos() - cpu0) / 1e9;
        out.println(prepared.choice().describe());
        out.printf(Locale.ROOT, "%-22s %8.2f s   %,d labelled pixels x %d features (features %.2f s, forest %.2f s), "
                        + "OOB accuracy %.3f%n", "training", trainingSeconds, samples.sampleCount(), features.featureCount(),
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, trained.outOfBagAccuracy());

        double featureSeconds = time(() -> featuresOnly(mosaic, features, request.threads()));
        row(out, "features alone", featureSeconds, mpx);

        double forest200k = Double.NaN;
        int samples200k = 0;
        if (mosaic.hasTruth()) {
            LabelSource truth = mosaic.labels(new PixelRegion(0, 0, Math.min(TRUTH_SIDE, mosaic.width()),
                    Math.min(TRUTH_SIDE, mosaic.height())), true);
            TrainingSet dense = training.sample(features, List.of(new TrainingImage("truth", mosaic, truth,
                    new TrainingSnapshot("truth", mosaic.width(), mosaic.height(), List.of()))));
            samples200k = dense.sampleCount();
            forest200k = time(() -> training.grow(dense, forest));
            out.printf(Locale.ROOT, "%-22s %8.2f s   %,d labelled pixels x %d features%n", "training on 200k px",
                    forest200k, samples200k, dense.featureCount());
        } else {
            out.println("training on 200k px: skipped (the images have no NN_truth.png)");
        }

        SegmentationModel model = SegmentationModel.of("bench", System.currentTimeMillis(), features,
                ClassList.numbered(Math.max(2, samples.classCount())), trained, List.of());
        long[] classPixels = new long[model.classes().size() + 1];
        double predictSeconds;
        long cpu1 = processCpuNanos();
        try (SlideSegmentation segmentation = new SlideSegmentation(model, TILE, request.threads())) {
            predictSeconds = time(() -> segmentation.predict(mosaic, statistics, false, countingSink(classPixels),
                    ProgressListener.NONE, new Cancellation()));
        }
        double predictCpu = (processCpuNanos() - cpu1) / 1e9;
        row(out, "prediction (tiled)", predictSeconds, mpx);
        double forestOnly = Math.max(0, predictSeconds - featureSeconds);
        row(out, "  of which forest", forestOnly, mpx);
        double endToEnd = trainingSeconds + predictSeconds;
        row(out, "end to end", endToEnd, mpx);
        // Processor time of all threads: on a machine shared with other work, the wall times above
        // stretch with the load while this stays close to the work done.
        double endToEndCpu = trainingCpu + predictCpu;
        out.printf(Locale.ROOT, "%-22s %8.2f s   (training %.2f s, prediction %.2f s; all threads)%n",
                "end to end, CPU time", endToEndCpu, trainingCpu, predictCpu);
        long peak = peakHeapBytes();
        out.printf(Locale.ROOT, "%-22s %8d MiB%n", "peak heap", peak >> 20);
        out.printf(Locale.ROOT, "{\"stack\":\"histodraw\",\"feature_settings\":\"%s\",\"megapixels\":%.3f,\"features\":%d,\"trees\":%d,"
                        + "\"labelled_pixels\":%d,\"features_s\":%.3f,\"training_s\":%.3f,\"prediction_s\":%.3f,"
                        + "\"end_to_end_s\":%.3f,\"end_to_end_cpu_s\":%.3f,\"training_200k_s\":%s,\"training_200k_pixels\":%d,"
                        + "\"peak_heap_mb\":%d,\"threads\":%d}%n",
                features.toText(), mpx, features.featureCount(), forest.trees(), samples.sampleCount(), featureSeconds, trainingSeconds,
                predictSeconds, endToEnd, endToEndCpu,
                // JSON has no NaN: images without truth have no 200k-pixel run.
                Double.isNaN(forest200k) ? "null" : String.format(Locale.ROOT, "%.3f", forest200k), samples200k,
                peak >> 20, request.threads());
        out.flush();
    }

    /**
     * Runs the whole job twice on a 2048 x 2048 corner so that the JIT has compiled the hot loops:
     * the timings then show the steady state that a series of slides sees after its first slide (or
     * the service after its first training). A 1024 x 1024 corner was not enough: the sampling of
     * the training patches was still partly interpreted at the timed run, and took 3-4x its hot time.
     */
    private static void warmUp(Mosaic mosaic, FeatureSettings given, ForestSettings forest, int threads,
                               PrintWriter out) {
        int side = Math.min(2048, mosaic.width());
        Mosaic corner = new Mosaic(side, mosaic.pieces());
        long t0 = System.nanoTime();
        for (int round = 0; round < 2; round++) {
            ModelTraining training = new ModelTraining(threads, TILE);
            TrainingImage image = new TrainingImage("warm-up", corner, corner.labels(corner.bounds(), false),
                    new TrainingSnapshot("warm-up", side, side, List.of()));
            ModelTraining.Prepared prepared = training.prepare(given, List.of(image), (img, chosen) -> null);
            FeatureSettings features = prepared.choice().chosen();
            featuresOnly(corner, features, threads);
            TrainingSet samples = prepared.samples();
            RandomForest trained = training.grow(samples, forest);
            SegmentationModel model = SegmentationModel.of("warm-up", 0L, features,
                    ClassList.numbered(Math.max(2, samples.classCount())), trained, List.of());
            try (SlideSegmentation segmentation = new SlideSegmentation(model, TILE, threads)) {
                segmentation.predict(corner, false, countingSink(new long[model.classes().size() + 1]),
                        ProgressListener.NONE, new Cancellation());
            }
        }
        out.printf(Locale.ROOT, "warm-up: the whole job twice on a %d x %d corner (%.1f s; --no-warm-up to skip)%n",
                side, side, (System.nanoTime() - t0) / 1e9);
        out.flush();
    }

    private static void row(PrintWriter out, String stage, double seconds, double mpx) {
        out.printf(Locale.ROOT, "%-22s %8.2f s   %7.2f Mpx/s%n", stage, seconds, mpx / seconds);
        out.flush();
    }

    private static FeatureSettings parseFeatures(Optional<String> text) {
        try {
            return text.map(FeatureSettings::parse).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new UserError("--features: " + e.getMessage());
        }
    }

    /** Features of every tile, in parallel, results thrown away: the cost of the feature bank alone. */
    private static void featuresOnly(Mosaic mosaic, FeatureSettings settings, int threads) {
        ChannelStatistics slide = SlideStatistics.measure(settings, mosaic, threads);
        ThreadLocal<FeatureBank> banks = ThreadLocal.withInitial(() -> new FeatureBank(settings));
        ThreadLocal<Raster> outputs = ThreadLocal.withInitial(() -> Raster.allocate(TILE, TILE, settings.featureCount()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (PixelRegion tile : TileGrid.of(mosaic.width(), mosaic.height(), TILE).tiles()) {
                futures.add(pool.submit(() -> {
                    Raster out = tile.width() == TILE && tile.height() == TILE ? outputs.get()
                            : Raster.allocate(tile.width(), tile.height(), settings.featureCount());
                    banks.get().compute(mosaic, tile, out, slide);
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("feature pass failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static StripSink countingSink(long[] classPixels) {
        return (y, classes, probabilities) -> {
            for (byte b : classes.data()) {
                classPixels[b & 0xff]++;
            }
        };
    }

    /** CPU time of the whole process (all threads, JIT and collector included). */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static double time(Runnable work) {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static final AtomicLong PEAK_HEAP = new AtomicLong();

    /**
     * Starts watching the heap: a daemon thread samples the heap in use (live data and garbage not
     * yet collected) every 5 ms and keeps the largest value seen.
     */
    private static void resetPeakHeap() {
        System.gc();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        PEAK_HEAP.set(memory.getHeapMemoryUsage().getUsed());
        Thread watcher = new Thread(() -> {
            while (true) {
                PEAK_HEAP.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** The largest heap in use seen since {@link #resetPeakHeap()}. */
    private static long peakHeapBytes() {
        return PEAK_HEAP.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
    }

    // ---- the test slide ----

    static Mosaic loadMosaic(BenchRequest request) {
        Optional<Path> folder = request.images().or(BenchRunner::sharedGbmNuclei);
        List<Mosaic.Piece> pieces = folder.isPresent() ? readFolder(folder.get()) : demoPieces();
        return new Mosaic(request.size(), pieces);
    }

    /** The project's shared test data, when the project sits beside it (as in development and CI). */
    private static Optional<Path> sharedGbmNuclei() {
        Path p = Path.of("..", "shared", "data", "gbm-nuclei");
        return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }

    private static List<Mosaic.Piece> readFolder(Path folder) {
        List<Path> images;
        try (Stream<Path> files = Files.list(folder)) {
            images = files.filter(p -> p.getFileName().toString().matches("\\d+\\.png")).sorted().toList();
        } catch (IOException e) {
            throw new UserError("cannot list " + folder + ": " + e.getMessage());
        }
        List<Mosaic.Piece> pieces = new ArrayList<>();
        for (Path image : images) {
            String stem = image.getFileName().toString().replace(".png", "");
            Path scribbles = folder.resolve(stem + "_scribbles.png");
            if (!Files.exists(scribbles)) {
                continue;
            }
            Path truth = folder.resolve(stem + "_truth.png");
            try (SlideImage slide = SlideImages.open(image)) {
                pieces.add(new Mosaic.Piece(stem, slide.read(slide.bounds()), LabelImages.read(scribbles).labels(),
                        Files.exists(truth) ? LabelImages.read(truth).labels() : null));
            }
        }
        if (pieces.isEmpty()) {
            throw new UserError("no NN.png images with NN_scribbles.png labels in " + folder);
        }
        return pieces;
    }

    /** The demo image with its demo regions rasterised: used when no image folder is at hand. */
    private static List<Mosaic.Piece> demoPieces() {
        try (InputStream png = BenchRunner.class.getResourceAsStream("/org/histodraw/app/demo/ihc.png");
             InputStream geo = BenchRunner.class.getResourceAsStream("/org/histodraw/app/demo/ihc-regions.geojson")) {
            if (png == null || geo == null) {
                throw new IllegalStateException("demo data missing from the build");
            }
            BufferedImage img = ImageIO.read(png);
            int w = img.getWidth(), h = img.getHeight();
            Raster rgb = Raster.fromPackedRgb(w, h, img.getRGB(0, 0, w, h, null, 0, w));
            LabelledRegions regions = GeoJson.readRegions(new String(geo.readAllBytes(), StandardCharsets.UTF_8));
            LabelRaster labels = PolygonRasteriser.rasterise(regions.regions(), w, h);
            return List.of(new Mosaic.Piece("ihc", rgb, labels, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The mosaic and its training labels as PNG files, for the reference stack to read. */
    private static void writeInputs(Mosaic mosaic, PixelRegion trainingArea, Path dir, PrintWriter out) {
        int w = mosaic.width(), h = mosaic.height();
        if ((long) w * h > 1L << 28) {
            throw new UserError("--write-inputs: the slide is too large to write as one PNG (" + w + " x " + h + ")");
        }
        try {
            Files.createDirectories(dir);
            BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            BufferedImage labels = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            LabelSource scribbles = mosaic.labels(trainingArea, false);
            int[] row = new int[w];
            for (int y = 0; y < h; y += TILE) {
                PixelRegion strip = new PixelRegion(0, y, w, Math.min(TILE, h - y));
                Raster pixels = mosaic.read(strip);
                LabelRaster stripLabels = scribbles.read(strip);
                for (int r = 0; r < strip.height(); r++) {
                    for (int x = 0; x < w; x++) {
                        int i = r * w + x;
                        row[x] = (byte8(pixels.plane(0)[i]) << 16) | (byte8(pixels.plane(1)[i]) << 8) | byte8(pixels.plane(2)[i]);
                    }
                    rgb.setRGB(0, y + r, w, 1, row, 0, w);
                    labels.getRaster().setDataElements(0, y + r, w, 1,
                            Arrays.copyOfRange(stripLabels.data(), r * w, (r + 1) * w));
                }
            }
            ImageIO.write(rgb, "png", dir.resolve("image.png").toFile());
            ImageIO.write(labels, "png", dir.resolve("labels.png").toFile());
            out.println("wrote " + dir.resolve("image.png") + " and " + dir.resolve("labels.png"));
        } catch (IOException e) {
            throw new UserError("cannot write the bench inputs to " + dir + ": " + e.getMessage());
        }
    }

    private static int byte8(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255f)));
    }
}

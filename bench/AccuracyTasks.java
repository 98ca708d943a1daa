import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.ForestSettings;
import org.histodraw.engine.geojson.GeoJson;
import org.histodraw.engine.geojson.LabelledRegions;
import org.histodraw.engine.labels.PolygonRasteriser;
import org.histodraw.engine.pipeline.ClassMapCollector;
import org.histodraw.engine.pipeline.LabelSource;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.pipeline.SegmentationScore;
import org.histodraw.engine.pipeline.TrainingImage;
import org.histodraw.engine.pipeline.TrainingSnapshot;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.slides.io.LabelImages;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideImages;
import org.histodraw.slides.pipeline.Cancellation;
import org.histodraw.slides.pipeline.ModelTraining;
import org.histodraw.slides.pyramid.ProgressListener;
import org.histodraw.slides.pipeline.SlideSegmentation;

/**
 * Accuracy of feature settings on the benchmark tasks, with the engine's own training and tiled
 * prediction (what `histodraw segment` does). Prints one line per task and settings:
 *
 *   TASK<TAB>SETTINGS<TAB>mean IoU<TAB>pixel accuracy<TAB>chosen features
 *
 * Tasks (folders prepared by bench/accuracy.sh):
 *   gbm DIR        train on the scribbles of 01-03, apply to 01-20, score against NN_truth.png
 *   tile IMG MASK  one image with a dense truth (1 and 2): train on discs drawn from the truth
 *                  inside its left half, score the right half (never seen)
 *   regions IMG GEOJSON  one image with drawn regions: train on every other region of each class,
 *                  score the pixels of the others
 *
 *   java -cp "app/target/histodraw-app-*.jar:app/target/lib/*" bench/AccuracyTasks.java TASK ARGS... \
 *        --features auto --features 'kinds=...' [--seeds 1,2,3] [--write-scribbles tile_scribbles.png]
 *
 * "auto" is the default of `histodraw segment` (scales chosen from the labels), "old" the default
 * before issue 17 (kinds=gaussian,gradient,hessian;sigmas=1,2.5;channels=he;normalise=slide).
 */
public class AccuracyTasks {
    static final String OLD_DEFAULT = "kinds=gaussian,gradient,hessian;sigmas=1,2.5;channels=he;normalise=slide";

    public static void main(String[] args) throws Exception {
        List<String> features = new ArrayList<>();
        List<Long> seeds = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--features")) {
                features.add(args[++i]);
            } else if (args[i].equals("--write-scribbles")) {
                scribblesOut = Path.of(args[++i]);
            } else if (args[i].equals("--seeds")) {
                for (String s : args[++i].split(",")) {
                    seeds.add(Long.parseLong(s));
                }
            } else {
                rest.add(args[i]);
            }
        }
        if (features.isEmpty()) {
            features.add("auto");
        }
        if (seeds.isEmpty()) {
            seeds.add(42L);
        }
        String task = rest.get(0);
        for (String f : features) {
            double iou = 0, acc = 0;
            String chosen = "";
            for (long seed : seeds) {
                Result r = switch (task) {
                    case "gbm" -> gbm(Path.of(rest.get(1)), f, seed);
                    case "tile" -> tile(Path.of(rest.get(1)), Path.of(rest.get(2)), f, seed);
                    case "regions" -> regions(Path.of(rest.get(1)), Path.of(rest.get(2)), f, seed);
                    default -> throw new IllegalArgumentException("unknown task " + task);
                };
                iou += r.meanIou / seeds.size();
                acc += r.accuracy / seeds.size();
                chosen = r.chosen;
                if (f.equals("auto")) {
                    System.err.printf(Locale.ROOT, "seed %d: %.4f %s%n", seed, r.meanIou, lastChoice);
                }
            }
            System.out.printf(Locale.ROOT, "%s\t%s\t%.4f\t%.4f\t%s%n", task + " " + String.join(" ", rest.subList(1, rest.size())),
                    f, iou, acc, chosen);
            System.out.flush();
        }
    }

    record Result(double meanIou, double accuracy, String chosen) {
    }

    /** Where the tile task writes the scribbles it draws (for the reference stack), or null. */
    static Path scribblesOut;

    /** The last automatic choice, as a line for people. */
    static String lastChoice = "";

    static SegmentationModel train(List<TrainingImage> images, ClassList classes, String features, long seed) {
        ForestSettings forest = ForestSettings.builder().seed(seed).build();
        ModelTraining training = new ModelTraining(Runtime.getRuntime().availableProcessors(), 512);
        FeatureSettings settings = features.equals("auto") ? null
                : FeatureSettings.parse(features.equals("old") ? OLD_DEFAULT : features);
        ModelTraining.Prepared prepared = training.prepare(settings, images, (image, chosen) -> null);
        lastChoice = prepared.choice().describe();
        return SegmentationModel.of("bench", 0L, prepared.choice().chosen(), classes,
                training.grow(prepared.samples(), forest), List.of());
    }

    static LabelRaster predict(SegmentationModel model, TileSource slide) {
        try (SlideSegmentation segmentation = new SlideSegmentation(model, 256, Runtime.getRuntime().availableProcessors())) {
            ClassMapCollector classes = new ClassMapCollector(slide.width(), slide.height());
            segmentation.predict(slide, false, classes, ProgressListener.NONE, new Cancellation());
            return classes.classes();
        }
    }

    static Result gbm(Path folder, String features, long seed) {
        List<TrainingImage> training = new ArrayList<>();
        List<SlideImage> open = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            SlideImage slide = SlideImages.open(folder.resolve(String.format(Locale.ROOT, "%02d.png", i)));
            open.add(slide);
            LabelRaster scribbles = LabelImages.read(folder.resolve(String.format(Locale.ROOT, "%02d_scribbles.png", i))).labels();
            training.add(new TrainingImage("slide " + i, slide, LabelSource.of(scribbles),
                    new TrainingSnapshot("slide " + i, slide.width(), slide.height(), List.of())));
        }
        SegmentationModel model = train(training, ClassList.named(List.of("Background", "Nucleus")), features, seed);
        open.forEach(SlideImage::close);
        double sum = 0;
        SegmentationScore pooled = null;
        for (int i = 1; i <= 20; i++) {
            try (SlideImage slide = SlideImages.open(folder.resolve(String.format(Locale.ROOT, "%02d.png", i)))) {
                LabelRaster truth = LabelImages.read(folder.resolve(String.format(Locale.ROOT, "%02d_truth.png", i))).labels();
                SegmentationScore score = SegmentationScore.compare(predict(model, slide), truth, 2);
                sum += score.meanIou();
                pooled = pooled == null ? score : pooled.plus(score);
            }
        }
        return new Result(sum / 20, pooled.pixelAccuracy(), model.features().toText());
    }

    /** Discs of each class drawn inside the truth of the left half, away from the class's border. */
    static Result tile(Path image, Path mask, String features, long seed) throws Exception {
        try (SlideImage slide = SlideImages.open(image)) {
            LabelRaster truth = truthOf(mask);
            int w = truth.width(), h = truth.height();
            int radius = Math.max(3, w / 100);
            LabelRaster scribbles = LabelRaster.allocate(w, h);
            Random random = new Random(seed);
            for (int c = 1; c <= 2; c++) {
                int placed = 0;
                for (int attempt = 0; attempt < 100_000 && placed < 12; attempt++) {
                    int x = radius + random.nextInt(w / 2 - 2 * radius), y = radius + random.nextInt(h - 2 * radius);
                    if (discIs(truth, x, y, 2 * radius, c)) {
                        for (int dy = -radius; dy <= radius; dy++) {
                            for (int dx = -radius; dx <= radius; dx++) {
                                if (dx * dx + dy * dy <= radius * radius) {
                                    scribbles.set(x + dx, y + dy, c);
                                }
                            }
                        }
                        placed++;
                    }
                }
                System.err.println("class " + c + ": " + placed + " discs of radius " + radius);
            }
            if (scribblesOut != null) {
                BufferedImage png = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        png.getRaster().setSample(x, y, 0, scribbles.get(x, y));
                    }
                }
                ImageIO.write(png, "png", scribblesOut.toFile());
            }
            List<TrainingImage> training = List.of(new TrainingImage("tile", slide, LabelSource.of(scribbles),
                    new TrainingSnapshot("tile", w, h, List.of())));
            SegmentationModel model = train(training, ClassList.named(List.of("Stroma", "Epithelium")), features, seed);
            LabelRaster predicted = predict(model, slide);
            LabelRaster right = LabelRaster.allocate(w, h);
            for (int y = 0; y < h; y++) {
                for (int x = w / 2; x < w; x++) {
                    right.set(x, y, truth.get(x, y));
                }
            }
            SegmentationScore s = SegmentationScore.compare(predicted, right, 2);
            return new Result(s.meanIou(), s.pixelAccuracy(), model.features().toText());
        }
    }

    /** Every other region of each class trains, the others score. */
    static Result regions(Path image, Path geojson, String features, long seed) throws Exception {
        try (SlideImage slide = SlideImages.open(image)) {
            LabelledRegions all = GeoJson.readRegions(Files.readString(geojson, StandardCharsets.UTF_8));
            List<ClassifiedPolygon> train = new ArrayList<>(), test = new ArrayList<>();
            int[] seen = new int[256];
            for (ClassifiedPolygon p : all.regions()) {
                (seen[p.imageClass().index()]++ % 2 == 0 ? train : test).add(p);
            }
            int w = slide.width(), h = slide.height();
            LabelRaster trainLabels = PolygonRasteriser.rasterise(train, w, h);
            LabelRaster testLabels = PolygonRasteriser.rasterise(test, w, h);
            List<TrainingImage> training = List.of(new TrainingImage("image", slide, LabelSource.of(trainLabels),
                    new TrainingSnapshot("image", w, h, List.of())));
            SegmentationModel model = train(training, all.classes(), features, seed);
            SegmentationScore s = SegmentationScore.compare(predict(model, slide), testLabels, all.classes().size());
            return new Result(s.meanIou(), s.pixelAccuracy(), model.features().toText());
        }
    }

    static boolean discIs(LabelRaster truth, int cx, int cy, int r, int c) {
        for (int dy = -r; dy <= r; dy += 2) {
            for (int dx = -r; dx <= r; dx += 2) {
                int x = cx + dx, y = cy + dy;
                if (x < 0 || y < 0 || x >= truth.width() || y >= truth.height() || truth.get(x, y) != c) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A mask image: 0 (black) is class 1, anything else class 2. */
    static LabelRaster truthOf(Path mask) throws Exception {
        BufferedImage img = ImageIO.read(mask.toFile());
        LabelRaster l = LabelRaster.allocate(img.getWidth(), img.getHeight());
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                l.set(x, y, (img.getRGB(x, y) & 0xffffff) == 0 ? 1 : 2);
            }
        }
        return l;
    }
}

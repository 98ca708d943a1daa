package org.histodraw.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.histodraw.client.BrowserSession;
import org.histodraw.client.ForkedServer;
import org.histodraw.engine.geojson.GeoJson;
import org.histodraw.engine.pipeline.ClassMapCollector;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.vector.PolygonCleaning;
import org.histodraw.engine.vector.Ring;
import org.histodraw.slides.io.ClassMapWriter;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideImages;
import org.histodraw.slides.io.Vips;
import org.histodraw.slides.pipeline.Cancellation;
import org.histodraw.slides.pyramid.ProgressListener;
import org.histodraw.slides.pipeline.SlideSegmentation;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cohort job on Spark in local mode against the single-machine path: a model trained here is
 * applied to three good slides (sizes that do not divide by the tile, so edge tiles are partial),
 * one missing and one corrupt.
 */
class CohortJobTest {
    static final int TILE = 96;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path folder;
    static JavaSparkContext spark;
    static SegmentationModel model;
    static Path modelFile;
    static List<Path> good = new ArrayList<>();
    /** The annotation server of the tests on server slices, started by the first that needs it (a JVM of its own). */
    private static ForkedServer server;

    @BeforeAll
    static void startSparkAndTrainAModel() throws IOException {
        SparkConf conf = CohortJob.configure(new SparkConf().setAppName("cohort-test"), Optional.of("local[2]"));
        spark = new JavaSparkContext(conf);

        TestCohort cohort = new TestCohort(folder, new int[] {300, 260}, new int[] {257, 190}, new int[] {200, 97});
        good.addAll(cohort.slides);
        model = cohort.model;
        modelFile = cohort.modelFile;
    }

    @AfterAll
    static void stopSparkAndTheServer() {
        if (spark != null) {
            spark.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    private static ForkedServer server() throws IOException {
        if (server == null) {
            server = ForkedServer.start(folder.resolve("server"));
        }
        return server;
    }

    @Test
    void goodSlidesMatchTheSingleMachinePathAndBadSlidesFailAlone() throws IOException {
        Path corrupt = folder.resolve("corrupt.png");
        byte[] whole = Files.readAllBytes(good.get(0));
        Files.write(corrupt, Arrays.copyOf(whole, whole.length / 3));
        Path missing = folder.resolve("missing.png");
        List<String> slides = List.of(good.get(0).toString(), missing.toString(), good.get(1).toString(),
                corrupt.toString(), good.get(2).toString());
        Path out = folder.resolve("spark-out");

        RecordedProgress progress = new RecordedProgress();
        List<SlideOutcome> outcomes = CohortJob.run(spark, CohortOptions.of(modelFile, slides, out, TILE), progress).outcomes();

        assertThat(outcomes).extracting(SlideOutcome::status)
                .containsExactly("ok", "failed", "ok", "failed", "ok");
        assertThat(outcomes.get(1).message()).contains("no such file").contains("missing.png");
        assertThat(outcomes.get(3).message()).contains("corrupt.png");
        assertThat(Files.exists(out.resolve("corrupt_classes.png"))).isFalse();
        assertThat(Files.exists(out.resolve("corrupt.geojson"))).isFalse();

        Path reference = folder.resolve("reference");
        for (int i = 0; i < good.size(); i++) {
            Path slide = good.get(i);
            String name = "slide-" + (i + 1);
            SingleMachine.segment(model, slide, TILE, reference);
            assertSameFiles(out, reference, name);

            LabelRaster classMap = classes(reference.resolve(name + "_classes.png"));
            SlideOutcome o = outcomes.get(slides.indexOf(slide.toString()));
            assertThat(o.width()).isEqualTo(classMap.width());
            assertThat(o.tiles()).isEqualTo(((classMap.width() + TILE - 1) / TILE) * ((classMap.height() + TILE - 1) / TILE));
            assertThat(o.pixels(1) + o.pixels(2)).isEqualTo((long) classMap.width() * classMap.height());
            assertThat(o.pixels(2)).isEqualTo(count(classMap, 2));
        }

        // What the watcher was told: every slide opened, each good slide's tiles predicted and its files written.
        assertThat(progress.slides).containsExactlyElementsOf(slides);
        assertThat(progress.opening).endsWith(5, 5);
        assertThat(progress.failed).extracting(SlideOutcome::index).containsExactlyInAnyOrder(1, 3);
        assertThat(progress.planned.keySet()).containsExactlyInAnyOrder(0, 2, 4);
        assertThat(progress.predicted).isEqualTo(progress.planned);
        assertThat(progress.predicting).containsExactlyInAnyOrder(0, 2, 4);
        assertThat(progress.planned.get(0)).isEqualTo(outcomes.get(0).tiles());
        assertThat(progress.written).containsExactlyInAnyOrder(0, 2, 4);
        assertThat(progress.report.outcomes()).isEqualTo(outcomes);
        assertThat(progress.report.exitCode()).isEqualTo(CohortReport.SOME_FAILED);

        // Polygons were merged across tile borders: some nucleus spans a tile edge as one polygon.
        List<ClassifiedPolygon> polygons = GeoJson.readRegions(Files.readString(out.resolve("slide-1.geojson")), model.classes());
        assertThat(polygons).anyMatch(p -> crossesTileBorder(p.polygon().shell()));
        assertThat(polygons).anyMatch(p -> p.imageClass().index() == 2);

        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertThat(summary).hasSize(1 + slides.size());
        assertThat(summary.get(0)).isEqualTo("slide,status,message,width,height,tiles,seconds,"
                + "Background_px,Nucleus_px,Background_um2,Nucleus_um2");
        assertThat(summary.get(1)).startsWith(slides.get(0) + ",ok,,300,260,12,");
        assertThat(summary.get(2)).startsWith(slides.get(1) + ",failed,no such file: " + missing + ",0,0,0,");
        assertThat(summary.get(4)).startsWith(slides.get(3) + ",failed,");

        // The same table as Parquet, read back by Spark.
        List<Row> table = CohortJob.session(spark).read().parquet(out.resolve(CohortSummary.PARQUET).toString())
                .collectAsList();
        assertThat(table).extracting(r -> r.<String>getAs("slide")).containsExactlyElementsOf(slides);
        assertThat(table).extracting(r -> r.<String>getAs("status")).containsExactly("ok", "failed", "ok", "failed", "ok");
        for (int i = 0; i < slides.size(); i++) {
            Row row = table.get(i);
            SlideOutcome o = outcomes.get(i);
            assertThat(row.<Integer>getAs("tiles")).isEqualTo(o.tiles());
            if (o.ok()) {
                assertThat(row.<Long>getAs("Nucleus_px")).isEqualTo(o.pixels(2));
            } else {
                assertThat(row.isNullAt(row.fieldIndex("Nucleus_px"))).isTrue();
            }
        }
    }

    @Test
    void tissueMapsMatchTheSingleMachinePathAndCountTheSlidesPixels() throws IOException {
        Path out = folder.resolve("map-out");
        List<String> slides = good.stream().map(Path::toString).toList();

        List<SlideOutcome> outcomes = CohortJob.run(spark, CohortOptions.of(modelFile, slides, out, TILE)
                .withResolution(TestCohort.OVERVIEW), new RecordedProgress()).outcomes();

        assertThat(outcomes).extracting(SlideOutcome::status).containsOnly("ok");
        Path reference = folder.resolve("map-reference");
        for (int i = 0; i < good.size(); i++) {
            SingleMachine.tissueMap(model, good.get(i), TILE, TestCohort.OVERVIEW, reference);
            assertSameFiles(out, reference, "slide-" + (i + 1));
            SlideOutcome o = outcomes.get(i);
            assertThat(o.width()).as("the slide's own size").isEqualTo(ImageIO.read(good.get(i).toFile()).getWidth());
            // a level pixel counts as 4 x 4 of the slide's (as segment counts it; the last row and column
            // stand for a little less)
            int w = (o.width() + 3) / 4, h = (o.height() + 3) / 4;
            assertThat(java.util.Arrays.stream(o.pixelsPerClass()).sum()).isEqualTo(16L * w * h);
        }
        BufferedImage map = ImageIO.read(out.resolve("slide-1_classes.png").toFile());
        assertThat(map.getWidth()).isEqualTo(75);
        assertThat(map.getHeight()).isEqualTo(65);

        assertThatThrownBy(() -> CohortJob.run(spark, CohortOptions.of(modelFile, slides, folder.resolve("map-8"), TILE)
                .withResolution(8))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has an overview at 1/4; use --resolution 4");
    }

    @Test
    void omittedClassesMatchTheSingleMachinePath() throws IOException {
        Path out = folder.resolve("omit-out");
        List<String> slides = good.stream().map(Path::toString).toList();

        List<SlideOutcome> outcomes = CohortJob.run(spark, CohortOptions.parse("--model", modelFile.toString(),
                "--out", out.toString(), "--tile", Integer.toString(TILE), "--omit", "Background",
                "--slide", slides.get(0), "--slide", slides.get(1)));

        assertThat(outcomes).extracting(SlideOutcome::status).containsOnly("ok");
        Path reference = folder.resolve("omit-reference");
        for (int i = 0; i < 2; i++) {
            SingleMachine.segment(model, good.get(i), TILE, reference, PolygonCleaning.defaults(), java.util.Set.of("Background"));
            assertSameFiles(out, reference, "slide-" + (i + 1));
            assertThat(Files.readString(out.resolve("slide-" + (i + 1) + ".geojson"))).contains("\"Nucleus\"")
                    .doesNotContain("\"Background\"");
        }
        assertThatThrownBy(() -> CohortJob.run(spark, CohortOptions.of(modelFile, slides, folder.resolve("omit-bad"), TILE)
                .omitting(java.util.Set.of("Tumour")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--omit: model").hasMessageContaining("has no class Tumour");
    }

    @Test
    void slicesOfAnAnnotationServerGiveTheSameResultsAndArePostedBackTogether() throws Exception {
        BrowserSession admin = server().admin();
        long project = admin.project("Cohort");
        long series = admin.series(project, "S");
        for (Path slide : good) {
            admin.upload(series, slide);
        }
        String token = admin.token(project, "read", "write");

        List<String> local = good.stream().map(Path::toString).toList();
        Path localOut = folder.resolve("local-out");
        CohortJob.run(spark, CohortOptions.of(modelFile, local, localOut, TILE));
        Path serverOut = folder.resolve("server-out");
        CohortOptions fromServer = CohortOptions.parse("--model", modelFile.toString(), "--out", serverOut.toString(),
                "--tile", Integer.toString(TILE), "--server", server().url(), "--token", token, "--series", Long.toString(series),
                "--post-back");
        List<SlideOutcome> outcomes = CohortJob.run(spark, fromServer);

        assertThat(outcomes).extracting(SlideOutcome::status).containsExactly("ok", "ok", "ok");
        assertThat(outcomes.get(0).slide()).startsWith("slice:").endsWith(":slide-1.png");
        for (int i = 1; i <= good.size(); i++) {
            String name = "slide-" + i;
            assertThat(Files.readAllBytes(serverOut.resolve(name + "_classes.png")))
                    .as("class map of " + name + " read from the server").isEqualTo(Files.readAllBytes(localOut.resolve(name + "_classes.png")));
            assertThat(Files.readString(serverOut.resolve(name + ".geojson"))).as("polygons of " + name)
                    .isEqualTo(Files.readString(localOut.resolve(name + ".geojson")));
        }
        for (JsonNode slice : admin.get("/api/v1/series/" + series).get("slices")) {
            JsonNode layer = admin.get("/api/v1/slices/" + slice.get("id").asLong() + "/regions?layer=generated");
            String name = SlidePlan.baseName(slice.get("name").asText());
            int expected = JSON.readTree(serverOut.resolve(name + ".geojson").toFile()).get("features").size();
            assertThat(layer.get("features")).as("generated layer of " + name).hasSize(expected);
            assertThat(layer.at("/features/0/properties/provenance/service").asText()).isEqualTo("histodraw-spark");
            assertThat(layer.at("/features/0/properties/provenance/model").asText()).isEqualTo(model.id());
        }
    }

    /**
     * Aperio SVS slides, opened by OpenSlide in the executors: openslide-python's small.svs (written by
     * Aperio's own library) and a slide of the cohort saved as an Aperio SVS of 0.25 µm per pixel (JPEG
     * tiles: the pixels are those OpenSlide decodes, not the PNG's). The files are those of segment on
     * the same file, the cleaning's default areas taken in µm² at the slide's pixel size.
     */
    @Test
    void aperioSlidesGiveSegmentsFilesWithAreasInSquareMicrons() throws IOException {
        Vips.assumeAvailable();
        Vips.assumeOpenSlide();
        Path svs = Vips.aperio(ImageIO.read(good.get(0).toFile()), folder, "aperio", false);
        List<String> slides = new ArrayList<>(List.of(svs.toString()));
        Path fixture = Path.of(System.getProperty("histodraw.data", "../shared/data"), "wsi", "small.svs");
        if (Files.isRegularFile(fixture)) {
            slides.add(fixture.toAbsolutePath().toString());
        }
        Path out = folder.resolve("svs-out");

        List<SlideOutcome> outcomes = CohortJob.run(spark, CohortOptions.of(modelFile, slides, out, TILE));

        assertThat(outcomes).extracting(SlideOutcome::status).containsOnly("ok");
        assertThat(outcomes.get(0).pixelSize()).contains(0.25);
        Path reference = folder.resolve("svs-reference");
        for (String slide : slides) {
            SingleMachine.segment(model, Path.of(slide), TILE, reference);
            assertSameFiles(out, reference, SlidePlan.baseName(slide));
        }
        // segment's default, 10 µm², is 160 px² at 0.25 µm per pixel (40 px² without a pixel size).
        List<ClassifiedPolygon> regions = GeoJson.readRegions(Files.readString(out.resolve("aperio.geojson")), model.classes());
        assertThat(regions).isNotEmpty().allSatisfy(r -> assertThat(r.polygon().area()).isGreaterThanOrEqualTo(160 * 0.9));
    }

    /**
     * A slice of the server that is an Aperio SVS, read through the server's lossless region reads
     * (IIIF PNG cut from the pixels OpenSlide decodes): byte for byte the files of segment on the file
     * itself, its pixel size (so the cleaning's µm²) included.
     */
    @Test
    void anAperioSliceOfTheServerGivesSegmentsFilesOfTheOriginal() throws Exception {
        Vips.assumeAvailable();
        Vips.assumeOpenSlide();
        Path svs = Vips.aperio(ImageIO.read(good.get(1).toFile()), folder, "served", false);
        BrowserSession admin = server().admin();
        long project = admin.project("Aperio");
        long series = admin.series(project, "SVS");
        admin.upload(series, svs);
        Path out = folder.resolve("served-out");
        CohortOptions fromServer = CohortOptions.parse("--model", modelFile.toString(), "--out", out.toString(),
                "--tile", Integer.toString(TILE), "--server", server().url(), "--token", admin.token(project, "read"),
                "--series", Long.toString(series), "--min-hole", "0", "--smooth", "1");

        List<SlideOutcome> outcomes = CohortJob.run(spark, fromServer);

        assertThat(outcomes).extracting(SlideOutcome::status).containsExactly("ok");
        assertThat(outcomes.get(0).slide()).startsWith("slice:").endsWith(":served.svs");
        assertThat(outcomes.get(0).pixelSize()).contains(0.25);
        Path reference = folder.resolve("served-reference");
        SingleMachine.segment(model, svs, TILE, reference, fromServer.cleaning());
        assertSameFiles(out, reference, "served");
    }

    /**
     * A pyramidal tiled TIFF written by libvips (deflate, lossless) from a slide of the cohort: the
     * executors read it tile by tile through the slide readers, and its classes are those of the PNG
     * it was made from. Skipped where the {@code vips} command is missing.
     */
    @Test
    void aVipsPyramidalTiffGivesTheClassesOfThePngItWasMadeFrom() throws Exception {
        Path png = good.get(0);
        Path tiff = folder.resolve("vips-pyramid.tif");
        Process vips;
        try {
            vips = new ProcessBuilder("vips", "tiffsave", png.toString(), tiff.toString(), "--tile", "--tile-width", "64",
                    "--tile-height", "64", "--pyramid", "--compression", "deflate").redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("vips is not installed (Debian: apt-get install libvips-tools): " + e.getMessage());
            return;
        }
        assertThat(vips.waitFor()).as(new String(vips.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        Path out = folder.resolve("tiff-out");

        List<SlideOutcome> outcomes = CohortJob.run(spark, CohortOptions.of(modelFile, List.of(tiff.toString()), out, TILE));

        assertThat(outcomes).extracting(SlideOutcome::status).containsExactly("ok");
        assertThat(outcomes.get(0).width()).isEqualTo(300);
        Path reference = folder.resolve("tiff-reference");
        SingleMachine.segment(model, tiff, TILE, reference);
        assertThat(Files.readAllBytes(out.resolve("vips-pyramid_classes.png")))
                .isEqualTo(Files.readAllBytes(reference.resolve("vips-pyramid_classes.png")));
        assertThat(Files.readString(out.resolve("vips-pyramid.geojson"))).isEqualTo(Files.readString(reference.resolve("vips-pyramid.geojson")));
        LabelRaster fromPng = singleMachine(png, folder.resolve("png-reference/slide-1_classes.png"));
        BufferedImage fromTiff = ImageIO.read(out.resolve("vips-pyramid_classes.png").toFile());
        for (int y = 0; y < fromPng.height(); y++) {
            for (int x = 0; x < fromPng.width(); x++) {
                assertThat(fromTiff.getRaster().getSample(x, y, 0)).as("class at %d,%d", x, y).isEqualTo(fromPng.get(x, y) & 0xff);
            }
        }
    }

    /** SlideSegmentation with the same model and tile size, its class map written by ClassMapWriter. */
    private static LabelRaster singleMachine(Path slide, Path classMapFile) throws IOException {
        Files.createDirectories(classMapFile.getParent());
        try (SlideImage image = SlideImages.open(slide);
             SlideSegmentation segmentation = new SlideSegmentation(model, TILE, 2)) {
            ClassMapCollector collector = new ClassMapCollector(image.width(), image.height());
            segmentation.predict(image, false, collector, ProgressListener.NONE, new Cancellation());
            ClassMapWriter.write(collector.classes(), model.classes(), classMapFile, image.micronsPerPixel());
            return collector.classes();
        }
    }

    /** The class map and the polygons of a slide are the same bytes in both folders. */
    static void assertSameFiles(Path out, Path reference, String name) throws IOException {
        assertThat(Files.readAllBytes(out.resolve(name + "_classes.png"))).as("class map of " + name)
                .isEqualTo(Files.readAllBytes(reference.resolve(name + "_classes.png")));
        assertThat(Files.readString(out.resolve(name + ".geojson"), StandardCharsets.UTF_8)).as("polygons of " + name)
                .isEqualTo(Files.readString(reference.resolve(name + ".geojson"), StandardCharsets.UTF_8));
    }

    /** A class map PNG's class indices (its pixel values). */
    private static LabelRaster classes(Path classMap) throws IOException {
        BufferedImage image = ImageIO.read(classMap.toFile());
        LabelRaster labels = LabelRaster.allocate(image.getWidth(), image.getHeight());
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                labels.set(x, y, image.getRaster().getSample(x, y, 0));
            }
        }
        return labels;
    }

    private static boolean crossesTileBorder(Ring ring) {
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        double[] xy = ring.coordinates();
        for (int i = 0; i < xy.length; i += 2) {
            minX = Math.min(minX, xy[i]);
            maxX = Math.max(maxX, xy[i]);
            minY = Math.min(minY, xy[i + 1]);
            maxY = Math.max(maxY, xy[i + 1]);
        }
        double area = (maxX - minX) * (maxY - minY);
        return area < 2000 && (Math.floor(minX / TILE) < Math.floor((maxX - 1) / TILE)
                || Math.floor(minY / TILE) < Math.floor((maxY - 1) / TILE));
    }

    private static long count(LabelRaster map, int label) {
        long n = 0;
        for (byte b : map.data()) {
            if ((b & 0xff) == label) {
                n++;
            }
        }
        return n;
    }
}

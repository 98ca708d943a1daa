package org.histodraw.app.segment;

import static org.assertj.core.api.Assertions.assertThat;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;
import org.histodraw.app.Main;
import org.histodraw.app.console.Terminal;
import org.histodraw.engine.geojson.GeoJson;
import org.histodraw.engine.geojson.LabelledRegions;
import org.histodraw.engine.pipeline.ModelCodec;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.slides.io.LabelImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Polygon;


/** {@code histodraw segment} end to end on small generated slides: files in, files out. */
class SegmentCommandTest {
    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path slide1;
    private Path slide2;
    private Path scribbles;

    @BeforeEach
    void writeSlides() throws IOException {
        slide1 = writeSlide("slide1.png", 11);
        slide2 = writeSlide("slide2.png", 12);
        scribbles = dir.resolve("slide1_scribbles.png");
        BufferedImage s = new BufferedImage(160, 120, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) {
                boolean nucleus = isNucleus(x, y);
                boolean core = nucleus && isNucleus(x - 2, y) && isNucleus(x + 2, y);
                if (core && (x + y) % 3 == 0) {
                    s.getRaster().setSample(x, y, 0, 2);
                } else if (!nucleus && (x * 7 + y * 3) % 41 == 0) {
                    s.getRaster().setSample(x, y, 0, 1);
                }
            }
        }
        ImageIO.write(s, "png", scribbles.toFile());
    }

    /** Dark purple discs (nuclei) on a grid, pink stroma around them. */
    private static boolean isNucleus(int x, int y) {
        int cx = (x / 20) * 20 + 10, cy = (y / 20) * 20 + 10;
        return (x - cx) * (x - cx) + (y - cy) * (y - cy) <= 25;
    }

    private Path writeSlide(String name, long seed) throws IOException {
        Random random = new Random(seed);
        BufferedImage img = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) {
                int n = (int) (random.nextGaussian() * 12);
                int rgb = isNucleus(x, y) ? rgb(80 + n, 50 + n, 140 + n) : rgb(225 + n, 150 + n, 200 + n);
                img.setRGB(x, y, rgb);
            }
        }
        Path file = dir.resolve(name);
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    private static int rgb(int r, int g, int b) {
        return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private int segment(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "segment";
        System.arraycopy(args, 0, all, 1, args.length);
        return Main.run(Main.Runners.defaults(), new Terminal(new PrintWriter(out, true), new PrintWriter(err, true), false), all);
    }

    @Test
    void trainsOnScribblesAndWritesClassMapsPolygonsAndProbabilitiesForEveryImage() throws IOException {
        Path results = dir.resolve("results");
        int code = segment("--image", slide1.toString(), "--image", slide2.toString(), "--labels", scribbles.toString(),
                "--classes", "Stroma,Nucleus", "--out", results.toString(), "--probabilities", "--tile", "64",
                "--save-model", dir.resolve("nuclei.hdm").toString());

        assertThat(code).as(err.toString()).isZero();
        for (String name : new String[] {"slide1", "slide2"}) {
            assertThat(results.resolve(name + "_classes.png")).exists();
            assertThat(results.resolve(name + "_uncertainty.png")).exists();
            assertThat(results.resolve(name + "_prob_nucleus.png")).exists();
            var classMap = LabelImages.read(results.resolve(name + "_classes.png")).labels();
            int correct = 0;
            for (int y = 0; y < 120; y++) {
                for (int x = 0; x < 160; x++) {
                    correct += classMap.get(x, y) == (isNucleus(x, y) ? 2 : 1) ? 1 : 0;
                }
            }
            assertThat(correct / (160.0 * 120)).as(name + " pixel accuracy").isGreaterThan(0.95);
            LabelledRegions polygons = GeoJson.readRegions(Files.readString(results.resolve(name + ".geojson")));
            assertThat(polygons.regions()).hasSizeGreaterThan(40); // 48 nuclei + stroma
            assertThat(Files.readString(results.resolve(name + ".geojson")))
                    .contains("\"provenance\"").contains("\"trainingImages\":[\"slide1\"]");
        }
        SegmentationModel model = ModelCodec.read(Files.readAllBytes(dir.resolve("nuclei.hdm")));
        assertThat(model.classes().get(2).name()).isEqualTo("Nucleus");
        assertThat(model.training()).hasSize(1);
        assertThat(out.toString()).contains("out-of-bag accuracy").contains("slide2: 160 x 120 px");
        assertThat(results).isDirectoryContaining(p -> true).isDirectoryNotContaining("glob:**.part");
        List<String> areas = Files.readAllLines(results.resolve("class-areas.csv"));
        assertThat(areas).hasSize(5).first().isEqualTo("image,class,area_px,area_um2,fraction");
        assertThat(areas.get(1)).startsWith("slide1.png,Stroma,");
        assertThat(areas.stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[2])).sum()).isEqualTo(2 * 160 * 120);
    }

    @Test
    void anOverviewGivesATissueMapAtOneQuarterAndRefinedClassesEqualExactOnesWhereComputed() throws IOException {
        Path model = dir.resolve("overview.hdm");
        Path exact = dir.resolve("exact");
        assertThat(segment("--image", slide1.toString(), "--image", slide2.toString(), "--labels", scribbles.toString(),
                "--classes", "Stroma,Nucleus", "--overview", "4", "--save-model", model.toString(),
                "--out", exact.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("features chosen from the training images").contains("overview at 1/4 trained");
        assertThat(ModelCodec.read(Files.readAllBytes(model)).overview().resolution()).isEqualTo(4);

        Path map = dir.resolve("map");
        assertThat(segment("--model", model.toString(), "--image", slide2.toString(), "--resolution", "4",
                "--out", map.toString())).as(err.toString()).isZero();
        var coarse = LabelImages.read(map.resolve("slide2_classes.png")).labels();
        assertThat(coarse.width()).isEqualTo(40);
        assertThat(coarse.height()).isEqualTo(30);
        // Polygons are in the slide's own pixels, not the level's.
        LabelledRegions regions = GeoJson.readRegions(Files.readString(map.resolve("slide2.geojson")));
        double maxX = regions.regions().stream().flatMapToDouble(r -> {
            double[] xy = r.polygon().shell().coordinates();
            return java.util.stream.IntStream.range(0, xy.length / 2).mapToDouble(i -> xy[2 * i]);
        }).max().orElseThrow();
        assertThat(maxX).isEqualTo(160);
        List<String> areas = Files.readAllLines(map.resolve("class-areas.csv"));
        assertThat(areas.stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[2])).sum()).isEqualTo(160 * 120);

        Path refined = dir.resolve("refined");
        assertThat(segment("--model", model.toString(), "--image", slide2.toString(), "--refine", "--tile", "64",
                "--out", refined.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("coarse-to-fine: overview at 1/4");
        var fine = LabelImages.read(refined.resolve("slide2_classes.png")).labels();
        var full = LabelImages.read(exact.resolve("slide2_classes.png")).labels();
        // Every pixel differs from exact prediction only inside blocks the overview settled (where
        // its trees agreed and the eight neighbours have its class).
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) {
                if (fine.get(x, y) != full.get(x, y)) {
                    int i = x / 4, j = y / 4;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int ni = Math.max(0, Math.min(39, i + dx)), nj = Math.max(0, Math.min(29, j + dy));
                            assertThat(coarse.get(ni, nj)).as("pixel %d,%d differs outside a settled block", x, y)
                                    .isEqualTo(coarse.get(i, j));
                        }
                    }
                    assertThat(fine.get(x, y)).isEqualTo(coarse.get(i, j));
                }
            }
        }
    }

    @Test
    void resolutionAndRefineNeedAnOverviewAndFitTogetherOnlyOneWay() throws IOException {
        Path model = dir.resolve("plain.hdm");
        assertThat(segment("--image", slide1.toString(), "--labels", scribbles.toString(), "--save-model",
                model.toString())).isZero();
        assertThat(segment("--model", model.toString(), "--image", slide2.toString(), "--resolution", "4",
                "--out", dir.resolve("a").toString())).isNotZero();
        assertThat(err.toString()).contains("has no overview for --resolution: train it with --overview N");
        assertThat(segment("--model", model.toString(), "--image", slide2.toString(), "--resolution", "3",
                "--out", dir.resolve("b").toString())).isNotZero();
        assertThat(err.toString()).contains("--resolution 3: 1 (full resolution), 2, 4 or 8");
        assertThat(segment("--model", model.toString(), "--image", slide2.toString(), "--resolution", "4", "--refine",
                "--out", dir.resolve("c").toString())).isNotZero();
        assertThat(err.toString()).contains("--refine predicts full resolution");
        assertThat(segment("--image", slide1.toString(), "--labels", scribbles.toString(), "--overview", "16",
                "--out", dir.resolve("d").toString())).isNotZero();
        assertThat(err.toString()).contains("--overview 16: an overview is at 1/2, 1/4 or 1/8");
    }

    @Test
    void omittedClassesAreLeftOutOfThePolygonsOnly() throws IOException {
        Path model = dir.resolve("omit.hdm");
        Path all = dir.resolve("all");
        assertThat(segment("--image", slide1.toString(), "--labels", scribbles.toString(), "--classes", "Stroma,Nucleus",
                "--save-model", model.toString(), "--image", slide2.toString(), "--out", all.toString())).as(err.toString()).isZero();
        Path nuclei = dir.resolve("nuclei");
        assertThat(segment("--model", model.toString(), "--image", slide2.toString(), "--omit", "Stroma",
                "--out", nuclei.toString())).as(err.toString()).isZero();

        assertThat(Files.readAllBytes(nuclei.resolve("slide2_classes.png"))).as("the class map keeps every class")
                .isEqualTo(Files.readAllBytes(all.resolve("slide2_classes.png")));
        assertThat(Files.readAllLines(nuclei.resolve("class-areas.csv"))).as("and so do the areas")
                .isEqualTo(Files.readAllLines(all.resolve("class-areas.csv")).stream()
                        .filter(l -> !l.startsWith("slide1.png")).toList());
        List<String> everyClass = classesOf(all.resolve("slide2.geojson"));
        assertThat(everyClass).contains("Stroma", "Nucleus");
        assertThat(classesOf(nuclei.resolve("slide2.geojson")))
                .containsExactlyElementsOf(everyClass.stream().filter("Nucleus"::equals).toList());

        assertThat(segment("--model", model.toString(), "--image", slide2.toString(), "--omit", "Tumour",
                "--out", dir.resolve("bad").toString())).isNotZero();
        assertThat(err.toString()).contains("--omit: model").contains("has no class Tumour (its classes: Stroma, Nucleus)");
    }

    private static List<String> classesOf(Path geoJson) throws IOException {
        return GeoJson.readRegions(Files.readString(geoJson)).regions().stream().map(r -> r.imageClass().name()).toList();
    }

    @Test
    void aSavedModelAppliedLaterGivesTheSameClassMap() throws IOException {
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        Path model = dir.resolve("m.hdm");
        assertThat(segment("--image", slide1.toString(), "--image", slide2.toString(), "--labels", scribbles.toString(),
                "--out", first.toString(), "--save-model", model.toString())).isZero();
        assertThat(segment("--image", slide2.toString(), "--model", model.toString(), "--out", second.toString(),
                "--tile", "96")).as(err.toString()).isZero();
        assertThat(Files.readAllBytes(second.resolve("slide2_classes.png")))
                .isEqualTo(Files.readAllBytes(first.resolve("slide2_classes.png")));
    }

    @Test
    void labelsOfAnotherSizeThanTheImageAreRefusedInOneLine() throws IOException {
        Path small = dir.resolve("small.png");
        ImageIO.write(new BufferedImage(50, 50, BufferedImage.TYPE_BYTE_GRAY), "png", small.toFile());
        assertThat(segment("--image", slide1.toString(), "--labels", small.toString(), "--out", "x")).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith("histodraw: error: ").contains("50 x 50").contains("160 x 120")
                .doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void labelsOfOneClassOnlyAreRefused() throws IOException {
        Path one = dir.resolve("one.png");
        BufferedImage s = new BufferedImage(160, 120, BufferedImage.TYPE_BYTE_GRAY);
        s.getRaster().setSample(3, 3, 0, 1);
        ImageIO.write(s, "png", one.toFile());
        assertThat(segment("--image", slide1.toString(), "--labels", one.toString(), "--out", "x")).isEqualTo(1);
        assertThat(err.toString()).contains("only one class").doesNotContain("Exception");
    }

    @Test
    void emptyLabelsAreRefused() throws IOException {
        Path none = dir.resolve("none.png");
        ImageIO.write(new BufferedImage(160, 120, BufferedImage.TYPE_BYTE_GRAY), "png", none.toFile());
        assertThat(segment("--image", slide1.toString(), "--labels", none.toString(), "--out", "x")).isEqualTo(1);
        assertThat(err.toString()).contains("no labelled pixels");
    }

    @Test
    void anUnreadableImageIsNamedInOneLine() throws IOException {
        Path junk = dir.resolve("notes.png");
        Files.writeString(junk, "not an image");
        assertThat(segment("--image", junk.toString(), "--labels", scribbles.toString(), "--out", "x")).isEqualTo(1);
        assertThat(err.toString().strip()).contains("notes.png").doesNotContain("\n");
    }

    @Test
    void aDamagedModelFileIsRefusedInOneLine() throws IOException {
        Path bad = dir.resolve("bad.hdm");
        Files.writeString(bad, "HDMODEL\0 but then nothing useful");
        assertThat(segment("--image", slide1.toString(), "--model", bad.toString(), "--out", "x")).isEqualTo(1);
        assertThat(err.toString()).contains("bad.hdm").containsAnyOf("damaged", "truncated", "version");
    }

    @Test
    void geoJsonRegionsTrainLikeScribbles() throws IOException {
        Path regions = dir.resolve("regions.geojson");
        Files.writeString(regions, """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[7,7],[13,7],[13,13],[7,13],[7,7]]]},
                  "properties":{"classification":{"name":"Nucleus","color":[80,50,140]}}},
                 {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[47,67],[53,67],[53,73],[47,73],[47,67]]]},
                  "properties":{"classification":{"name":"Nucleus","color":[80,50,140]}}},
                 {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,18],[160,18],[160,22],[0,22],[0,18]]]},
                  "properties":{"classification":{"name":"Stroma","color":[225,150,200]}}}]}
                """);
        Path results = dir.resolve("geo");
        assertThat(segment("--image", slide1.toString(), "--labels", regions.toString(), "--out", results.toString()))
                .as(err.toString()).isZero();
        LabelledRegions polygons = GeoJson.readRegions(Files.readString(results.resolve("slide1.geojson")));
        // The result's classes are the names the regions gave (in the order the polygons come in).
        assertThat(polygons.classes().classes()).extracting(c -> c.name())
                .containsExactlyInAnyOrder("Nucleus", "Stroma");
        assertThat(polygons.regions().stream().filter(r -> r.imageClass().name().equals("Nucleus")).count())
                .isGreaterThanOrEqualTo(40);
    }

    @Test
    void aQupathFileIsReadAsTheServerImportsItWithAWarningForEachFeatureThatCannotTeach() throws IOException {
        Path regions = dir.resolve("qupath.geojson");
        Files.writeString(regions, """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","id":"a","geometry":{"type":"Polygon","coordinates":[[[7,7],[13,7],[13,13],[7,13],[7,7]]]},
                  "properties":{"objectType":"annotation","classification":{"names":["Nucleus","Dark"],"color":[80,50,140]}}},
                 {"type":"Feature","id":"b","geometry":{"type":"Polygon","coordinates":[[[47,67],[53,73],[53,67],[47,73],[47,67]]]},
                  "properties":{"objectType":"annotation","classification":{"names":["Nucleus","Dark"],"color":[80,50,140]}}},
                 {"type":"Feature","id":"c","geometry":{"type":"Polygon","coordinates":[[[0,18],[160,18],[160,22],[0,22],[0,18]]]},
                  "properties":{"objectType":"annotation","classification":{"name":"Stroma","colorRGB":-2058552}}},
                 {"type":"Feature","id":"d","geometry":{"type":"MultiPoint","coordinates":[[3,3],[4,4]]},
                  "properties":{"objectType":"annotation","classification":{"name":"Stroma","color":[225,150,200]}}},
                 {"type":"Feature","id":"e","geometry":{"type":"Polygon","coordinates":[[[60,38],[64,38],[64,42],[60,42],[60,38]]]},
                  "properties":{"objectType":"annotation","name":"a note, not a class"}}]}
                """);
        Path results = dir.resolve("qupath");
        assertThat(segment("--image", slide1.toString(), "--labels", regions.toString(), "--out", results.toString()))
                .as(err.toString()).isZero();
        assertThat(err.toString())
                .contains("histodraw: warning: qupath.geojson: feature 1: repaired the polygon: shell intersects itself")
                .contains("histodraw: warning: qupath.geojson: feature 3 left out: it is a point (QuPath's points annotation)")
                .contains("histodraw: warning: qupath.geojson: feature 4 left out: it has no class, so it cannot teach one");
        LabelledRegions polygons = GeoJson.readRegions(Files.readString(results.resolve("slide1.geojson")));
        assertThat(polygons.classes().classes()).extracting(c -> c.name()).containsExactlyInAnyOrder("Nucleus: Dark", "Stroma");
        assertThat(polygons.classes().classes()).filteredOn(c -> c.name().equals("Stroma")).extracting(c -> c.rgb())
                .as("QuPath 0.3's packed colour").containsExactly(-2058552 & 0xffffff);
    }

    @Test
    void microDrawRegionsTrainLikeGeoJson() throws IOException {
        // MicroDraw stores Paper.js paths in units of 1/1000 of the image width (160 px here).
        double u = 1000.0 / 160;
        Path regions = dir.resolve("microdraw.json");
        Files.writeString(regions, "[" + microDrawSquare("Nucleus", 7 * u, 7 * u, 6 * u) + ","
                + microDrawSquare("Nucleus", 47 * u, 67 * u, 6 * u) + ","
                + microDrawSquare("Stroma", 0, 18 * u, 4 * u) + "," + microDrawSquare("Stroma", 60 * u, 38 * u, 4 * u) + ","
                + "{\"annotation\":{\"name\":\"textAnnotation\",\"path\":[\"PointText\",{\"content\":\"x\"}]}}]");
        Path results = dir.resolve("md");
        assertThat(segment("--image", slide1.toString(), "--labels", regions.toString(), "--out", results.toString()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("most useful features:");
        assertThat(err.toString()).contains("histodraw: warning: microdraw.json: MicroDraw region 4 left out: it is a text, which has no area");
        LabelledRegions polygons = GeoJson.readRegions(Files.readString(results.resolve("slide1.geojson")));
        assertThat(polygons.regions().stream().filter(r -> r.imageClass().name().equals("Nucleus")).count())
                .isGreaterThanOrEqualTo(40);
    }

    private static String microDrawSquare(String name, double x, double y, double side) {
        return String.format(java.util.Locale.ROOT, "{\"annotation\":{\"name\":\"%s\",\"path\":[\"Path\",{\"applyMatrix\":true,"
                + "\"segments\":[[%.3f,%.3f],[%.3f,%.3f],[%.3f,%.3f],[%.3f,%.3f]],\"closed\":true}]}}",
                name, x, y, x + side, y, x + side, y + side, x, y + side);
    }
}

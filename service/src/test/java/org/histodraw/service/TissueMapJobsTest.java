package org.histodraw.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.engine.labels.PolygonRasteriser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tissue-level classes through the service, as a MicroDraw user draws them (stroma and epithelium,
 * regions hundreds of pixels wide): a model trained with an overview at 1/8 gives a tissue map of a
 * series (QuPath's "resolution" choice) and full-resolution classes coarse-to-fine; the maps land
 * in the slices' coordinates, and what cannot run is refused with the reason.
 */
class TissueMapJobsTest extends AgainstAServer {
    static final ClassList TISSUES = ClassList.named(List.of("Stroma", "Epithelium"));
    static final int SIDE = 1024;

    List<LabelRaster> truths = new ArrayList<>();

    @BeforeAll
    void setUp(@TempDir Path dir) throws Exception {
        List<byte[]> pngs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            LabelRaster truth = LabelRaster.allocate(SIDE, SIDE);
            pngs.add(tissue(new Random(40 + i), truth));
            truths.add(truth);
        }
        start(dir, "Tissue", pngs, 2);
        server.draw(server.slices.get(0), List.of(square(1, 60, 100), square(1, 100, 700), square(1, 250, 420),
                square(2, 880, 120), square(2, 900, 800), square(2, 760, 480)));
    }

    @Test
    void aTissueMapAndCoarseToFineAgreeWithEveryPixelPredicted() {
        JsonNode state = api.send("POST", "/api/train", Map.of("slices", List.of(server.slices.get(0)), "live", false,
                "overview", 8)).ok();
        assertThat(state.get("model").get("overview").asInt()).isEqualTo(8);
        assertThat(state.get("report").get("overview").asInt()).isEqualTo(8);
        assertThat(state.get("report").get("overviewOutOfBagAccuracy").asDouble()).isGreaterThan(0.9);

        JsonNode exactJob = run(Map.of("series", server.series));
        List<LabelRaster> exact = generated();

        JsonNode mapJob = run(Map.of("series", server.series, "resolution", 8));
        List<LabelRaster> map = generated();
        JsonNode provenance = server.owner.get("/api/v1/slices/" + server.slices.get(1) + "/regions?layer=generated")
                .ok().get("features").get(0).get("properties").get("provenance");
        assertThat(provenance.get("resolution").asInt()).isEqualTo(8);
        // a level pixel stands for 8 x 8 of the slice's: the tiles counted are the level's
        assertThat(mapJob.get("slices").get(0).get("tilesTotal").asLong()).isEqualTo(1);
        assertThat(exactJob.get("slices").get(0).get("tilesTotal").asLong()).isEqualTo(16);
        String csv = api.get("/api/jobs/" + mapJob.get("id").asText() + "/areas.csv").text();
        for (int i = 0; i < 2; i++) {
            assertThat(areaPixels(csv, i)).as("the map's areas cover slice %d, in its pixels", i)
                    .isEqualTo((long) SIDE * SIDE);
        }

        JsonNode refinedJob = run(Map.of("series", server.series, "refine", true));
        List<LabelRaster> refined = generated();
        assertThat(server.owner.get("/api/v1/slices/" + server.slices.get(0) + "/regions?layer=generated").ok()
                .get("features").get(0).get("properties").get("provenance").get("refined").asBoolean()).isTrue();
        assertThat(refinedJob.get("state").asText()).isEqualTo("done");

        for (int i = 0; i < 2; i++) {
            double exactScore = agreement(exact.get(i), truths.get(i));
            double mapScore = agreement(map.get(i), truths.get(i));
            System.out.printf(java.util.Locale.ROOT, "tissue slice %d: exact %.4f, map at 1/8 %.4f, refined %.4f of the"
                    + " truth; refined equals exact on %.4f%n", i, exactScore, mapScore,
                    agreement(refined.get(i), truths.get(i)), agreement(refined.get(i), exact.get(i)));
            assertThat(exactScore).as("slice %d exact", i).isGreaterThan(0.95);
            // the map's borders are a level pixel (8 px) coarse: 2 x 900 px of border in 1 Mpx
            assertThat(mapScore).as("slice %d at 1/8", i).isGreaterThan(0.95);
            assertThat(agreement(refined.get(i), exact.get(i))).as("slice %d refined against exact", i).isGreaterThan(0.995);
        }
    }

    @Test
    void aJobLeavesAnOmittedClassOutOfTheLayerAndStillMeasuresIt() {
        api.send("POST", "/api/train", Map.of("slices", List.of(server.slices.get(0)), "live", false, "overview", 8)).ok();
        JsonNode job = run(Map.of("series", server.series, "resolution", 8, "omit", List.of("Stroma")));

        for (long slice : server.slices) {
            assertThat(server.generated(slice, TISSUES)).isNotEmpty()
                    .allSatisfy(p -> assertThat(p.imageClass().name()).isEqualTo("Epithelium"));
        }
        String csv = api.get("/api/jobs/" + job.get("id").asText() + "/areas.csv").text();
        assertThat(areaPixels(csv, 0)).as("the stroma is still measured").isEqualTo((long) SIDE * SIDE);
        assertThat(csv).contains(",Stroma,");
    }

    @Test
    void jobsTheModelCannotRunAreRefusedWithTheReason() {
        api.send("POST", "/api/train", Map.of("slices", List.of(server.slices.get(0)), "live", false)).ok();
        assertThat(refused("/api/jobs", Map.of("series", server.series, "resolution", 8)))
                .contains("no overview for a tissue map at 1/8").contains("\"overview\": 8");
        assertThat(refused("/api/jobs", Map.of("series", server.series, "refine", true))).contains("no overview for coarse-to-fine");
        assertThat(refused("/api/jobs", Map.of("series", server.series, "resolution", 3))).contains("not 3");
        assertThat(refused("/api/jobs", Map.of("series", server.series, "resolution", "eight"))).contains("resolution must be a whole number");
        assertThat(refused("/api/jobs", Map.of("series", server.series, "refine", "yes"))).contains("\"refine\" must be true or false");
        assertThat(refused("/api/jobs", Map.of("series", server.series, "resolution", 8, "refine", true)))
                .contains("goes with resolution 1");
        assertThat(refused("/api/jobs", Map.of("series", server.series, "omit", List.of("Tumour"))))
                .contains("has no class Tumour").contains("Stroma, Epithelium");
        assertThat(refused("/api/jobs", Map.of("series", server.series, "omit", List.of("Stroma", "Epithelium"))))
                .contains("names every class");
        assertThat(refused("/api/jobs", Map.of("series", server.series, "omit", "Stroma"))).contains("must be a list of class names");
        assertThat(refused("/api/train", Map.of("slices", List.of(server.slices.get(0)), "live", false, "overview", 5)))
                .contains("2, 4 or 8").contains("not 5");

        api.send("POST", "/api/train", Map.of("slices", List.of(server.slices.get(0)), "live", false, "overview", 4)).ok();
        assertThat(refused("/api/jobs", Map.of("series", server.series, "resolution", 8)))
                .contains("has an overview at 1/4, not 1/8");
    }

    private String refused(String path, Map<String, Object> body) {
        TestApi.Response r = api.send("POST", path, body);
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        return r.json().get("error").asText();
    }

    @Override
    JsonNode run(Map<String, Object> body) {
        JsonNode done = super.run(body);
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("done");
        return done;
    }

    private List<LabelRaster> generated() {
        List<LabelRaster> out = new ArrayList<>();
        for (long slice : server.slices) {
            List<ClassifiedPolygon> polygons = server.generated(slice, TISSUES);
            for (ClassifiedPolygon p : polygons) {
                double[] c = p.polygon().shell().coordinates();
                for (double v : c) {
                    assertThat(v).as("a generated vertex lies in the slice's coordinates").isBetween(0.0, (double) SIDE);
                }
            }
            out.add(PolygonRasteriser.rasterise(polygons, SIDE, SIDE));
        }
        return out;
    }

    /** The area_px of one image's rows in the job's CSV, summed. */
    private static long areaPixels(String csv, int image) {
        long sum = 0;
        List<String> rows = csv.lines().skip(1).toList();
        String name = rows.get(image * 2).split(",")[0];
        for (String row : rows) {
            String[] cells = row.split(",");
            if (cells[0].equals(name)) {
                sum += Long.parseLong(cells[2]);
            }
        }
        return sum;
    }

    /** The share of pixels with the same class (a pixel no polygon covers agrees with nothing). */
    private static double agreement(LabelRaster a, LabelRaster b) {
        byte[] x = a.data(), y = b.data();
        long same = 0;
        for (int i = 0; i < x.length; i++) {
            same += x[i] == y[i] && x[i] != 0 ? 1 : 0;
        }
        return (double) same / x.length;
    }

    private static ClassifiedPolygon square(int cls, double x, double y) {
        return square(TISSUES.get(cls), x, y, 70);
    }

    /**
     * A 1024 x 1024 H&amp;E-like field: pink fibrous stroma on the left, epithelium on the right (a
     * wavy border) and as an island in the stroma: crowded purple nuclei on a lilac cytoplasm.
     */
    private static byte[] tissue(Random random, LabelRaster truth) throws IOException {
        double phase = random.nextDouble() * 6;
        double islandX = 300 + random.nextDouble() * 60, islandY = 560 + random.nextDouble() * 60;
        List<double[]> nuclei = new ArrayList<>();
        for (int i = 0; i < SIDE * SIDE / 260; i++) {
            nuclei.add(new double[] {random.nextDouble() * SIDE, random.nextDouble() * SIDE, 3 + random.nextDouble() * 2.5});
        }
        boolean[] nucleus = new boolean[SIDE * SIDE];
        for (double[] n : nuclei) {
            for (int y = (int) Math.max(0, n[1] - n[2]); y <= Math.min(SIDE - 1, n[1] + n[2]); y++) {
                for (int x = (int) Math.max(0, n[0] - n[2]); x <= Math.min(SIDE - 1, n[0] + n[2]); x++) {
                    if (Math.hypot(x - n[0], y - n[1]) <= n[2]) {
                        nucleus[y * SIDE + x] = true;
                    }
                }
            }
        }
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < SIDE; y++) {
            double border = 560 + 120 * Math.sin(y / 170.0 + phase);
            for (int x = 0; x < SIDE; x++) {
                boolean epithelium = x > border || Math.hypot(x - islandX, y - islandY) < 110;
                truth.set(x, y, epithelium ? 2 : 1);
                double r, g, b;
                if (epithelium) {
                    boolean n = nucleus[y * SIDE + x];
                    r = n ? 90 : 200;
                    g = n ? 60 : 150;
                    b = n ? 150 : 205;
                } else {
                    double fibre = 14 * Math.sin((x + 0.4 * y) / 5.0 + 3 * Math.sin(y / 40.0));
                    boolean n = nucleus[y * SIDE + x] && random.nextInt(12) == 0;
                    r = n ? 110 : 235 + fibre;
                    g = n ? 70 : 170 + fibre;
                    b = n ? 160 : 195 + fibre / 2;
                }
                image.setRGB(x, y, (clamp(r + random.nextGaussian() * 8) << 16) | (clamp(g + random.nextGaussian() * 8) << 8)
                        | clamp(b + random.nextGaussian() * 8));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}

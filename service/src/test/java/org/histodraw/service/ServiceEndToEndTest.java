package org.histodraw.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.forest.ForestSettings;
import org.histodraw.engine.labels.PolygonRasteriser;
import org.histodraw.engine.pipeline.ClassMapCollector;
import org.histodraw.engine.pipeline.LabelSource;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.pipeline.SegmentationScore;
import org.histodraw.engine.pipeline.TrainingImage;
import org.histodraw.engine.pipeline.TrainingSnapshot;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.vector.ClassMapVectoriser;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.slides.io.LabelImages;
import org.histodraw.slides.io.SlideImage;
import org.histodraw.slides.io.SlideImages;
import org.histodraw.slides.pipeline.Cancellation;
import org.histodraw.slides.pipeline.ModelTraining;
import org.histodraw.slides.pyramid.ProgressListener;
import org.histodraw.slides.pipeline.SlideSegmentation;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop with real parts on 127.0.0.1: an annotation server, slices uploaded through its
 * API, regions drawn on three of them, the service training on them, applying the model to the
 * series and sending the polygons back; the generated layer is read back from the server,
 * rasterised and scored against the truth.
 */
class ServiceEndToEndTest {
    static final ClassList NUCLEI = ClassList.named(List.of("Background", "Nucleus"));

    /** What one run of the loop gave. */
    record Outcome(double meanIou, List<List<String>> layers, double trainSeconds, double jobSeconds, JsonNode job,
                   String areasCsv, double retrainSeconds, JsonNode report) {
    }

    @Test
    void theGbmSeriesTaskThroughServerAndServiceReachesAMeanIouOfAtLeast080(@TempDir Path dir) throws Exception {
        Path folder = Path.of(System.getProperty("histodraw.data", "../shared/data"), "gbm-nuclei");
        Assumptions.assumeTrue(Files.isRegularFile(folder.resolve("20_truth.png")),
                "gbm-nuclei data not found at " + folder + ": skipping the end-to-end series task on real slides");
        List<byte[]> pngs = new ArrayList<>();
        List<LabelRaster> truths = new ArrayList<>();
        List<List<ClassifiedPolygon>> regions = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            pngs.add(Files.readAllBytes(folder.resolve(String.format(Locale.ROOT, "%02d.png", i))));
            truths.add(LabelImages.read(folder.resolve(String.format(Locale.ROOT, "%02d_truth.png", i))).labels());
            if (i <= 3) {
                LabelRaster scribbles = LabelImages.read(folder.resolve(String.format(Locale.ROOT, "%02d_scribbles.png", i))).labels();
                regions.add(ClassMapVectoriser.vectorise(scribbles, NUCLEI));
            }
        }
        Outcome first = runLoop(dir, "GBM", pngs, truths, regions, true);
        print("gbm-nuclei (20 slides)", first);
        assertThat(first.meanIou()).isGreaterThanOrEqualTo(0.80);
        // Issue 14: the service reads the original pixels (IIIF PNG cut from the uploaded file, no JPEG
        // round trip), so it scores what `histodraw segment` scores on the same files, within 0.5 points.
        double segment = segmentOnTheFiles(folder);
        System.out.printf(Locale.ROOT, "gbm-nuclei: mean IoU through server and service %.4f, histodraw segment on the files %.4f%n",
                first.meanIou(), segment);
        assertThat(Math.abs(first.meanIou() - segment)).as("service %.4f against segment %.4f", first.meanIou(), segment)
                .isLessThanOrEqualTo(0.005);
    }

    /** What {@code histodraw segment} gives on the same files with the default settings: mean IoU of its class maps. */
    private static double segmentOnTheFiles(Path folder) {
        List<TrainingImage> training = new ArrayList<>();
        List<SlideImage> open = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            SlideImage slide = SlideImages.open(folder.resolve(String.format(Locale.ROOT, "%02d.png", i)));
            open.add(slide);
            LabelRaster scribbles = LabelImages.read(folder.resolve(String.format(Locale.ROOT, "%02d_scribbles.png", i))).labels();
            training.add(new TrainingImage("slide " + i, slide, LabelSource.of(scribbles),
                    new TrainingSnapshot("slide " + i, slide.width(), slide.height(), List.of())));
        }
        SegmentationModel model = new ModelTraining(2, 512).train("gbm", FeatureSettings.defaults(), NUCLEI,
                ForestSettings.defaults(), training);
        open.forEach(SlideImage::close);
        double sum = 0;
        try (SlideSegmentation segmentation = new SlideSegmentation(model, 512, 2)) {
            for (int i = 1; i <= 20; i++) {
                try (SlideImage slide = SlideImages.open(folder.resolve(String.format(Locale.ROOT, "%02d.png", i)))) {
                    ClassMapCollector classes = new ClassMapCollector(slide.width(), slide.height());
                    segmentation.predict(slide, false, classes, ProgressListener.NONE, new Cancellation());
                    LabelRaster truth = LabelImages.read(folder.resolve(String.format(Locale.ROOT, "%02d_truth.png", i))).labels();
                    sum += SegmentationScore.compare(classes.classes(), truth, 2).meanIou();
                }
            }
        }
        return sum / 20;
    }

    @Test
    void theShippedFixtureSeriesIsSegmentedAndARerunGivesTheSameLayers(@TempDir Path dir) throws Exception {
        List<SyntheticSeries.Slide> series = SyntheticSeries.make(6, 256, 7);
        Outcome outcome = runLoop(dir, "Fixture", series.stream().map(SyntheticSeries.Slide::png).toList(),
                series.stream().map(SyntheticSeries.Slide::truth).toList(),
                series.subList(0, 3).stream().map(SyntheticSeries.Slide::regions).toList(), false);
        print("fixture (6 slides)", outcome);
        assertThat(outcome.meanIou()).isGreaterThanOrEqualTo(0.80);
        assertThat(outcome.areasCsv()).startsWith("image,class,area_px,area_um2,fraction\n");
        assertThat(outcome.areasCsv().lines()).hasSize(1 + 6 * 2);
    }

    /**
     * Uploads, draws, trains and applies through the service's HTTP API; scores each slice; with
     * {@code rerun}, runs the same job again and checks it gives the very same layers.
     */
    static Outcome runLoop(Path dir, String name, List<byte[]> pngs, List<LabelRaster> truths,
                           List<List<ClassifiedPolygon>> training, boolean rerun) throws Exception {
        try (AnnotationServer server = new AnnotationServer(dir.resolve("server")).project(name, pngs)) {
            for (int i = 0; i < training.size(); i++) {
                server.draw(server.slices.get(i), training.get(i));
            }
            int human0 = server.count(server.slices.get(0), "human");
            ServiceConfig config = ServiceConfig.of(URI.create(server.url), dir.resolve("service"))
                    .withPort(0).withThreads(2);
            try (SegmentationService service = SegmentationService.start(config)) {
                TestApi api = TestApi.withToken("http://127.0.0.1:" + service.port(), server.token);
                long t0 = System.nanoTime();
                JsonNode state = api.send("POST", "/api/train", Map.of("slices", server.slices.subList(0, training.size()),
                        "live", false)).ok();
                double trainSeconds = (System.nanoTime() - t0) / 1e9;
                String firstModel = state.get("model").get("id").asText();
                // Retraining on the same regions, as after an edit (pixels already fetched, JIT warm).
                long t1 = System.nanoTime();
                state = api.send("POST", "/api/train", Map.of("slices", server.slices.subList(0, training.size()),
                        "live", false)).ok();
                double retrainSeconds = (System.nanoTime() - t1) / 1e9;
                assertThat(state.get("model").get("id").asText()).as("same regions, same model").isEqualTo(firstModel);
                assertThat(state.get("report").get("classes")).hasSize(2);
                assertThat(state.get("report").get("outOfBagAccuracy").asDouble()).isGreaterThan(0.8);

                Outcome first = apply(api, server, truths, trainSeconds, retrainSeconds, state.get("report"));
                assertThat(server.count(server.slices.get(0), "human")).isEqualTo(human0);
                JsonNode provenance = server.owner.get("/api/v1/slices/" + server.slices.get(0) + "/regions?layer=generated")
                        .ok().get("features").get(0).get("properties").get("provenance");
                assertThat(provenance.get("service").asText()).isEqualTo(config.name());
                assertThat(provenance.get("modelId").asText()).isEqualTo(state.get("model").get("id").asText());
                assertThat(provenance.get("jobId").asText()).isEqualTo(first.job().get("id").asText());
                assertThat(provenance.get("trainingSlices")).hasSize(training.size());
                if (rerun) {
                    Outcome second = apply(api, server, truths, trainSeconds, retrainSeconds, state.get("report"));
                    assertThat(second.layers()).isEqualTo(first.layers());
                    assertThat(server.count(server.slices.get(0), "human")).isEqualTo(human0);
                }
                return first;
            }
        }
    }

    private static Outcome apply(TestApi api, AnnotationServer server, List<LabelRaster> truths, double trainSeconds,
                                 double retrainSeconds, JsonNode report) {
        long t0 = System.nanoTime();
        String job = api.send("POST", "/api/jobs", Map.of("series", server.series)).ok().get("id").asText();
        JsonNode done = api.await("/api/jobs/" + job, 600_000, "queued", "running", "publishing");
        double jobSeconds = (System.nanoTime() - t0) / 1e9;
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("done");
        assertThat(done.get("fraction").asDouble()).isEqualTo(1.0);
        double sum = 0;
        List<List<String>> layers = new ArrayList<>();
        for (int i = 0; i < server.slices.size(); i++) {
            List<ClassifiedPolygon> polygons = server.generated(server.slices.get(i), NUCLEI);
            layers.add(server.signature(server.slices.get(i)));
            LabelRaster truth = truths.get(i);
            sum += score(polygons, truth).meanIou();
        }
        String csv = api.get("/api/jobs/" + job + "/areas.csv").text();
        return new Outcome(sum / server.slices.size(), layers, trainSeconds, jobSeconds, done, csv, retrainSeconds, report);
    }

    private static void print(String what, Outcome o) {
        JsonNode r = o.report();
        double slices = 0, upload = 0;
        for (JsonNode s : o.job().get("slices")) {
            slices += s.get("seconds").asDouble();
            upload += s.get("uploadSeconds").asDouble();
        }
        System.out.printf(Locale.ROOT, "service end to end, %s: slices %.2f s in all, of which staging on the server %.2f s%n",
                what, slices, upload);
        System.out.printf(Locale.ROOT, "service end to end, %s: mean IoU %.3f; first training %.2f s, retraining %.2f s "
                        + "(regions %.2f s, features %.2f s, forest %.2f s; %d labelled pixels); job %.2f s%n", what, o.meanIou(),
                o.trainSeconds(), o.retrainSeconds(), r.get("fetchSeconds").asDouble(), r.get("featureSeconds").asDouble(),
                r.get("forestSeconds").asDouble(), r.get("samples").asLong(), o.jobSeconds());
    }

    /** The polygons rasterised (pixels no polygon covers count as background) against the truth. */
    static SegmentationScore score(List<ClassifiedPolygon> polygons, LabelRaster truth) {
        LabelRaster predicted = PolygonRasteriser.rasterise(polygons, truth.width(), truth.height());
        byte[] d = predicted.data();
        for (int i = 0; i < d.length; i++) {
            if (d[i] == 0) {
                d[i] = 1;
            }
        }
        return SegmentationScore.compare(predicted, truth, 2);
    }
}

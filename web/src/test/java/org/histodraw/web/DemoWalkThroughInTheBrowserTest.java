package org.histodraw.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.histodraw.service.SegmentationService;
import org.histodraw.service.ServiceConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;

/**
 * The demo walked through as a pathologist would, in one browser session with no console error:
 * log in, open the IHC project (stain H-DAB), draw a region, open the segmentation panel on the
 * slice in view (its training regions shown, the slice ticked), train, see the prediction, the
 * uncertainty with its legend and the charts, apply the model to the series, accept the results of
 * another slice into the annotations, measure them, export them; and the service opened on its own
 * links back to the viewer. Also takes the screenshots of docs/viewer.md.
 */
class DemoWalkThroughInTheBrowserTest extends InTheBrowser {
    static final Path DEMO = Path.of("../app/src/main/resources/org/histodraw/app/demo");
    static long project;
    static long series;
    static final List<Long> slices = new ArrayList<>();
    static SegmentationService service;

    @BeforeAll
    static void demo() throws IOException {
        Browser.assumeInstalled();
        site = keep(new Site(dir));
        // The demo's project, as `histodraw demo` seeds it: three IHC slices, the shipped regions on
        // the first, classes in colours no stain has, stain H-DAB.
        byte[] regions = Files.readAllBytes(DEMO.resolve("ihc-regions.geojson"));
        project = site.call("POST", "/api/v1/projects", Map.of("name", "Colonic glands (IHC demo)")).get("id").asLong();
        List<Map<String, String>> ontology = new ArrayList<>();
        for (JsonNode f : Site.JSON.readTree(regions).get("features")) {
            JsonNode c = f.at("/properties/classification");
            String colour = String.format("#%02x%02x%02x", c.at("/color/0").asInt(), c.at("/color/1").asInt(), c.at("/color/2").asInt());
            if (ontology.stream().noneMatch(o -> o.get("name").equals(c.get("name").asText()))) {
                ontology.add(Map.of("name", c.get("name").asText(), "color", colour));
            }
        }
        site.call("PUT", "/api/v1/projects/" + project + "/ontology", ontology);
        site.call("PUT", "/api/v1/projects/" + project, Map.of("stain", "hdab"));
        site.call("PUT", "/api/v1/projects/" + project + "/members/edith", Map.of("role", "editor"));
        series = site.call("POST", "/api/v1/projects/" + project + "/series", Map.of("name", "IHC sections")).get("id").asLong();
        BufferedImage ihc = ImageIO.read(DEMO.resolve("ihc.png").toFile());
        AffineTransform mirror = AffineTransform.getScaleInstance(-1, 1);
        mirror.translate(-ihc.getWidth(), 0);
        AffineTransform turn = AffineTransform.getQuadrantRotateInstance(1, ihc.getWidth() / 2.0, ihc.getHeight() / 2.0);
        BufferedImage[] variants = {ihc, new AffineTransformOp(mirror, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(ihc, null),
            new AffineTransformOp(turn, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(ihc, null)};
        String[] names = {"ihc.png", "ihc-mirrored.png", "ihc-rotated.png"};
        for (int i = 0; i < 3; i++) {
            Path file = dir.resolve(names[i]);
            ImageIO.write(variants[i], "png", file.toFile());
            slices.add(site.server.ingest(series, file, names[i], (double) i).id());
        }
        site.call("POST", "/api/v1/slices/" + slices.get(0) + "/import?format=geojson", Site.JSON.readTree(regions));
        // The segmentation service beside the server, as in the demo: it holds no token, each caller sends theirs.
        service = SegmentationService.start(ServiceConfig.of(URI.create(site.base), dir.resolve("service"))
                .withPort(0).withThreads(2));
        keep((AutoCloseable) service::close);
        site.call("POST", "/api/v1/services", Map.of("name", "Segmentation service", "url", service.url()));
        b = browser("edith");
    }

    String panelStatus() {
        return String.valueOf(b.js("return document.getElementById('seg-status').textContent"));
    }

    /**
     * A slide left open for the hour a service token lives: the viewer renews the token a minute
     * before its end and hands the new one to the preview's tiles. The old token revoked (as if
     * expired), the tiles the user zooms to still load.
     */
    void slideLeftOpenPastItsServiceToken() {
        String classes = "window.histodraw.segmentation.layers.classes";
        String old = (String) b.js("return " + classes + ".ajaxHeaders.Authorization");
        assertThat(old).startsWith("Bearer ");
        // The token has half a minute left of its hour (its end moved, not the clock).
        b.js("window.histodraw.segmentation.client.current.expires = Date.now() + 30000");
        b.waitFor(Duration.ofSeconds(10), d -> !old.equals(b.js("return " + classes + ".ajaxHeaders.Authorization")));
        String tile = (String) b.js("const s = " + classes + ".source; return s.getTileUrl(s.maxLevel, 0, 0)");
        assertThat(bearerGet(tile, old)).as("the old token works until it is revoked").isEqualTo(200);
        assertThat(bearerDelete(site.base + "/api/v1/auth/token", old)).isEqualTo(204);
        // The service remembers a token's answer for 15 s; after that the old one is refused...
        b.waitFor(Duration.ofSeconds(40), d -> bearerGet(tile, old) == 401);
        // ... and the tiles come with the new one. The layer's cached tiles are dropped first, as a
        // slide open for an hour has long dropped them, so that every tile in view is fetched again.
        b.js("const l = " + classes + "; window.__tiles = {loaded: 0, failed: 0};"
                + "window.histodraw.viewer.addHandler('tile-loaded', e => { if (e.tiledImage === l) window.__tiles.loaded++; });"
                + "window.histodraw.viewer.addHandler('tile-load-failed', e => { if (e.tiledImage === l) window.__tiles.failed++; });"
                + "l.reset();");
        b.driver.findElement(By.cssSelector("#osd div[title='Zoom in' i]")).click();
        b.waitFor(Duration.ofSeconds(60), d -> Boolean.TRUE.equals(b.js("return " + classes + ".getFullyLoaded()"))
                && ((Number) b.js("return window.__tiles.loaded")).intValue() > 0);
        assertThat(((Number) b.js("return window.__tiles.failed")).intValue()).as("preview tiles refused").isZero();
        b.driver.findElement(By.cssSelector("#osd div[title='Go home' i]")).click();
    }

    private static int bearerGet(String url, String authorization) {
        return bearer(HttpRequest.newBuilder(URI.create(url)).GET(), authorization);
    }

    private static int bearerDelete(String url, String authorization) {
        return bearer(HttpRequest.newBuilder(URI.create(url)).DELETE(), authorization);
    }

    private static int bearer(HttpRequest.Builder request, String authorization) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.header("Authorization", authorization).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void loginDrawTrainApplyAcceptMeasureExport() throws IOException {
        // Log in (done by browser()), pick the project: its stain is H-DAB; open the first slice.
        b.open("#/");
        b.waitFor(d -> d.findElement(By.linkText("Colonic glands (IHC demo)"))).click();
        b.waitFor(d -> d.findElement(By.id("project-stain")));
        assertThat(b.js("return document.getElementById('project-stain').value")).isEqualTo("hdab");
        b.waitFor(d -> d.findElement(By.cssSelector("li[data-slice='" + slices.get(0) + "'] a"))).click();
        b.waitFor(d -> Boolean.TRUE.equals(b.js("return !!(window.histodraw && window.histodraw.ready())")));
        b.waitSaved();
        long shipped = b.regionCount();
        assertThat(shipped).isPositive();

        // Draw: one more Stroma region with the polygon tool.
        b.tool("polygon");
        b.chooseClass("Stroma");
        b.clickImage(200, 215);
        b.clickImage(245, 210);
        b.clickImage(250, 250);
        b.clickImage(205, 255);
        b.press(Keys.ENTER);
        b.waitSaved();
        assertThat(b.regionCount()).isEqualTo(shipped + 1);
        b.tool("select");
        b.screenshot("walk-viewer-annotations");
        Screenshots.forDocs(b, "viewer-annotations");

        // The segmentation panel, on the slice in view: ticked, its classes listed, trained on H-DAB.
        b.driver.findElement(By.id("segmentation-open")).click();
        b.waitFor(Duration.ofSeconds(30), d -> d.findElements(By.cssSelector("#seg-classes input.seg-class")).size() == 3);
        assertThat(b.js("return document.querySelector(\"input.seg-train[value='" + slices.get(0) + "']\").checked")).isEqualTo(true);
        assertThat(b.js("return document.querySelector(\"input.seg-train[value='" + slices.get(1) + "']\").checked")).isEqualTo(false);
        assertThat(b.driver.findElement(By.id("seg-stain")).getText()).contains("H-DAB");
        b.driver.findElement(By.id("seg-train")).click();
        b.waitFor(Duration.ofSeconds(120), d -> d.findElements(By.cssSelector("#seg-oob tr")).size() == 5);
        assertThat(b.driver.findElement(By.id("seg-oob")).getText()).contains("Epithelium", "Stroma", "Lumen", "%");
        @SuppressWarnings("unchecked")
        List<String> features = (List<String>) b.js("return window.histodraw.segmentation.charts.importances.data.labels");
        assertThat(features).as("the forest's features, on the project's stain").anyMatch(f -> f.contains("DAB")).noneMatch(f -> f.contains("Eosin"));
        // The prediction over the slide, then the uncertainty with its legend.
        b.waitFor(Duration.ofSeconds(60), d -> Boolean.TRUE.equals(b.js(
                "const l = window.histodraw.segmentation.layers.classes; return !!l && l.getFullyLoaded()")));
        assertThat(((Number) b.js("return window.histodraw.viewer.world.getIndexOfItem(window.histodraw.segmentation.layers.classes)")).intValue())
                .as("the prediction lies over the slide").isPositive();
        b.driver.findElement(By.id("seg-uncertainty")).click();
        b.waitFor(Duration.ofSeconds(60), d -> Boolean.TRUE.equals(b.js(
                "const l = window.histodraw.segmentation.layers.uncertainty; return !!l && l.getFullyLoaded()")));
        assertThat(b.js("return getComputedStyle(document.getElementById('seg-legend')).backgroundImage")).asString().contains("linear-gradient");
        b.driver.findElement(By.id("seg-uncertainty")).click();
        slideLeftOpenPastItsServiceToken();

        // Apply to the series; follow the job to its end; the areas along the series.
        b.driver.findElement(By.id("seg-start")).click();
        b.waitFor(Duration.ofSeconds(180), d -> d.findElement(By.id("seg-job")).getText().contains(": done 100 %"));
        assertThat(b.driver.findElement(By.id("seg-job")).getText()).contains("done: its layer \"generated\" holds the result")
                .doesNotContain("staged");
        b.waitFor(Duration.ofSeconds(30), d -> Boolean.TRUE.equals(b.js("return !!window.histodraw.segmentation.charts.areas")));
        @SuppressWarnings("unchecked")
        List<String> axis = (List<String>) b.js("return window.histodraw.segmentation.charts.areas.data.labels");
        assertThat(axis).containsExactly("ihc.png", "ihc-mirrored.png", "ihc-rotated.png");
        assertThat(b.js("return window.histodraw.segmentation.charts.areas.data.datasets.find(d => d.label === 'Epithelium').borderColor"))
                .isEqualTo("#00c853");
        b.js("document.getElementById('seg-areas').scrollIntoView({ block: 'end' })");
        b.screenshot("walk-service-panel");
        Screenshots.forDocs(b, "service-panel");
        b.js("window.__downloads = []; const make = URL.createObjectURL; URL.createObjectURL = (blob) => { window.__downloads.push(blob); return make(blob); };");
        b.driver.findElement(By.id("seg-csv")).click();
        b.waitFor(d -> ((Number) b.js("return window.__downloads.length")).intValue() == 1);
        assertThat((String) b.js("return window.__downloads[0].text()")).startsWith("image,class,area_px");

        // Results of tens of regions per slice, not thousands.
        int generated = site.call("GET", "/api/v1/slices/" + slices.get(1) + "/regions?layer=generated", null).get("features").size();
        System.out.println("generated regions on the mirrored demo slice: " + generated);
        assertThat(generated).isBetween(5, 200);

        // The next slice: accept every result into the annotations, then measure and export them.
        b.driver.findElement(By.id("seg-close")).click();
        b.press(".");
        b.waitFor(d -> d.getCurrentUrl().endsWith("#/slices/" + slices.get(1)));
        // (The download hook stays: moving along the series does not reload the page.)
        b.js("window.__downloads = []");
        b.waitFor(d -> d.getCurrentUrl().endsWith("#/slices/" + slices.get(1)));
        b.waitFor(d -> Boolean.TRUE.equals(b.js("return !!(window.histodraw && window.histodraw.ready())")));
        b.waitFor(Duration.ofSeconds(20), d -> ((Number) b.js(
                "return [...window.histodraw.store.items.values()].filter(i => i.data.layer === 'generated').length")).intValue() == generated);
        b.driver.findElement(By.cssSelector("#layers li[data-layer='generated'] button.accept-layer")).click();
        b.waitFor(Duration.ofSeconds(20), d -> b.regionCount() == generated);
        b.waitSaved();
        JsonNode human = site.regions(slices.get(1)).get("features");
        assertThat(human).hasSize(generated);
        assertThat(human.get(0).at("/properties/provenance/acceptedFrom/provenance/service").asText()).isNotEmpty();

        b.driver.findElement(By.id("measurements-open")).click();
        b.waitFor(d -> d.findElements(By.cssSelector("#region-table tbody tr")).size() == Math.min(generated, 1000));
        assertThat(b.driver.findElement(By.id("class-totals")).getText()).contains("Epithelium");
        assertThat(b.driver.findElement(By.id("series-totals")).getText()).contains("ihc.png", "ihc-mirrored.png");
        b.screenshot("walk-measurement-table");
        Screenshots.forDocs(b, "measurement-table");
        b.js("window.__downloads = []");
        b.driver.findElement(By.id("measurements-csv")).click();
        assertThat(((String) b.js("return window.__downloads[0].text()")).split("\r?\n")).hasSize(generated + 1);
        b.press(Keys.ESCAPE);
        b.waitFor(d -> d.findElements(By.id("measurements-dialog")).isEmpty());

        b.js("window.__downloads = []");
        b.driver.findElement(By.id("export")).click();
        b.waitFor(d -> ((Number) b.js("return window.__downloads.length")).intValue() >= 1);
        JsonNode exported = Site.JSON.readTree((String) b.js("return window.__downloads[0].text()"));
        assertThat(exported.get("features")).as("the accepted regions, exported for QuPath").hasSize(generated);

        // The service on its own links back to the viewer, on the slice it was opened from.
        b.driver.get(service.url() + "?server=" + site.base + "&slice=" + slices.get(1));
        String back = b.waitFor(d -> {
            String href = d.findElement(By.id("open-viewer")).getAttribute("href");
            return href.contains("#/slices/") ? href : null;
        });
        assertThat(back).isEqualTo(site.base + "/#/slices/" + slices.get(1) + "?panel=segmentation");
        b.driver.findElement(By.id("open-viewer")).click();
        b.waitFor(Duration.ofSeconds(30), d -> Boolean.FALSE.equals(b.js("return document.getElementById('segmentation').hidden")));
        b.waitFor(Duration.ofSeconds(30), d -> b.js("return document.getElementById('seg-about').href").toString().startsWith(service.url()));
    }

    /**
     * "Estimate from this slide" (issue 16.8): the owner measures the IHC slide's hematoxylin and DAB,
     * keeps them as the project's, the segmentation panel says so and the model it trains records them
     * in its feature settings; on the project page they are shown and reset to the preset.
     */
    @Test
    void theOwnerEstimatesTheStainsFromTheSlideAndTheModelTrainsOnThem() {
        Browser owner = browser(Site.ADMIN);
        owner.openSlice(slices.get(0));
        owner.driver.findElement(By.id("stain-estimate-run")).click();
        String measured = owner.waitFor(Duration.ofSeconds(30), d -> d.findElement(By.id("stain-estimate-values"))).getText();
        assertThat(measured).contains("Hematoxylin", "DAB", "° from the preset");
        owner.driver.findElement(By.id("stain-estimate-use")).click();
        owner.waitFor(d -> d.findElement(By.id("stain-vectors-origin")).getText().contains("estimated from ihc.png"));
        JsonNode kept = site.call("GET", "/api/v1/projects/" + project, null).get("stainVectors");
        assertThat(kept.get("custom").asBoolean()).isTrue();
        assertThat(kept.get("estimatedFrom").asLong()).isEqualTo(slices.get(0));
        String vectors = kept.get("vectors").asText();
        owner.js("document.getElementById('stain').scrollIntoView()");
        owner.screenshot("walk-stain-estimate");
        Screenshots.forDocs(owner, "stain-estimate");

        owner.driver.findElement(By.id("segmentation-open")).click();
        owner.waitFor(Duration.ofSeconds(30), d -> d.findElements(By.cssSelector("#seg-classes input.seg-class")).size() == 3);
        assertThat(owner.driver.findElement(By.id("seg-stain")).getText()).contains("H-DAB", "estimated from ihc.png");
        owner.driver.findElement(By.id("seg-train")).click();
        String features = owner.waitFor(Duration.ofSeconds(120), d -> {
            String text = d.findElement(By.id("seg-features")).getText();
            return text.contains("stains=") ? text : null;
        });
        assertThat(features).as("the model records the project's vectors").contains("channels=hdab", "stains=" + vectors);

        // On the project page: shown, and reset to the preset by the owner.
        owner.open("#/projects/" + project);
        owner.waitFor(d -> d.findElement(By.id("stain-vectors-origin")).getText().contains("estimated from ihc.png"));
        assertThat(owner.driver.findElement(By.id("stain-vectors-text")).getAttribute("value")).isEqualTo(vectors);
        owner.driver.findElement(By.id("stain-vectors-reset")).click();
        owner.waitFor(d -> d.findElement(By.id("stain-vectors-origin")).getText().contains("preset"));
        assertThat(site.call("GET", "/api/v1/projects/" + project, null).at("/stainVectors/custom").asBoolean()).isFalse();
    }

    /**
     * A tissue map of the series from the panel (QuPath's "resolution" choice), by an editor in a
     * workspace of her own: she asks for an overview at 1/8 beside the model, trains, picks the tissue
     * map under Apply (not offered before) and regions of the epithelium only, and the job publishes
     * regions that say so.
     */
    @Test
    void anEditorAppliesATissueMapFromTheOverviewTrainedBesideTheModel() {
        Browser edith = browser("edith");
        edith.openSlice(slices.get(0));
        edith.driver.findElement(By.id("segmentation-open")).click();
        edith.waitFor(Duration.ofSeconds(30), d -> d.findElements(By.cssSelector("#seg-classes input.seg-class")).size() == 3);
        assertThat(edith.js("return document.querySelector(\"#seg-resolution option[value='map']\").disabled")).isEqualTo(true);
        new Select(edith.driver.findElement(By.id("seg-overview"))).selectByVisibleText("1/8");
        edith.driver.findElement(By.id("seg-train")).click();
        edith.waitFor(Duration.ofSeconds(120), d -> !d.findElements(By.id("seg-oob-overview")).isEmpty());
        assertThat(edith.driver.findElement(By.id("seg-oob-overview")).getText()).contains("Overview at 1/8", "%");
        new Select(edith.driver.findElement(By.id("seg-resolution"))).selectByVisibleText("a tissue map at 1/8");
        // regions of the glands only: the stroma and lumen are measured, not drawn
        edith.driver.findElement(By.cssSelector("input.seg-publish[value='Stroma']")).click();
        edith.driver.findElement(By.cssSelector("input.seg-publish[value='Lumen']")).click();
        edith.driver.findElement(By.id("seg-start")).click();
        edith.waitFor(Duration.ofSeconds(180), d -> d.findElement(By.id("seg-job")).getText().contains(": done 100 %"));
        assertThat(edith.driver.findElement(By.id("seg-job-prediction")).getText()).isEqualTo("Predicting a tissue map at 1/8");
        // Every slice of the series, as the job maps them all: how many glands each map keeps at 1/8
        // depends on the strokes the earlier walk drew, so the series is judged, not one slice.
        List<JsonNode> generated = new ArrayList<>();
        for (long slice : slices) {
            JsonNode features = site.call("GET", "/api/v1/slices/" + slice + "/regions?layer=generated", null).get("features");
            System.out.println("tissue-map regions on slice " + slice + ": " + features.size());
            features.forEach(generated::add);
        }
        assertThat(generated).isNotEmpty().allSatisfy(f -> {
            assertThat(f.at("/properties/classification/name").asText()).isEqualTo("Epithelium");
            assertThat(f.at("/properties/provenance/resolution").asInt()).isEqualTo(8);
        });
    }

    @Test
    void brightnessContrastAndGammaChangeOnlyWhatIsShown() {
        b.openSlice(slices.get(2));
        b.js("const s = document.getElementById('display-gamma'); s.value = 1.8; s.dispatchEvent(new Event('input'));");
        assertThat(b.js("return window.histodraw.viewer.drawer.canvas.style.filter")).asString().startsWith("url(");
        b.js("const s = document.getElementById('display-gamma'); s.value = 1; s.dispatchEvent(new Event('input'));");
        assertThat(b.js("return window.histodraw.viewer.drawer.canvas.style.filter")).isEqualTo("");
    }
}

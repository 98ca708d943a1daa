package org.histodraw.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/** Uploading a slide with its progress, importing regions from QuPath, moving along the series. */
class SlidesAndFilesInTheBrowserTest extends InTheBrowser {

    @BeforeAll
    static void start() {
        start(Site.ADMIN);
    }

    @Test
    void uploadingASlideShowsProgressAndAddsItToTheSeries() throws Exception {
        Path png = dir.resolve("section-003.png");
        ImageIO.write(new BufferedImage(3000, 2000, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        b.open("#/projects/" + site.projectId);
        // The pixel size is asked with the upload (the file does not record one).
        b.waitFor(d -> d.findElement(By.cssSelector(".upload-mpp"))).sendKeys("0.25");
        b.driver.findElement(By.cssSelector(".upload-input")).sendKeys(png.toString());
        b.waitFor(d -> d.findElement(By.cssSelector(".upload progress")));
        b.waitFor(Duration.ofSeconds(60), d -> site.call("GET", "/api/v1/series/" + site.seriesId, null).get("slices").size() == 3);
        b.waitFor(d -> d.findElements(By.cssSelector(".slices li")).size() == 3);
        JsonNode added = site.call("GET", "/api/v1/series/" + site.seriesId, null).get("slices").get(2);
        assertThat(added.get("micronsPerPixel").asDouble()).isEqualTo(0.25);
        assertThat(b.driver.findElement(By.cssSelector(".slices li[data-slice='" + added.get("id").asLong() + "'] .facts")).getText())
                .contains("0.25 µm/px");
        assertThat(b.pageErrors()).isEqualTo("[]");

        Path broken = dir.resolve("broken.png");
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        b.driver.findElement(By.cssSelector(".upload-input")).sendKeys(broken.toString());
        String message = b.waitFor(d -> d.findElement(By.cssSelector(".upload.failed")).getText());
        assertThat(message).contains("broken.png");
    }

    @Test
    void importingQupathGeoJsonShowsTheRegionsSaysWhatWasLeftOutAndTheSliderMovesAlongTheSeries() throws Exception {
        long slice = site.sliceIds.get(1);
        Path file = dir.resolve("section-002.geojson");
        Files.writeString(file, """
                {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Polygon",
                 "coordinates": [[[100, 100], [400, 100], [400, 400], [100, 400], [100, 100]]]},
                 "properties": {"objectType": "annotation", "classification": {"name": "Grey matter", "color": [229, 57, 53]}}},
                 {"type": "Feature", "geometry": {"type": "MultiPoint", "coordinates": [[10, 10], [20, 20]]},
                  "properties": {"objectType": "annotation"}}]}""");
        b.openSlice(site.sliceIds.get(0));
        b.driver.findElement(By.cssSelector("#slice-label"));
        b.press(".");
        b.waitFor(d -> d.getCurrentUrl().endsWith("#/slices/" + slice));
        b.waitFor(d -> Boolean.TRUE.equals(b.js("return !!(window.histodraw && window.histodraw.ready())")));
        b.waitSaved();
        long before = b.regionCount();
        b.driver.findElement(By.id("import-file")).sendKeys(file.toString());
        b.waitFor(d -> b.regionCount() == before + 1);
        String toast = b.driver.findElement(By.cssSelector("#toasts .toast")).getText();
        assertThat(toast).as("the point is reported, not dropped without a word")
                .contains("Imported 1 region").contains("1 left out: feature 1 is a point");
        JsonNode features = site.regions(slice).get("features");
        assertThat(features).hasSize((int) before + 1);
        assertThat(b.pageErrors()).isEqualTo("[]");
    }

    /**
     * A QuPath object keeps what it came with (name, measurements, metadata) when the user changes its
     * class, and when a deletion is undone; the detections of the same file arrive as the layer
     * "detections", shown at once, without reloading the page.
     */
    @Test
    void anImportedQupathObjectKeepsItsNameAndMeasurementsThroughEditsAndItsDetectionsShowAtOnce() throws Exception {
        long slice = site.sliceIds.get(0);
        site.clear(slice);
        Path file = dir.resolve("section-001-qupath.geojson");
        StringBuilder detections = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            int x = 900 + i * 60;
            detections.append(",").append("""
                    {"type": "Feature", "id": "0b8f6a52-4d7e-4f7a-9c1e-00000000000%d", "geometry": {"type": "Polygon",
                     "coordinates": [[[%d, 700], [%d, 700], [%d, 740], [%d, 740], [%d, 700]]]},
                     "properties": {"objectType": "detection", "classification": {"name": "White matter", "color": [30, 136, 229]}}}"""
                    .formatted(i, x, x + 40, x + 40, x, x));
        }
        Files.writeString(file, """
                {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "3f1b1a5e-8c9d-4e0f-9a41-0a6c2b1d7e11",
                 "geometry": {"type": "Polygon", "coordinates": [[[200, 200], [500, 200], [500, 450], [200, 450], [200, 200]]]},
                 "properties": {"objectType": "annotation", "name": "Gland 7", "classification": {"name": "Grey matter", "color": [229, 57, 53]},
                  "measurements": {"Area µm^2": 75000.0, "Num Detections": 3}, "metadata": {"scanner": "GT450"}}}%s]}"""
                .formatted(detections));
        b.openSlice(slice);
        assertThat(b.driver.findElements(By.cssSelector("#layers li[data-layer='detections']"))).isEmpty();
        b.driver.findElement(By.id("import-file")).sendKeys(file.toString());
        b.waitFor(d -> b.regionCount() == 1);
        // The layer list is drawn again as the import's items arrive: the entry is looked up anew
        // at each poll (a kept reference went stale in one CI run).
        b.waitFor(Duration.ofSeconds(10),
                d -> d.findElement(By.cssSelector("#layers li[data-layer='detections']")).getText().contains("(3)"));
        assertThat(((Number) b.js("return [...window.histodraw.store.items.values()].filter(i => i.data.layer === 'detections').length")).intValue())
                .as("the detections are drawn").isEqualTo(3);

        // What it came with is shown, and kept when the class changes.
        b.tool("select");
        b.clickImage(350, 320);
        b.waitFor(d -> d.findElement(By.id("selection-name")).getText().contains("Gland 7"));
        assertThat(b.driver.findElement(By.id("selection-imported")).getText()).contains("Num Detections", "Area µm^2");
        b.pressWith("2", Keys.SHIFT);
        b.waitSaved();
        JsonNode region = human(slice).get(0);
        assertThat(region.at("/properties/classification/name").asText()).isEqualTo("White matter");
        assertThat(region.at("/properties/name").asText()).isEqualTo("Gland 7");
        assertThat(region.at("/properties/measurements/Num Detections").asInt()).isEqualTo(3);
        assertThat(region.at("/properties/measurements/Area µm^2").asDouble()).isEqualTo(75000.0);
        assertThat(region.at("/properties/metadata/scanner").asText()).isEqualTo("GT450");

        // Deleted, then brought back by undo: with its name and measurements.
        b.press(Keys.DELETE);
        b.waitSaved();
        assertThat(human(slice)).isEmpty();
        b.pressWith("z", Keys.CONTROL);
        b.waitSaved();
        JsonNode back = human(slice).get(0);
        assertThat(back.at("/properties/name").asText()).isEqualTo("Gland 7");
        assertThat(back.at("/properties/measurements/Num Detections").asInt()).isEqualTo(3);
        assertThat(back.at("/properties/classification/name").asText()).isEqualTo("White matter");
    }

    private static JsonNode human(long slice) {
        return site.call("GET", "/api/v1/slices/" + slice + "/regions?layer=human", null).get("features");
    }
}

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
}

package org.histodraw.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.histodraw.slides.io.SlideImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * What a slide's file knows, as the project page and the viewer show it from the real API (issues
 * 14.4 and 16.6): format, objective, pixel size, thumbnail, label and macro of an Aperio SVS made by
 * vips with its associated images, and of openslide-python's small.svs; the owner sets the pixel size
 * of a slide that has none, in the viewer and on the project page, and areas, lengths and the scale
 * bar change to µm at once.
 */
class SlideMetadataInTheBrowserTest extends InTheBrowser {

    @BeforeAll
    static void start() {
        start(Site.ADMIN);
    }

    /** Whether an image element has arrived and decoded (its natural size, 0 when it failed). */
    private int[] loaded(WebElement img) {
        b.waitFor(d -> Boolean.TRUE.equals(b.js("return arguments[0].complete && arguments[0].naturalWidth > 0", img)));
        @SuppressWarnings("unchecked")
        List<Number> size = (List<Number>) b.js("return [arguments[0].naturalWidth, arguments[0].naturalHeight]", img);
        return new int[] {size.get(0).intValue(), size.get(1).intValue()};
    }

    @Test
    void theProjectPageAndTheViewerShowWhatAnAperioFileKnowsWithItsLabelAndMacro() throws Exception {
        Path svs = AperioSlide.withLabelAndMacro(Site.section(1500, 1000, 3), dir);
        long id = site.server.ingest(site.seriesId, svs, "HD-0042.svs", 5.0, null).id();

        b.open("#/projects/" + site.projectId);
        WebElement item = b.waitFor(d -> d.findElement(By.cssSelector(".slices li[data-slice='" + id + "']")));
        assertThat(item.findElement(By.cssSelector(".facts")).getText()).isEqualTo("Aperio SVS · 40x objective · 0.25 µm/px");
        int[] thumbnail = loaded(item.findElement(By.cssSelector("img.thumbnail")));
        assertThat(thumbnail[0]).as("the file's own thumbnail").isEqualTo(400);
        int[] label = loaded(item.findElement(By.cssSelector("img.label")));
        assertThat(label).as("the label, as the scanner photographed it").containsExactly(300, 200);
        assertThat(b.js("""
                return [...document.querySelectorAll('.slices li')].some((li) => {
                  const box = li.getBoundingClientRect();
                  return [...li.querySelectorAll('img')].some((img) => img.getBoundingClientRect().right > box.right + 1);
                });
                """)).as("the label makes its slice wider, it does not lie over the next slice").isEqualTo(false);
        Screenshots.forDocs(b, "project-slides");

        b.openSlice(id);
        String facts = b.driver.findElement(By.id("slide-facts")).getText();
        assertThat(facts).contains("1,500 × 1,000 px", "Aperio SVS", "40x objective", "0.25 µm/px");
        for (String[] image : new String[][] {{"label", "300"}, {"macro", "800"}, {"thumbnail", "400"}}) {
            WebElement figure = b.driver.findElement(By.cssSelector("#associated-images figure[data-image='" + image[0] + "']"));
            assertThat(loaded(figure.findElement(By.tagName("img")))[0]).as(image[0]).isEqualTo(Integer.parseInt(image[1]));
            assertThat(figure.findElement(By.tagName("a")).getAttribute("href")).endsWith("/api/v1/slices/" + id + "/associated/" + image[0]);
        }
        assertThat(b.driver.findElement(By.id("slide-size")).getText()).contains("0.25 µm/px");
        assertThat(b.js("return document.querySelector('.scalebar').textContent")).asString().matches(".*(µm|mm)");
        b.js("document.getElementById('slide-info').scrollIntoView()");
        b.screenshot("slide-metadata");
        Screenshots.forDocs(b, "slide-metadata");
    }

    @Test
    void openslidePythonsSmallSvsShowsItsScannersFacts() throws Exception {
        Path small = Path.of(System.getProperty("histodraw.data", "../../shared/data")).resolve("wsi/small.svs");
        assumeTrue(Files.isRegularFile(small), "shared test data absent: " + small);
        assumeTrue(SlideImages.openSlideAvailable(), "OpenSlide is not installed (apt-get install libopenslide0): skipping");
        long id = site.server.ingest(site.seriesId, small, "CMU-1 corner.svs", 6.0, null).id();
        b.openSlice(id);
        assertThat(b.driver.findElement(By.id("slide-facts")).getText()).contains("16 × 16 px", "Aperio SVS", "20x objective", "0.499 µm/px");
        WebElement thumbnail = b.driver.findElement(By.cssSelector("#associated-images figure[data-image='thumbnail'] img"));
        assertThat(loaded(thumbnail)[0]).as("cut from the slide: the file has none").isPositive();
    }

    @Test
    void theOwnerSetsAPixelSizeAndAreasLengthsAndTheScaleBarTurnToMicrons() {
        long slice = site.sliceIds.get(0); // its file records no pixel size
        site.clear(slice);
        site.call("POST", "/api/v1/slices/" + slice + "/regions", Map.of("type", "Feature", "geometry", Map.of("type", "Polygon",
                "coordinates", List.of(List.of(List.of(100, 100), List.of(300, 100), List.of(300, 200), List.of(100, 200), List.of(100, 100)))),
                "properties", Map.of("classification", Map.of("name", "Grey matter"))));
        b.openSlice(slice);
        b.tool("select");
        b.clickImage(200, 150);
        b.waitFor(d -> d.findElement(By.id("selection-measures")).getText().contains("20,000 px²"));
        assertThat(b.driver.findElement(By.id("slide-facts")).getText()).contains("pixel size unknown");
        assertThat(b.js("return document.querySelector('.scalebar').textContent")).asString().endsWith("px");

        b.driver.findElement(By.id("edit-mpp")).click();
        WebElement value = b.driver.findElement(By.cssSelector("#slide-info .mpp-value"));
        value.sendKeys("0");
        value.sendKeys(Keys.ENTER);
        assertThat(b.js("return arguments[0].validity.valid", value)).as("0 µm is no pixel size: the form refuses it").isEqualTo(false);
        assertThat(site.call("GET", "/api/v1/slices/" + slice, null).get("micronsPerPixel").isNull()).isTrue();
        value.clear();
        value.sendKeys("0.5");
        value.sendKeys(Keys.ENTER);
        // 20,000 px² at 0.5 µm/px is 5,000 µm²; the perimeter 600 px is 300 µm.
        b.waitFor(d -> d.findElement(By.id("selection-measures")).getText().contains("5,000 µm²"));
        assertThat(b.driver.findElement(By.id("selection-measures")).getText()).contains("perimeter 300 µm");
        assertThat(site.call("GET", "/api/v1/slices/" + slice, null).get("micronsPerPixel").asDouble()).isEqualTo(0.5);
        assertThat(b.driver.findElement(By.id("slide-facts")).getText()).contains("0.5 µm/px");
        assertThat(b.driver.findElement(By.id("slide-size")).getText()).contains("0.5 µm/px");
        b.waitFor(d -> String.valueOf(b.js("return document.querySelector('.scalebar').textContent")).matches(".*(µm|mm)"));
        b.driver.findElement(By.id("measurements-open")).click();
        b.waitFor(d -> d.findElements(By.cssSelector("#region-table tbody tr")).size() == 1);
        assertThat(b.driver.findElement(By.cssSelector("#region-table tbody tr td:nth-child(2)")).getText()).isEqualTo("5,000 µm²");
        b.press(Keys.ESCAPE);
        b.waitFor(d -> d.findElements(By.id("measurements-dialog")).isEmpty());

        // Forgotten again on the project page (the owner's form there), and back to pixels.
        b.open("#/projects/" + site.projectId);
        WebElement item = b.waitFor(d -> d.findElement(By.cssSelector(".slices li[data-slice='" + slice + "']")));
        assertThat(item.findElement(By.cssSelector(".facts")).getText()).contains("0.5 µm/px");
        item.findElement(By.cssSelector(".edit-mpp")).click();
        item.findElement(By.cssSelector(".mpp-forget")).click();
        b.waitFor(d -> d.findElement(By.cssSelector(".slices li[data-slice='" + slice + "'] .facts")).getText().contains("pixel size unknown"));
        assertThat(site.call("GET", "/api/v1/slices/" + slice, null).get("micronsPerPixel").isNull()).isTrue();
        b.openSlice(slice);
        b.tool("select");
        b.clickImage(200, 150);
        b.waitFor(d -> d.findElement(By.id("selection-measures")).getText().contains("20,000 px²"));
    }
}

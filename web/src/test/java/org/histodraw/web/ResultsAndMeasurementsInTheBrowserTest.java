package org.histodraw.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

/**
 * A model's results used as annotations (selected, accepted, then edited), drawn so that they can
 * be seen on any stain, and measured: ruler, area and perimeter, the table of regions with totals
 * per class for the slice and the series, its CSV.
 */
class ResultsAndMeasurementsInTheBrowserTest extends InTheBrowser {
    static long slice;

    @BeforeAll
    static void start() {
        start("edith");
        slice = site.sliceIds.get(0);
    }

    static Map<String, Object> square(double x, double y, double side, String cls) {
        return Map.of("type", "Feature", "geometry", Map.of("type", "Polygon", "coordinates", List.of(List.of(
                List.of(x, y), List.of(x + side, y), List.of(x + side, y + side), List.of(x, y + side), List.of(x, y)))),
                "properties", Map.of("classification", Map.of("name", cls)));
    }

    @BeforeEach
    void aModelsResults() {
        site.clear(slice);
        site.call("PUT", "/api/v1/slices/" + slice + "/layers/generated", Map.of("type", "FeatureCollection",
                "provenance", Map.of("service", "seg", "model", "m-42", "modelName", "grey-v1", "job", "j" + System.nanoTime()),
                "features", List.of(square(300, 300, 200, "Grey matter"), square(700, 300, 100, "Grey matter"), square(300, 700, 150, "White matter"))));
        b.openSlice(slice);
        b.waitFor(d -> generated() == 3);
    }

    JsonNode human() {
        return site.call("GET", "/api/v1/slices/" + slice + "/regions?layer=human", null).get("features");
    }

    long generated() {
        return ((Number) b.js("return [...window.histodraw.store.items.values()].filter(i => i.data.layer === 'generated' && i.visible).length")).longValue();
    }

    @Test
    void resultsAreSelectedAcceptedWithTheirProvenanceThenEditedLikeAnyRegion() {
        b.tool("select");
        b.clickImage(400, 400);
        b.waitFor(d -> d.findElement(By.id("selection")).getText().contains("grey-v1"));
        // The tools do not silently do nothing on a result: they say what to do.
        b.press(Keys.DELETE);
        b.waitFor(d -> d.findElement(By.id("toasts")).getText().contains("accept them into your annotations"));
        assertThat(generated()).isEqualTo(3);

        b.driver.findElement(By.id("accept-selection")).click();
        b.waitFor(d -> b.regionCount() == 1 && generated() == 2);
        b.waitSaved();
        JsonNode human = human();
        assertThat(human).hasSize(1);
        assertThat(human.get(0).at("/properties/provenance/acceptedFrom/provenance/modelName").asText()).isEqualTo("grey-v1");

        // Re-classed and then deleted like a region drawn by hand.
        b.clickImage(400, 400);
        b.pressWith("2", Keys.SHIFT);
        b.waitSaved();
        b.waitFor(d -> "White matter".equals(human().get(0).at("/properties/classification/name").asText()));
        b.press(Keys.DELETE);
        b.waitSaved();
        b.waitFor(d -> human().isEmpty());

        // A whole class of the layer, then undo gives the results back to the model's layer.
        new org.openqa.selenium.support.ui.Select(b.driver.findElement(By.cssSelector("#layers li[data-layer='generated'] select.accept-class")))
                .selectByValue("White matter");
        b.driver.findElement(By.cssSelector("#layers li[data-layer='generated'] button.accept-layer")).click();
        b.waitFor(d -> b.regionCount() == 1 && generated() == 1);
        b.pressWith("z", Keys.CONTROL);
        b.waitFor(d -> b.regionCount() == 0 && generated() == 2);
        JsonNode back = site.call("GET", "/api/v1/slices/" + slice + "/regions?layer=generated", null).get("features");
        assertThat(back).hasSize(2);
        for (JsonNode f : back) {
            assertThat(f.at("/properties/provenance/modelName").asText()).isEqualTo("grey-v1");
        }
    }

    @Test
    void outlinesHaveAHaloTheModelsLayerLiesUnderAtHalfOpacityAndVerticesShowHandles() {
        site.call("POST", "/api/v1/slices/" + slice + "/regions", square(600, 600, 300, "Grey matter"));
        b.openSlice(slice);
        @SuppressWarnings("unchecked")
        Map<String, Object> layers = (Map<String, Object>) b.js("""
                const s = window.histodraw.store, names = s.scope.project.layers.map(l => l.name);
                return { order: names.join(','), generated: s.layers.get('generated').opacity, human: s.layers.get('human').opacity };""");
        assertThat(layers.get("order").toString()).as("layers bottom to top").matches(".*generated.*human.*");
        assertThat(((Number) layers.get("generated")).doubleValue()).isEqualTo(0.5);
        assertThat(((Number) layers.get("human")).doubleValue()).isEqualTo(1.0);

        // Just outside a red outline, the halo: a dark ring (the slide there is pale pink).
        b.js("window.histodraw.viewer.viewport.zoomTo(window.histodraw.viewer.world.getItemAt(0).imageToViewportZoom(1), null, true);"
                + "window.histodraw.viewer.viewport.panTo(window.histodraw.viewer.world.getItemAt(0).imageToViewportCoordinates(600, 750), true);"
                + "window.histodraw.overlay.sync(); window.histodraw.overlay.redraw();");
        Number darkest = (Number) b.js("""
                const o = window.histodraw.overlay, v = o.scope.view.projectToView(new o.scope.Point(600, 750));
                const g = o.canvas.getContext('2d'), r = window.devicePixelRatio || 1;
                let dark = 255;
                for (let dx = -6; dx <= -2; dx++) { const p = g.getImageData(Math.round((v.x + dx) * r), Math.round(v.y * r), 1, 1).data;
                  if (p[3] > 100) dark = Math.min(dark, Math.max(p[0], p[1], p[2])); }
                return dark;""");
        assertThat(darkest.intValue()).as("the halo beside the outline").isLessThan(60);

        // Edit vertices: handles big enough to see and grab.
        b.tool("select");
        b.clickImage(750, 750);
        b.tool("vertices");
        assertThat(((Number) b.js("return window.histodraw.overlay.scope.settings.handleSize")).intValue()).isGreaterThanOrEqualTo(8);
        assertThat(b.js("return window.histodraw.selection.items()[0].fullySelected")).isEqualTo(true);
        // The fill opacity of a layer is the user's.
        b.js("const s = document.querySelector(\"#layers li[data-layer='human'] .layer-fill\"); s.value = 0.6; s.dispatchEvent(new Event('input'));");
        assertThat(((Number) b.js("return window.histodraw.selection.items()[0].fillColor.alpha")).doubleValue()).isCloseTo(0.6, within(1e-6));
        b.screenshot("halo-and-handles");
    }

    @Test
    void rulerTableOfRegionsTotalsAndCsv() {
        b.openSlice(site.sliceIds.get(1));
        // The second slide of the site records 1 µm per pixel (Site ingests slide i with i µm/px).
        b.tool("ruler");
        // (Away from the top-left corner, where OpenSeadragon's buttons take the clicks.)
        b.dragImage(new double[] {300, 300}, new double[] {450, 300}, new double[] {600, 700});
        assertThat(b.js("return window.histodraw.segmentHere && document.querySelector('#tools button[data-tool=ruler]').className")).asString()
                .contains("active");
        String measured = (String) b.js("return window.histodraw.overlay.scope.project.layers.find(l => l.name === '#temp').children.find(c => c.className === 'PointText').content");
        // 500 px at 1 µm/px (within the pointer's screen-pixel rounding).
        assertThat(Double.parseDouble(measured.replace(" µm", "").replace(",", ""))).isCloseTo(500, within(3.0));
        b.press(Keys.ESCAPE);

        b.openSlice(slice);
        site.call("POST", "/api/v1/slices/" + slice + "/regions", square(100, 100, 50, "Background"));
        site.call("POST", "/api/v1/slices/" + site.sliceIds.get(1) + "/regions", square(100, 100, 20, "Background"));
        b.waitFor(d -> b.regionCount() == 1);
        b.tool("select");
        b.clickImage(125, 125);
        b.waitFor(d -> d.findElement(By.id("selection-measures")).getText().contains("2,500 px²"));
        assertThat(b.driver.findElement(By.id("selection-measures")).getText()).contains("perimeter 200 px");

        b.driver.findElement(By.id("measurements-open")).click();
        b.waitFor(d -> d.findElements(By.cssSelector("#region-table tbody tr")).size() == 1);
        new org.openqa.selenium.support.ui.Select(b.driver.findElement(By.id("measurements-layer"))).selectByValue("");
        b.waitFor(d -> d.findElements(By.cssSelector("#region-table tbody tr")).size() == 4);
        // Sorted by area, largest first; a click on "Class" sorts by class.
        assertThat(b.driver.findElement(By.cssSelector("#region-table tbody tr td:nth-child(2)")).getText()).isEqualTo("40,000 px²");
        b.driver.findElement(By.cssSelector("#region-table th[data-column='className']")).click();
        assertThat(b.driver.findElement(By.cssSelector("#region-table tbody tr td")).getText()).isEqualTo("Background");
        assertThat(b.driver.findElement(By.id("class-totals")).getText()).contains("Grey matter", "2", "50,000 px²");
        // The series: this slice's classes and the other slice's, in µm² there (1 µm/px).
        assertThat(b.driver.findElement(By.id("series-totals")).getText()).contains("section-002.png", "400 µm²");
        b.screenshot("measurement-table");
        Screenshots.forDocs(b, "measurement-table");

        b.js("window.__downloads = []; const make = URL.createObjectURL; URL.createObjectURL = (blob) => { window.__downloads.push(blob); return make(blob); };");
        b.driver.findElement(By.id("measurements-csv")).click();
        String csv = (String) b.js("return window.__downloads[0].text()");
        assertThat(csv).startsWith("slice,region,layer,class,author,area_px2,perimeter_px,area_um2,perimeter_um");
        assertThat(csv.split("\r?\n")).hasSize(5);
        assertThat(csv).contains("section-001.png,", ",generated,Grey matter,grey-v1,40000,800,").contains(",human,Background,");
        new Actions(b.driver).sendKeys(Keys.ESCAPE).perform();
        b.waitFor(Duration.ofSeconds(5), d -> d.findElements(By.id("measurements-dialog")).isEmpty());
    }
}

package org.histodraw.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * A slice with a large generated layer: it is drawn as tiles, not as thousands of paths, its
 * regions stay selectable, and the shape edits that need the server (split, magic wand) work.
 */
class LargeLayersInTheBrowserTest extends InTheBrowser {
    static long slice;

    @BeforeAll
    static void start() {
        start("edith");
        slice = site.sliceIds.get(0);
        site.call("PUT", "/api/v1/slices/" + slice + "/layers/generated", Map.of("type", "FeatureCollection",
                "provenance", Map.of("service", "test", "model", "nuclei-v1", "job", "j1"), "features", cells(60, 50)));
    }

    /** A grid of small 24-gon "nuclei", 20 px apart. */
    static List<Map<String, Object>> cells(int cols, int rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                List<List<Double>> ring = new ArrayList<>();
                double cx = 100 + 20 * c;
                double cy = 100 + 20 * r;
                for (int i = 0; i <= 24; i++) {
                    double t = 2 * Math.PI * (i % 24) / 24;
                    ring.add(List.of(cx + 7 * Math.cos(t), cy + 7 * Math.sin(t)));
                }
                out.add(Map.of("type", "Feature", "geometry", Map.of("type", "Polygon", "coordinates", List.of(ring)),
                        "properties", Map.of("classification", Map.of("name", "Grey matter"))));
            }
        }
        return out;
    }

    @Test
    void aLargeGeneratedLayerIsDrawnAsTilesAndItsRegionsStaySelectable() {
        b.openSlice(slice);
        b.waitFor(d -> Boolean.TRUE.equals(b.js("return window.histodraw.rasters.has('generated') && !!window.histodraw.rasters.get('generated')")));
        assertThat(((Number) b.js("return [...window.histodraw.store.items.values()].filter(i => i.data.layer === 'generated').length")).intValue())
                .as("no vector paths for the 3000 generated regions").isZero();
        assertThat(b.driver.findElement(By.cssSelector("#layers li[data-layer='generated']")).getText()).contains("3000");
        b.tool("select");
        b.clickImage(100 + 20 * 10, 100 + 20 * 5);
        b.waitFor(d -> b.driver.findElement(By.id("selection")).getText().contains("Generated"));
        assertThat(b.driver.findElement(By.id("selection")).getText()).contains("nuclei-v1");
        b.screenshot("large-layer");
        assertThat(b.pageErrors()).isEqualTo("[]");
    }

    @Test
    void splitCutsARegionAlongTheLineAndMagicWandTakesAnArea() {
        b.openSlice(site.sliceIds.get(1));
        site.clear(site.sliceIds.get(1));
        b.openSlice(site.sliceIds.get(1));
        b.tool("polygon");
        b.chooseClass("White matter");
        b.clickImage(400, 400);
        b.clickImage(800, 400);
        b.clickImage(800, 700);
        b.clickImage(400, 700);
        b.press(Keys.ENTER);
        b.waitSaved();
        b.tool("split");
        b.dragImage(new double[] {600, 350}, new double[] {600, 550}, new double[] {600, 750});
        b.waitSaved();
        JsonNode parts = site.regions(site.sliceIds.get(1)).get("features");
        assertThat(parts).hasSize(2);
        for (JsonNode p : parts) {
            assertThat(Site.area(p.get("geometry"))).isBetween(55_000.0, 65_000.0);
        }
        assertThat(b.regionCount()).isEqualTo(2);

        // The pale background outside the tissue ellipse, clicked with the wand (on the left edge:
        // the top-left corner holds OpenSeadragon's buttons, which take their clicks).
        b.tool("wand");
        b.chooseClass("Background");
        b.clickImage(40, 600);
        b.waitSaved();
        JsonNode all = site.regions(site.sliceIds.get(1)).get("features");
        assertThat(all).hasSize(3);
        JsonNode wand = all.get(2);
        assertThat(wand.at("/properties/classification/name").asText()).isEqualTo("Background");
        assertThat(Site.area(wand.get("geometry"))).as("the background around the tissue").isGreaterThan(100_000);
        assertThat(b.pageErrors()).isEqualTo("[]");
    }
}

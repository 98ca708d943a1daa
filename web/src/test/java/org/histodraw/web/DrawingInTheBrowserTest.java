package org.histodraw.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/** A histologist logs in, opens a series, draws with each tool, reloads and finds the regions. */
class DrawingInTheBrowserTest extends InTheBrowser {

    @BeforeAll
    static void start() {
        start("edith");
    }

    @Test
    void loginOpenSeriesDrawPolygonReloadAndFindIt() {
                b.open("#/");
        b.waitFor(d -> d.findElement(By.linkText("Mouse brain")));
        b.driver.findElement(By.linkText("Mouse brain")).click();
        b.waitFor(d -> d.findElement(By.cssSelector(".slices a"))).click();
        b.waitFor(d -> Boolean.TRUE.equals(b.js("return !!(window.histodraw && window.histodraw.ready())")));
        long slice = site.sliceIds.get(0);
        b.waitSaved();

        b.tool("polygon");
        b.chooseClass("White matter");
        b.clickImage(400, 300);
        b.clickImage(800, 320);
        b.clickImage(760, 700);
        b.clickImage(420, 650);
        b.press(Keys.ENTER);
        b.waitSaved();
        b.screenshot("polygon-drawn");

        JsonNode features = site.regions(slice).get("features");
        assertThat(features).hasSize(1);
        JsonNode f = features.get(0);
        assertThat(f.at("/properties/classification/name").asText()).isEqualTo("White matter");
        assertThat(f.at("/properties/layer").asText()).isEqualTo("human");
        JsonNode ring = f.at("/geometry/coordinates/0");
        assertThat(ring).hasSize(5);
        // The vertices are where the user clicked, in slide pixels (within a screen pixel or two).
        double[][] clicked = {{400, 300}, {800, 320}, {760, 700}, {420, 650}};
        for (double[] c : clicked) {
            boolean near = false;
            for (JsonNode p : ring) {
                near |= Math.hypot(p.get(0).asDouble() - c[0], p.get(1).asDouble() - c[1]) < 6;
            }
            assertThat(near).as("a vertex near %s,%s in %s", c[0], c[1], ring).isTrue();
        }

        b.driver.navigate().refresh();
        b.openSlice(slice);
        assertThat(b.regionCount()).isEqualTo(1);
        assertThat(b.js("return window.histodraw.store.humanItems()[0].data.className")).isEqualTo("White matter");
    }
}

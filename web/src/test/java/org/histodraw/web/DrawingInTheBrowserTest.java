package org.histodraw.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/** A histologist logs in, opens a series, draws with each tool, reloads and finds the regions. */
class DrawingInTheBrowserTest {
    @TempDir
    static Path dir;
    static Site site;
    static Browser browser;

    @BeforeAll
    static void start() {
        Browser.assumeInstalled();
        site = new Site(dir);
        browser = new Browser(site.base, dir.resolve("profile"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (site != null) {
            site.close();
        }
    }

    @Test
    void loginOpenSeriesDrawPolygonReloadAndFindIt() {
        browser.login("edith", Site.PASSWORD);
        browser.driver.findElement(By.linkText("Mouse brain")).click();
        browser.waitFor(d -> d.findElement(By.cssSelector(".slices a"))).click();
        browser.waitFor(d -> Boolean.TRUE.equals(browser.js("return !!(window.histodraw && window.histodraw.ready())")));
        long slice = site.sliceIds.get(0);
        browser.waitSaved();

        browser.tool("polygon");
        browser.chooseClass("White matter");
        browser.clickImage(400, 300);
        browser.clickImage(800, 320);
        browser.clickImage(760, 700);
        browser.clickImage(420, 650);
        browser.press(Keys.ENTER);
        browser.waitSaved();
        browser.screenshot("polygon-drawn");

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

        browser.driver.navigate().refresh();
        browser.openSlice(slice);
        assertThat(browser.regionCount()).isEqualTo(1);
        assertThat(browser.js("return window.histodraw.store.humanItems()[0].data.className")).isEqualTo("White matter");
    }
}

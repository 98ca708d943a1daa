package org.histodraw.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

/**
 * Moving around the slide never moves it from under the drawings: OpenSeadragon's own keyboard
 * shortcuts (F mirrors, R rotates, W/A/S/D pan, J/K change page) give way to the drawing tools'
 * keys, the navigation buttons answer clicks, and changing slice with a generated layer is quiet.
 */
class NavigationInTheBrowserTest extends InTheBrowser {
    static long slice;

    @BeforeAll
    static void start() {
        start("edith");
        slice = site.sliceIds.get(0);
        site.call("POST", "/api/v1/slices/" + slice + "/regions", Map.of("type", "Feature",
                "geometry", Map.of("type", "Polygon", "coordinates", List.of(List.of(
                        List.of(400, 300), List.of(800, 300), List.of(800, 700), List.of(400, 700), List.of(400, 300)))),
                "properties", Map.of("classification", Map.of("name", "Grey matter"))));
    }

    /** How far (screen px) the drawings are from where OpenSeadragon draws the same slide pixels. */
    double misalignment() {
        return ((Number) b.js("""
                const h = window.histodraw, image = h.viewer.world.getItemAt(0), view = h.overlay.scope.view;
                h.overlay.sync();
                let worst = 0;
                for (const [x, y] of [[0, 0], [1600, 0], [400, 300], [800, 700], [1600, 1200]]) {
                  const slide = image.imageToViewerElementCoordinates(new OpenSeadragon.Point(x, y), true);
                  const drawn = view.projectToView(new h.overlay.scope.Point(x, y));
                  worst = Math.max(worst, Math.hypot(slide.x - drawn.x, slide.y - drawn.y));
                }
                return worst;""")).doubleValue();
    }

    @Test
    void everyKeyOfOpenSeadragonsShortcutListLeavesTheSlideAndTheDrawingsAligned() {
        b.openSlice(slice);
        b.tool("select");
        // Focus goes where the user clicks: the slide (outside any region).
        b.clickImage(100, 1100);
        String url = b.driver.getCurrentUrl();
        CharSequence[][] shortcuts = {
            {"w"}, {"a"}, {"s"}, {"d"}, {Keys.SHIFT, "w"}, {Keys.SHIFT, "s"}, {Keys.SHIFT, "a"}, {Keys.SHIFT, "d"},
            {Keys.ARROW_UP}, {Keys.ARROW_DOWN}, {Keys.ARROW_LEFT}, {Keys.ARROW_RIGHT}, {Keys.SHIFT, Keys.ARROW_UP},
            {Keys.SHIFT, Keys.ARROW_DOWN}, {"="}, {"-"}, {Keys.SHIFT, "="}, {Keys.SHIFT, "-"}, {"0"},
            {"r"}, {Keys.SHIFT, "r"}, {"f"}, {Keys.SHIFT, "f"}, {"j"}, {"k"},
        };
        for (CharSequence[] keys : shortcuts) {
            Actions a = new Actions(b.driver);
            if (keys.length == 2) {
                a.keyDown(Keys.SHIFT).sendKeys(keys[1]).keyUp(Keys.SHIFT);
            } else {
                a.sendKeys(keys[0]);
            }
            a.perform();
            // Let any animation the key started run to its end, then compare.
            b.waitFor(d -> Boolean.TRUE.equals(b.js("return !window.histodraw.viewer.isAnimating || !window.histodraw.viewer.world.needsDraw()")));
            String key = String.join("+", java.util.Arrays.stream(keys).map(k -> k instanceof Keys named ? named.name() : k.toString()).toList());
            assertThat(((Number) b.js("return window.histodraw.viewer.viewport.getRotation(true)")).doubleValue())
                    .as("rotation after %s", key).isZero();
            assertThat(b.js("return window.histodraw.viewer.viewport.getFlip()")).as("mirrored after %s", key).isEqualTo(false);
            assertThat(misalignment()).as("drawings off the slide after %s (screen px)", key).isLessThan(1.5);
            assertThat(b.driver.getCurrentUrl()).as("still on the slice after %s", key).isEqualTo(url);
            assertThat(((Number) b.js("return window.histodraw.viewer.currentPage()")).intValue()).isZero();
        }
        // The drawing tools own their letters: F chose Freehand, K Split (not the next page).
        b.press("f");
        assertThat(b.driver.findElement(By.cssSelector("button[data-tool='freehand']")).getAttribute("class")).contains("active");
        b.press("k");
        assertThat(b.driver.findElement(By.cssSelector("button[data-tool='split']")).getAttribute("class")).contains("active");
        b.press("v");
        // The scale bar still reads in slide units at this zoom (not "200000 px" after a rotation).
        assertThat(b.driver.findElement(By.cssSelector(".scalebar")).getText()).matches("\\d+ (px|µm|mm|nm)");
        assertThat(b.regionCount()).isEqualTo(1);
    }

    @Test
    void zoomHomeAndFullPageButtonsAnswerClicks() {
        b.openSlice(slice);
        double home = ((Number) b.js("return window.histodraw.viewer.viewport.getHomeZoom()")).doubleValue();
        b.js("window.histodraw.viewer.viewport.goHome(true)");
        click("zoom in");
        b.waitFor(d -> zoom() > home * 1.5);
        click("zoom in");
        b.waitFor(d -> zoom() > home * 3);
        double zoomed = zoom();
        click("zoom out");
        b.waitFor(d -> zoom() < zoomed * 0.7);
        click("go home");
        b.waitFor(d -> Math.abs(zoom() - home) < home * 0.01);
        assertThat(zoom()).isCloseTo(home, within(home * 0.01));
        assertThat(misalignment()).isLessThan(1.5);

        try {
            click("toggle full page");
            b.waitFor(d -> Boolean.TRUE.equals(b.js("return window.histodraw.viewer.isFullPage()")));
            // Full page: the slide fills the window (headless chromium's screen, in full screen) and
            // the drawings follow it there.
            b.waitFor(d -> Boolean.TRUE.equals(b.js("return Math.abs(window.histodraw.overlay.canvas.clientWidth - window.innerWidth) <= 2")));
            b.waitFor(d -> misalignment() < 1.5);
            b.screenshot("full-page");
            click("toggle full page");
            b.waitFor(d -> Boolean.FALSE.equals(b.js("return window.histodraw.viewer.isFullPage()")));
            b.waitFor(d -> misalignment() < 1.5);
        } finally {
            b.js("if (window.histodraw && window.histodraw.viewer.isFullPage()) window.histodraw.viewer.setFullScreen(false)");
        }
    }

    @Test
    void changingSliceWithAGeneratedLayerIsQuiet() {
        site.call("PUT", "/api/v1/slices/" + slice + "/layers/generated", Map.of("type", "FeatureCollection",
                "provenance", Map.of("service", "test", "model", "m1", "job", "j1"), "features", LargeLayersInTheBrowserTest.cells(6, 5)));
        b.openSlice(slice);
        b.waitFor(d -> ((Number) b.js("return [...window.histodraw.store.items.values()].filter(i => i.data.layer === 'generated').length"))
                .intValue() == 30);
        // Pan a little (the overlay settles a moment after the view stops), then the next slice and back.
        b.js("window.histodraw.viewer.viewport.panBy(new OpenSeadragon.Point(0.01, 0))");
        b.press(".");
        b.waitFor(d -> d.getCurrentUrl().endsWith("#/slices/" + site.sliceIds.get(1)));
        b.waitFor(d -> Boolean.TRUE.equals(b.js("return !!(window.histodraw && window.histodraw.ready())")));
        b.press(",");
        b.waitFor(d -> d.getCurrentUrl().endsWith("#/slices/" + slice));
        b.openSlice(slice);
        b.press(".");
        b.waitFor(d -> Boolean.TRUE.equals(b.js("return !!(window.histodraw && window.histodraw.ready())")));
        // Whatever was still scheduled by the page left behind has run by now.
        b.waitFor(d -> (Boolean) b.js("return new Promise(r => setTimeout(() => r(true), 300))"));
        site.call("PUT", "/api/v1/slices/" + slice + "/layers/generated", Map.of("type", "FeatureCollection",
                "provenance", Map.of("service", "test", "model", "m1", "job", "j2"), "features", List.of()));
    }

    double zoom() {
        return ((Number) b.js("return window.histodraw.viewer.viewport.getZoom(true)")).doubleValue();
    }

    /** Clicks one of OpenSeadragon's navigation buttons, found by its tooltip, as a user does. */
    void click(String title) {
        b.driver.findElement(By.cssSelector("#osd div[title='" + title.substring(0, 1).toUpperCase() + title.substring(1) + "' i]")).click();
    }
}

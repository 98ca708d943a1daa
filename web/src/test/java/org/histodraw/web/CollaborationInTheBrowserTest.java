package org.histodraw.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/** Two people on the same slice in two browser contexts, and a viewer who may only look. */
class CollaborationInTheBrowserTest extends InTheBrowser {
    static Browser edith;
    static Browser eric;

    @BeforeAll
    static void start() {
        start("edith");
        edith = b;
        eric = browser("eric");
    }

    @Test
    void anEditInOneBrowserAppearsInTheOtherWithinASecond() {
        long slice = site.sliceIds.get(1);
        edith.openSlice(slice);
        eric.openSlice(slice);
        eric.waitFor(d -> d.findElement(By.id("live-status")).getText().contains("live"));
        long before = eric.regionCount();

        edith.tool("polygon");
        edith.chooseClass("Grey matter");
        edith.clickImage(300, 300);
        edith.clickImage(600, 300);
        edith.clickImage(450, 600);
        edith.press(Keys.ENTER);
        edith.waitSaved();
        long saved = System.nanoTime();
        eric.waitFor(Duration.ofSeconds(1), d -> eric.regionCount() == before + 1);
        double seconds = (System.nanoTime() - saved) / 1e9;
        assertThat(seconds).as("seconds until the other browser shows the edit").isLessThan(1.0);
        assertThat(eric.js("return window.histodraw.store.humanItems()[0].data.className")).isEqualTo("Grey matter");

        // Eric moves it; Edith sees the move, then Eric's pointer.
        eric.tool("select");
        eric.dragImage(new double[] {450, 400}, new double[] {500, 420}, new double[] {550, 450});
        eric.waitSaved();
        edith.waitFor(Duration.ofSeconds(1), d -> ((Number) edith.js(
                "return window.histodraw.store.humanItems()[0].data.version")).intValue() == 2);
        eric.js("void 0");
        eric.dragImage(new double[] {700, 700}, new double[] {710, 700});
        edith.waitFor(Duration.ofSeconds(2), d -> Boolean.TRUE.equals(edith.js(
                "return window.histodraw.overlay.scope.project.layers.find(l => l.name === '#cursors').children.some(c => c.data.cursorOf === 'eric' && c.visible)")));
        edith.screenshot("collaboration-edith");
    }

    @Test
    void reconnectingBringsBackWhatWasMissed() {
        long slice = site.sliceIds.get(0);
        edith.openSlice(slice);
        eric.openSlice(slice);
        long before = eric.regionCount();
        // Eric's socket drops; Edith draws meanwhile; Eric's viewer reconnects and catches up.
        eric.js("window.histodraw.live.ws.close()");
        edith.tool("polygon");
        edith.chooseClass("Background");
        // (Away from the top-left corner, where OpenSeadragon's buttons take the clicks.)
        edith.clickImage(300, 400);
        edith.clickImage(450, 400);
        edith.clickImage(380, 520);
        edith.press(Keys.ENTER);
        edith.waitSaved();
        eric.waitFor(Duration.ofSeconds(5), d -> eric.regionCount() == before + 1);
    }

    @Test
    void aViewerSeesTheRegionsButCannotEdit() throws Exception {
        long slice = site.sliceIds.get(0);
        try (Browser vera = new Browser(site.base, dir.resolve("vera"))) {
            vera.login("vera", Site.PASSWORD);
            edith.openSlice(slice);
            edith.tool("polygon");
            edith.chooseClass("White matter");
            edith.clickImage(900, 300);
            edith.clickImage(1100, 300);
            edith.clickImage(1000, 500);
            edith.press(Keys.ENTER);
            edith.waitSaved();
            long count = site.regions(slice).get("features").size();

            vera.openSlice(slice);
            assertThat(vera.regionCount()).isEqualTo(count);
            assertThat(vera.driver.findElements(By.cssSelector("button[data-tool='polygon']"))).isEmpty();
            assertThat(vera.driver.findElements(By.cssSelector("button[data-action='delete']"))).isEmpty();
            // Shortcuts do not open drawing tools either: P then clicks draw nothing.
            vera.press("p");
            vera.clickImage(300, 800);
            vera.clickImage(500, 800);
            vera.clickImage(400, 1000);
            vera.press(Keys.ENTER);
            // Selecting a region and pressing Delete changes nothing.
            vera.clickImage(1000, 380);
            vera.press(Keys.DELETE);
            Thread.sleep(500);
            assertThat(site.regions(slice).get("features").size()).isEqualTo(count);
            assertThat(vera.regionCount()).isEqualTo(count);
        }
    }
}

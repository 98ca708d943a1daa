package org.histodraw.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A 16-bit camera image (12-bit values, as a fluorescence camera writes them) in the viewer: its
 * channel is listed with its automatic range, and an editor who picks another colour and range and
 * presses Apply sees the slide redrawn through them, kept for everyone; "Automatic ranges" undoes it.
 * 8-bit colour slides show no channel panel.
 */
class ChannelsInTheBrowserTest extends InTheBrowser {
    private static long camera;

    @BeforeAll
    static void start() throws Exception {
        start(Site.ADMIN);
        BufferedImage image = new BufferedImage(1200, 800, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 800; y++) {
            for (int x = 0; x < 1200; x++) {
                image.getRaster().setSample(x, y, 0, 100 + x * 3); // 100 .. 3697
            }
        }
        Path tif = dir.resolve("camera.tif");
        assertThat(ImageIO.write(image, "tiff", tif.toFile())).isTrue();
        camera = site.server.ingest(site.seriesId, tif, "camera.tif", 2.0, null).id();
    }

    /** The colour drawn at the middle of the viewer's canvas. */
    private static int[] centre() {
        @SuppressWarnings("unchecked")
        List<Number> p = (List<Number>) b.js("""
                const c = window.histodraw.viewer.drawer.canvas;
                const d = c.getContext('2d').getImageData(Math.floor(c.width / 2), Math.floor(c.height / 2), 1, 1).data;
                return [d[0], d[1], d[2]];""");
        return new int[] {p.get(0).intValue(), p.get(1).intValue(), p.get(2).intValue()};
    }

    private static boolean drawn() {
        return Boolean.TRUE.equals(b.js("return window.histodraw.viewer.world.getItemAt(0).getFullyLoaded()"));
    }

    @Test
    void anEditorPicksTheChannelsColourAndRangeAndTheSlideIsRedrawnThroughThem() {
        b.openSlice(camera);
        WebElement row = b.waitFor(d -> d.findElement(By.cssSelector("#channels .channel[data-channel='0']")));
        assertThat(row.getText()).contains("uint16");
        double autoMax = Double.parseDouble(row.findElement(By.cssSelector(".channel-max")).getAttribute("value"));
        JsonNode automatic = site.call("GET", "/api/v1/slices/" + camera + "/display", null).get("automatic").get(0);
        assertThat(autoMax).as("the automatic range the server measured").isEqualTo(automatic.get("max").asDouble());
        assertThat(autoMax).as("within the camera's values").isBetween(200.0, 3697.0);
        b.waitFor(d -> drawn());
        int[] grey = b.waitFor(d -> {
            int[] c = centre();
            return c[0] > 60 ? c : null;
        });
        assertThat(grey[0]).as("grey: the channel's default colour is white").isEqualTo(grey[1]);

        b.js("const i = arguments[0]; i.value = '#00ff00'; i.dispatchEvent(new Event('input', {bubbles: true}));",
                row.findElement(By.cssSelector(".channel-color")));
        WebElement min = row.findElement(By.cssSelector(".channel-min"));
        min.clear();
        min.sendKeys("1900"); // the middle of the slide is black now
        WebElement max = row.findElement(By.cssSelector(".channel-max"));
        max.clear();
        max.sendKeys("3697");
        b.driver.findElement(By.id("channels-apply")).click();

        b.waitFor(d -> site.call("GET", "/api/v1/slices/" + camera + "/display", null).get("stored").asBoolean());
        JsonNode stored = site.call("GET", "/api/v1/slices/" + camera + "/display", null).get("display").get(0);
        assertThat(stored.get("color").asText()).isEqualTo("#00ff00");
        assertThat(stored.get("min").asDouble()).isEqualTo(1900.0);
        b.waitFor(d -> d.findElement(By.cssSelector("#channels h3")).getText().contains("set for this slide"));
        // Redrawn in place, without a reload: green, the middle value at the new black point.
        int[] redrawn = b.waitFor(d -> {
            int[] c = centre();
            return drawn() && c[0] < 10 && c[2] < 10 && c[1] < 60 ? c : null;
        });
        assertThat(redrawn[1]).as("the middle value sits at the new black point").isLessThan(60);
        // Kept for everyone: a reload shows the same look.
        b.driver.navigate().refresh();
        b.waitFor(d -> Boolean.TRUE.equals(b.js("return !!(window.histodraw && window.histodraw.ready())")));
        int[] green = b.waitFor(d -> {
            int[] c = centre();
            return drawn() && c[0] < 10 && c[2] < 10 ? c : null;
        });
        assertThat(green[1]).as("the middle value sits at the new black point").isLessThan(60);

        b.waitFor(d -> d.findElement(By.id("channels-automatic")).isEnabled());
        b.driver.findElement(By.id("channels-automatic")).click();
        b.waitFor(d -> !site.call("GET", "/api/v1/slices/" + camera + "/display", null).get("stored").asBoolean());
        assertThat(b.pageErrors()).isEqualTo("[]");
    }

    @Test
    void aColourSlideHasNoChannelPanel() {
        b.openSlice(site.sliceIds.get(0));
        b.waitFor(d -> d.findElement(By.id("channels")));
        b.waitFor(d -> !d.findElement(By.id("channels")).isDisplayed());
        assertThat(b.pageErrors()).isEqualTo("[]");
    }
}

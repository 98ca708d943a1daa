package org.histodraw.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

/** Each drawing and editing tool, used as a histologist would, checked through the public API. */
class EditingToolsInTheBrowserTest extends InTheBrowser {
    static long slice;

    @BeforeAll
    static void start() {
        start("edith");
        slice = site.sliceIds.get(0);
    }

    @BeforeEach
    void cleanSlice() {
        site.clear(slice);
        b.openSlice(slice);
    }

    @AfterEach
    void noPageErrors() {
        assertThat(b.pageErrors()).isEqualTo("[]");
    }

    JsonNode features() {
        return site.regions(slice).get("features");
    }

    void polygon(String cls, double[]... pts) {
        b.tool("polygon");
        b.chooseClass(cls);
        for (double[] p : pts) {
            b.clickImage(p[0], p[1]);
        }
        b.press(Keys.ENTER);
        b.waitSaved();
    }

    void shiftClick(double x, double y) {
        int[] s = b.screenOf(x, y);
        new Actions(b.driver).keyDown(Keys.SHIFT).moveToElement(b.canvas(), s[0], s[1]).click().keyUp(Keys.SHIFT).perform();
    }

    @Test
    void brushPaintsARegionAndPaintingAgainGrowsIt() {
        b.tool("brush");
        b.chooseClass("Background");
        b.dragImage(new double[] {300, 300}, new double[] {400, 300}, new double[] {500, 300}, new double[] {600, 300});
        b.waitSaved();
        assertThat(features()).hasSize(1);
        double first = Site.area(features().get(0).get("geometry"));
        // A stroke 300 px long and one brush wide (30 screen px at this zoom) plus the round ends.
        double brushPx = ((Number) b.js("return window.histodraw.overlay.pixels(30)")).doubleValue();
        assertThat(first).isCloseTo(300 * brushPx + Math.PI * brushPx * brushPx / 4, within(0.15 * 300 * brushPx));

        b.dragImage(new double[] {600, 300}, new double[] {600, 450}, new double[] {600, 600});
        b.waitSaved();
        assertThat(features()).as("painting over a region of the same class grows it").hasSize(1);
        assertThat(Site.area(features().get(0).get("geometry"))).isGreaterThan(first * 1.3);
    }

    @Test
    void eraserCutsAndUndoRedoFollow() {
        polygon("Grey matter", new double[] {300, 300}, new double[] {700, 300}, new double[] {700, 600}, new double[] {300, 600});
        double whole = Site.area(features().get(0).get("geometry"));
        assertThat(whole).isCloseTo(120_000, within(3000.0));

        b.tool("eraser");
        b.dragImage(new double[] {500, 250}, new double[] {500, 450}, new double[] {500, 650});
        b.waitSaved();
        JsonNode cut = features().get(0).get("geometry");
        assertThat(cut.get("type").asText()).as("a cut right across leaves two parts").isEqualTo("MultiPolygon");
        assertThat(Site.area(cut)).isLessThan(whole * 0.97);

        b.pressWith("z", Keys.CONTROL);
        b.waitSaved();
        assertThat(Site.area(features().get(0).get("geometry"))).isCloseTo(whole, within(1.0));
        b.pressWith("z", Keys.CONTROL, Keys.SHIFT);
        b.waitSaved();
        assertThat(Site.area(features().get(0).get("geometry"))).isCloseTo(Site.area(cut), within(1.0));
    }

    @Test
    void unionSubtractAndFillHoles() {
        polygon("Grey matter", new double[] {200, 200}, new double[] {500, 200}, new double[] {500, 500}, new double[] {200, 500});
        polygon("Grey matter", new double[] {400, 400}, new double[] {700, 400}, new double[] {700, 700}, new double[] {400, 700});
        b.tool("select");
        b.clickImage(250, 250);
        shiftClick(650, 650);
        b.press("u");
        b.waitSaved();
        assertThat(features()).hasSize(1);
        assertThat(Site.area(features().get(0).get("geometry"))).isCloseTo(90_000 + 90_000 - 10_000, within(2000.0));

        polygon("White matter", new double[] {250, 250}, new double[] {350, 250}, new double[] {350, 350}, new double[] {250, 350});
        b.tool("select");
        b.press(Keys.ESCAPE);
        b.clickImage(450, 450);
        shiftClick(300, 300);
        b.press("x");
        b.waitSaved();
        JsonNode big = null;
        for (JsonNode f : features()) {
            if (f.at("/properties/classification/name").asText().equals("Grey matter")) {
                big = f;
            }
        }
        assertThat(Site.holes(big.get("geometry"))).as("the small region is cut out as a hole").isEqualTo(1);
        assertThat(features()).as("the cutting region stays").hasSize(2);

        b.press(Keys.ESCAPE);
        b.clickImage(450, 450);
        b.press("h");
        b.waitSaved();
        for (JsonNode f : features()) {
            assertThat(Site.holes(f.get("geometry"))).isZero();
        }
    }

    @Test
    void freehandVertexEditClassChangeAndDelete() {
        b.tool("freehand");
        b.chooseClass("White matter");
        double[][] loop = new double[24][];
        for (int i = 0; i < loop.length; i++) {
            double t = 2 * Math.PI * i / loop.length;
            loop[i] = new double[] {600 + 150 * Math.cos(t), 500 + 150 * Math.sin(t)};
        }
        b.dragImage(loop);
        b.waitSaved();
        assertThat(features()).hasSize(1);
        assertThat(Site.area(features().get(0).get("geometry"))).isCloseTo(Math.PI * 150 * 150, within(0.1 * Math.PI * 150 * 150));

        polygon("Grey matter", new double[] {100, 100}, new double[] {300, 100}, new double[] {300, 300}, new double[] {100, 300});
        b.tool("select");
        b.clickImage(200, 200);
        b.tool("vertices");
        b.dragImage(new double[] {300, 300}, new double[] {350, 320}, new double[] {400, 400});
        b.waitSaved();
        JsonNode square = null;
        for (JsonNode f : features()) {
            if (f.at("/properties/classification/name").asText().equals("Grey matter")) {
                square = f;
            }
        }
        boolean moved = false;
        for (JsonNode p : square.at("/geometry/coordinates/0")) {
            moved |= Math.hypot(p.get(0).asDouble() - 400, p.get(1).asDouble() - 400) < 6;
        }
        assertThat(moved).as("the dragged vertex is at 400,400: %s", square.get("geometry")).isTrue();

        b.tool("select");
        b.clickImage(200, 200);
        b.pressWith("3", Keys.SHIFT);
        b.waitSaved();
        assertThat(site.call("GET", "/api/v1/regions/" + square.at("/properties/id").asLong(), null)
                .at("/properties/classification/name").asText()).isEqualTo("Background");
        b.press(Keys.DELETE);
        b.waitSaved();
        assertThat(features()).hasSize(1);
    }
}

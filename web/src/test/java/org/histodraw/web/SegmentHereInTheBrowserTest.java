package org.histodraw.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.histodraw.enginejs.BrowserSegmentation;
import org.histodraw.enginejs.BrowserSegmenter;
import org.histodraw.enginejs.ViewFrame;
import org.histodraw.service.SegmentationService;
import org.histodraw.service.ServiceConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/**
 * "Segment here (in your browser)": the engine compiled to WebAssembly, run in chromium's web worker,
 * computes what the JVM computes, bit for bit (the JavaScript fallback where the trees do not tie); in the viewer it trains on two drawn classes, shows the overlay,
 * retrains when a class is added, and keeps its result as the layer "browser".
 */
class SegmentHereInTheBrowserTest extends InTheBrowser {

    @BeforeAll
    static void start() {
        start("edith");
    }

    @Test
    void theWebAssemblyBuildInTheBrowsersWorkerDrawsTheJvmsClassMapPixelForPixel() {
        // The default features, and ilastik's full set (all six kinds at every sigma from 0.3 to 10).
        for (String settings : List.of("", org.histodraw.engine.features.FeatureSettings.ilastik().toText())) {
            Segmented jvm = Segmented.onTheJvm(settings);
            Map<String, Object> browser = segmentInTheWorker("/lib/engine/worker.js", settings);

            assertThat(browser.get("error")).as("the worker's error").isNull();
            assertThat(browser.get("build")).as("the build chromium runs").isEqualTo("webassembly");
            assertThat(browser.get("classList").toString()).contains("\"name\":\"Nucleus\"", "\"name\":\"Stroma\"");
            // WebAssembly computes Java's floats in 32 bits, as the JVM: the same forest (its content
            // hash and its file, byte for byte), hence the same class map and the same uncertainty.
            assertThat(browser.get("model")).as("the model's content hash, features %s", settings).isEqualTo(jvm.result.model().id());
            assertThat(bytes(browser, "modelFile")).as("the .hdm file").isEqualTo(jvm.result.modelFile());
            assertThat(bytes(browser, "classes")).as("the class map").isEqualTo(jvm.result.classes().data());
            assertThat(bytes(browser, "uncertainty")).as("the uncertainty").isEqualTo(jvm.result.uncertainty());
            // Both classes are predicted somewhere: the comparison is not between two empty maps.
            assertThat(bytes(browser, "classes")).contains((byte) 1, (byte) 2);
        }
    }

    @Test
    void theWebAssemblyBuildTrainsTheJvmsForestOnARealHAndEImageWithItsScribbles() throws Exception {
        java.io.File data = new java.io.File(System.getProperty("histodraw.data", "../../shared/data"), "gbm-nuclei");
        org.junit.jupiter.api.Assumptions.assumeTrue(new java.io.File(data, "01_scribbles.png").isFile(), "no shared data at " + data);
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.File(data, "01.png"));
        java.awt.image.BufferedImage scribbles = javax.imageio.ImageIO.read(new java.io.File(data, "01_scribbles.png"));
        int w = image.getWidth(), h = image.getHeight();
        byte[] rgb = new byte[3 * w * h], labels = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = image.getRGB(x, y), i = y * w + x;
                rgb[3 * i] = (byte) (p >>> 16);
                rgb[3 * i + 1] = (byte) (p >>> 8);
                rgb[3 * i + 2] = (byte) p;
                labels[i] = (byte) scribbles.getRaster().getSample(x, y, 0);
            }
        }
        String rgb64 = Base64.getEncoder().encodeToString(rgb), labels64 = Base64.getEncoder().encodeToString(labels);
        JsonNode jvm = Site.JSON.readTree(org.histodraw.enginejs.EngineRun.run(new String[] {rgb64, String.valueOf(w), String.valueOf(h), labels64}));

        b.open("#/");
        @SuppressWarnings("unchecked")
        Map<String, Object> browser = (Map<String, Object>) async("""
                const [rgb, width, height, labels, done] = arguments;
                const worker = new Worker('/lib/engine/worker.js?build=webassembly');
                worker.onmessage = ({ data }) => { worker.terminate(); done(data.ok ? { report: JSON.stringify(data.result) } : { error: data.error }); };
                worker.postMessage({ id: 1, op: 'run', rgb, width, height, labels });
                """, rgb64, w, h, labels64);
        assertThat(browser.get("error")).as("the worker's error").isNull();
        JsonNode wasm = Site.JSON.readTree(browser.get("report").toString());
        System.out.println("JVM:         " + jvm);
        System.out.println("WebAssembly: " + wasm);
        // The forest itself (its file's hash), the model's content hash and the class map's hash.
        for (String field : List.of("forest", "model", "modelBytes", "classMap", "pixelsPerClass", "settings")) {
            assertThat(wasm.get(field)).as(field).isEqualTo(jvm.get(field));
        }
    }

    @Test
    void theWebAssemblyBuildComputesTheJvmsDensitiesAndGaussianKernelsBitForBit() throws Exception {
        JsonNode jvm = Site.JSON.readTree(org.histodraw.enginejs.ArithmeticFingerprint.compute());
        b.open("#/");
        @SuppressWarnings("unchecked")
        Map<String, Object> browser = (Map<String, Object>) async("""
                const done = arguments[0];
                const worker = new Worker('/lib/engine/worker.js?build=webassembly');
                worker.onmessage = ({ data }) => { worker.terminate(); done(data.ok ? { report: JSON.stringify(data.result) } : { error: data.error }); };
                worker.postMessage({ id: 1, op: 'fingerprint' });
                """);
        assertThat(browser.get("error")).as("the worker's error").isNull();
        JsonNode wasm = Site.JSON.readTree(browser.get("report").toString());
        System.out.println("JVM " + jvm + ", WebAssembly " + wasm);
        // log10 of all 256 levels and the kernels of 118 sigmas (0.3 ... 12): every feature's inputs.
        assertThat(wasm).isEqualTo(jvm);
        assertThat(jvm.get("kernelFeatures").asInt()).isEqualTo(3 * 118);
    }

    @Test
    void theJavaScriptFallbackAgreesWithTheJvmWhereverTheTreesDoNotTie() {
        Segmented jvm = Segmented.onTheJvm("");
        Map<String, Object> browser = segmentInTheWorker("/lib/engine/worker.js?build=javascript", "");

        assertThat(browser.get("error")).as("the worker's error").isNull();
        assertThat(browser.get("build")).isEqualTo("javascript");
        // Not pixel for pixel: TeaVM's JavaScript computes Java's float arithmetic in double, so
        // features differ in their last bits, a few split thresholds move and the forests differ
        // (see docs/browser-engine.md). What holds: the same class wherever the trees do not tie.
        byte[] classes = bytes(browser, "classes");
        int otherClass = differing(classes, jvm.result.classes().data(), 0);
        int confident = differingWhereConfident(classes, jvm.result.classes().data(), jvm.result.uncertainty(), 200);
        System.out.printf("JavaScript build vs JVM: %d of %d pixels of another class, %d where the JVM's forest is confident%n",
                otherClass, classes.length, confident);
        assertThat(otherClass).as("pixels of another class than on the JVM").isLessThan(classes.length / 10);
        assertThat(confident).as("pixels of another class where the JVM's trees do not (nearly) tie").isZero();
        assertThat(classes).contains((byte) 1, (byte) 2);
    }

    /** "Segment here" of the stained test view on the JVM: 320 x 240 px, a nucleus and a stroma square. */
    record Segmented(BrowserSegmentation result) {
        static final int W = 320, H = 240;
        // Regions in slide pixels over a view at (4000, 3000) shown at one pixel per 2 slide pixels.
        static final String REGIONS = "{\"type\":\"FeatureCollection\",\"features\":["
                + square(4000 + 2 * 20, 3000 + 2 * 20, 2 * 30, "Nucleus") + ","
                + square(4000 + 2 * 200, 3000 + 2 * 150, 2 * 40, "Stroma") + "]}";

        static Segmented onTheJvm(String settings) {
            return new Segmented(BrowserSegmenter.segment(BrowserSegmenter.rgbaToRaster(stainedPixels(W, H), W, H),
                    new ViewFrame(4000, 3000, 2), REGIONS, settings, 42));
        }
    }

    /** The same "segment here" in chromium's engine worker at {@code workerUrl} with these feature settings; Base64 results. */
    private static Map<String, Object> segmentInTheWorker(String workerUrl, String settings) {
        b.open("#/");
        @SuppressWarnings("unchecked")
        Map<String, Object> browser = (Map<String, Object>) async("""
                const [url, rgba64, w, h, regions, settings, done] = arguments;
                const rgba = Uint8Array.from(atob(rgba64), (c) => c.charCodeAt(0));
                const worker = new Worker(url);
                const b64 = (bytes) => { let s = ''; for (const x of bytes) s += String.fromCharCode(x); return btoa(s); };
                let r = null;
                worker.onmessage = ({ data }) => {
                  if (!data.ok) { worker.terminate(); done({ error: data.error }); return; }
                  if (data.id === 1) { r = data.result; worker.postMessage({ id: 2, op: 'modelFile', handle: r.handle }); return; }
                  worker.terminate();
                  done({ classes: b64(r.classes), uncertainty: b64(r.uncertainty), model: r.model, build: r.build,
                    classList: JSON.stringify(r.classList), modelFile: b64(data.result) });
                };
                worker.onerror = (e) => done({ error: 'worker: ' + e.message });
                worker.postMessage({ id: 1, op: 'segment', rgba: rgba.buffer, width: w, height: h, regions,
                  originX: 4000, originY: 3000, scale: 2, settings, seed: 42 }, [rgba.buffer]);
                """, workerUrl, Base64.getEncoder().encodeToString(stainedPixels(Segmented.W, Segmented.H)), Segmented.W, Segmented.H,
                Segmented.REGIONS, settings);
        return browser;
    }

    /** The slice's regions replaced by a background square in its corner and grey matter where given. */
    private void drawBackgroundAndGreyMatter(long slice, String greyMatter) {
        site.clear(slice);
        site.call("POST", "/api/v1/slices/" + slice + "/regions", feature(square(30, 30, 100, null), "Background"));
        site.call("POST", "/api/v1/slices/" + slice + "/regions", feature(greyMatter, "Grey matter"));
    }

    private static byte[] bytes(Map<String, Object> browser, String key) {
        return Base64.getDecoder().decode((String) browser.get(key));
    }

    @Test
    void twoDrawnClassesAreSegmentedInViewShownAsAnOverlayAndKeptAsTheBrowserLayer() {
        long slice = site.sliceIds.get(1);
        // The synthetic section: a pink tissue ellipse on a pale background.
        drawBackgroundAndGreyMatter(slice, square(700, 500, 200, null));
        b.openSlice(slice);

        b.driver.findElement(By.id("segment-run")).click();
        b.waitFor(Duration.ofSeconds(120), d -> b.js("return document.getElementById('segment-status').textContent").toString()
                .contains("trained on"));
        b.screenshot("segment-here-overlay");
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = (Map<String, Object>) b.js("""
                const c = document.getElementById('segment-overlay');
                const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                const count = (r, g, b) => { let n = 0; for (let i = 0; i < px.length; i += 4) if (px[i] === r && px[i + 1] === g && px[i + 2] === b && px[i + 3] === 255) n++; return n; };
                const box = c.getBoundingClientRect();
                return { grey: count(0xe5, 0x39, 0x35), background: count(0xfd, 0xd8, 0x35), pixels: c.width * c.height,
                  shownWidth: box.width, opacity: getComputedStyle(c).opacity };
                """);
        long pixels = ((Number) shown.get("pixels")).longValue();
        assertThat(((Number) shown.get("grey")).longValue()).as("pixels of Grey matter in %s", shown).isGreaterThan(pixels / 10);
        assertThat(((Number) shown.get("background")).longValue()).as("pixels of Background in %s", shown).isGreaterThan(pixels / 10);
        assertThat(((Number) shown.get("shownWidth")).doubleValue()).as("the overlay covers the slide on screen").isGreaterThan(300);

        // Opacity and uncertainty are the user's to choose.
        b.js("const s = document.getElementById('segment-opacity'); s.value = 0.8; s.dispatchEvent(new Event('input'));");
        assertThat(b.js("return getComputedStyle(document.getElementById('segment-overlay')).opacity")).isEqualTo("0.8");
        b.driver.findElement(By.id("segment-uncertainty")).click();
        assertThat(((Number) b.js("""
                const c = document.getElementById('segment-overlay');
                const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0; for (let i = 0; i < px.length; i += 4) if (px[i + 3] > 0 && px[i + 1] === 0 && px[i] > 0 && px[i] === px[i + 2]) n++;
                return n;""")).longValue()).as("where the forest hesitates is drawn in magenta").isGreaterThan(0);
        b.driver.findElement(By.id("segment-uncertainty")).click();

        // A third class drawn (here by a colleague, arriving live) is learnt without asking.
        site.call("POST", "/api/v1/slices/" + slice + "/regions", feature(square(500, 400, 30, null), "White matter"));
        b.waitFor(Duration.ofSeconds(120), d -> b.js("return document.getElementById('segment-status').textContent").toString()
                .startsWith("Background, Grey matter, White matter") || b.js("return document.getElementById('segment-status').textContent")
                .toString().contains("White matter:"));

        b.driver.findElement(By.id("segment-keep")).click();
        try {
            b.waitFor(Duration.ofSeconds(60), d -> status().contains("as the layer \"browser\""));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("not kept: " + status(), e);
        }
        JsonNode kept = site.call("GET", "/api/v1/slices/" + slice + "/regions?layer=browser", null).get("features");
        assertThat(kept.size()).as("regions of the layer browser").isGreaterThan(0);
        List<String> classesKept = kept.findValuesAsText("name");
        assertThat(classesKept).contains("Grey matter", "Background");
        JsonNode layers = site.call("GET", "/api/v1/slices/" + slice + "/layers", null);
        JsonNode browserLayer = null;
        for (JsonNode l : layers) {
            if ("browser".equals(l.path("name").asText())) {
                browserLayer = l;
            }
        }
        assertThat(browserLayer).as("the layer browser in %s", layers).isNotNull();
        assertThat(browserLayer.toString()).contains("browser model").contains("sigmas=");
        // The regions lie on the slide (slide pixels), not in the fetched view's pixels.
        double maxX = 0;
        for (JsonNode f : kept) {
            for (JsonNode p : f.at("/geometry/coordinates/0")) {
                maxX = Math.max(maxX, p.get(0).asDouble());
            }
        }
        assertThat(maxX).isGreaterThan(1000).isLessThanOrEqualTo(1600);
        assertThat(b.pageErrors()).isEqualTo("[]");
    }

    @Test
    void theModelTrainedInTheBrowserIsSavedOnTheServiceAndAppliedToTheSeries() {
        long slice = site.sliceIds.get(0);
        drawBackgroundAndGreyMatter(slice, square(330, 280, 90, null));
        // The segmentation service, registered with the server by its administrator; the viewer
        // hands it a service token of its user with every call.
        SegmentationService service = SegmentationService.start(ServiceConfig.of(URI.create(site.base),
                dir.resolve("service")).withPort(0).withThreads(1));
        keep((AutoCloseable) service::close);
        if (site.call("GET", "/api/v1/services", null).findValuesAsText("url").stream().noneMatch(service.url()::equals)) {
            site.call("POST", "/api/v1/services", Map.of("name", "segmentation", "url", service.url()));
        }
        b.openSlice(slice);
        // One screen pixel = one slide pixel: the resolution the service applies models at.
        b.js("""
                const v = window.histodraw.viewer, image = v.world.getItemAt(0);
                v.viewport.zoomTo(image.imageToViewportZoom(1), null, true);
                v.viewport.panTo(image.imageToViewportCoordinates(380, 330), true);""");

        b.driver.findElement(By.id("segment-run")).click();
        b.waitFor(Duration.ofSeconds(120), d -> status().contains("trained on"));
        assertThat(status()).contains("1 px = 1.00 slide px");
        String browserModel = b.js("return window.histodraw.segmentHere.result.model").toString();
        b.driver.findElement(By.id("segment-model-name")).clear();
        b.driver.findElement(By.id("segment-model-name")).sendKeys("grey-matter");
        b.driver.findElement(By.id("segment-save")).click();
        try {
            b.waitFor(Duration.ofSeconds(60), d -> status().contains("Saved as grey-matter v1"));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("not saved: " + status(), e);
        }
        // The service holds the very model the browser trained (same content hash).
        assertThat(status()).contains(browserModel);

        b.driver.findElement(By.id("segment-apply")).click();
        try {
            b.waitFor(Duration.ofSeconds(180), d -> status().startsWith("Applied grey-matter v1 to 2 slices"));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("not applied: " + status(), e);
        }
        for (long s : site.sliceIds) {
            JsonNode generated = site.call("GET", "/api/v1/slices/" + s + "/regions?layer=generated", null).get("features");
            assertThat(generated.size()).as("generated regions on slice %d", s).isPositive();
            JsonNode provenance = generated.get(0).get("properties").get("provenance");
            assertThat(provenance.get("modelName").asText()).isEqualTo("grey-matter");
            assertThat(provenance.get("modelId").asText()).isEqualTo(browserModel);
        }
        assertThat(b.pageErrors()).isEqualTo("[]");
    }

    private static Map<String, Object> feature(String geometryFeature, String className) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> f = Site.JSON.readValue(geometryFeature, Map.class);
            f.put("properties", Map.of("classification", Map.of("name", className)));
            return f;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String square(double x, double y, double side, String className) {
        return "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[" + x + "," + y + "],[" + (x + side) + "," + y
                + "],[" + (x + side) + "," + (y + side) + "],[" + x + "," + (y + side) + "],[" + x + "," + y + "]]]},\"properties\":{"
                + (className == null ? "" : "\"classification\":{\"name\":\"" + className + "\"}") + "}}";
    }

    /** Purple nuclei on pink stroma with some noise, as RGBA. */
    static byte[] stainedPixels(int w, int h) {
        byte[] rgba = new byte[4 * w * h];
        long s = 11;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                boolean nucleus = Math.hypot((x % 40) - 20, (y % 36) - 18) < 11;
                s = s * 6364136223846793005L + 1442695040888963407L;
                int n = (int) (s >>> 58) - 32;
                rgba[4 * i] = (byte) Math.clamp((nucleus ? 110 : 225) + n, 0, 255);
                rgba[4 * i + 1] = (byte) Math.clamp((nucleus ? 60 : 150) + n, 0, 255);
                rgba[4 * i + 2] = (byte) Math.clamp((nucleus ? 150 : 190) + n, 0, 255);
                rgba[4 * i + 3] = (byte) 255;
            }
        }
        return rgba;
    }

    private static int differing(byte[] a, byte[] b, int tolerance) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            n += Math.abs((a[i] & 0xff) - (b[i] & 0xff)) > tolerance ? 1 : 0;
        }
        return n;
    }

    /** Pixels of another class where the reference's uncertainty is below {@code limit} (of 255). */
    static int differingWhereConfident(byte[] a, byte[] b, byte[] uncertainty, int limit) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            n += a[i] != b[i] && (uncertainty[i] & 0xff) < limit ? 1 : 0;
        }
        return n;
    }

    private static String status() {
        return b.js("return document.getElementById('segment-status').textContent + ' | toasts: '"
                + " + [...document.querySelectorAll('#toasts .toast')].map((t) => t.textContent).join('; ')").toString();
    }

    /** Runs a script that calls its last argument when done; its value is the result. */
    private static Object async(String script, Object... args) {
        b.driver.manage().timeouts().scriptTimeout(Duration.ofMinutes(2));
        return ((JavascriptExecutor) b.driver).executeAsyncScript(script, args);
    }
}

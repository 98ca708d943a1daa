package org.histodraw.web;

import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import org.histodraw.enginejs.BrowserSegmentation;
import org.histodraw.enginejs.BrowserSegmenter;
import org.histodraw.enginejs.ViewFrame;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;

/**
 * Issue 6's benchmark (run by bench/browser-vs-jvm.sh, skipped in the normal build): the same
 * "segment here" work (features, training, prediction with uncertainty, of an N x N image with
 * labelled squares of two classes) on the JVM and in headless chromium's web worker, with the
 * WebAssembly and the JavaScript builds; prints the seconds of each (best of four rounds taking
 * turns, after a warm-up round) and their ratios.
 */
class BrowserEngineBenchmark {
    @TempDir
    static Path dir;

    @Test
    void segmentHereOnTheJvmAndInChromium() {
        Assumptions.assumeTrue(Boolean.getBoolean("histodraw.bench"), "benchmark: run bench/browser-vs-jvm.sh");
        Browser.assumeInstalled();
        int n = Integer.getInteger("histodraw.bench.side", 1024);
        byte[] rgba = SegmentHereInTheBrowserTest.stainedPixels(n, n);
        StringBuilder regions = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        // Squares over nuclei and over stroma, spread over the image, as a user would scribble.
        for (int i = 0; i < 16; i++) {
            int cx = 40 * (1 + (i * 7) % (n / 40 - 1)), cy = 36 * (1 + (i * 5) % (n / 36 - 1));
            regions.append(i == 0 ? "" : ",").append(square(cx + 14, cy + 13, 12, "Nucleus"))
                    .append(',').append(square(cx + 1, cy + 1, 6, "Stroma"));
        }
        regions.append("]}");
        ViewFrame frame = ViewFrame.identity();

        try (Site site = new Site(dir, 256, 256); Browser b = new Browser(site.base, dir.resolve("profile"))) {
            b.open("#/login");
            b.driver.manage().timeouts().scriptTimeout(java.time.Duration.ofMinutes(10));
            JavascriptExecutor page = (JavascriptExecutor) b.driver;
            page.executeScript("""
                    const [rgba64, n, regions] = arguments;
                    const pixels = Uint8Array.from(atob(rgba64), (c) => c.charCodeAt(0));
                    const workers = { webassembly: new Worker('/lib/engine/worker.js?build=webassembly'),
                      javascript: new Worker('/lib/engine/worker.js?build=javascript') };
                    // One "segment here" in a build's worker: its seconds (the result is released).
                    window.benchRun = (build, done) => {
                      const worker = workers[build], copy = pixels.slice();
                      worker.onmessage = ({ data }) => {
                        if (!data.ok) { done({ error: data.error }); return; }
                        worker.postMessage({ id: 2, op: 'release', handle: data.result.handle });
                        worker.onmessage = () => done({ seconds: data.result.seconds, build: data.result.build });
                      };
                      worker.postMessage({ id: 1, op: 'segment', rgba: copy.buffer, width: n, height: n, regions,
                        originX: 0, originY: 0, scale: 1, settings: '', seed: 42 }, [copy.buffer]);
                    };""", Base64.getEncoder().encodeToString(rgba), n, regions.toString());
            // A warm-up of each, then rounds taking turns (JVM, WebAssembly, JavaScript), so that a
            // change of the machine's load weighs on all three; the best of each.
            double jvm = Double.MAX_VALUE, wasm = Double.MAX_VALUE, js = Double.MAX_VALUE;
            BrowserSegmentation last = null;
            for (int round = 0; round < 5; round++) {
                long t0 = System.nanoTime();
                last = BrowserSegmenter.segment(BrowserSegmenter.rgbaToRaster(rgba, n, n), frame, regions.toString(), "", 42);
                double jvmSeconds = (System.nanoTime() - t0) / 1e9;
                double wasmSeconds = inTheWorker(page, "webassembly"), jsSeconds = inTheWorker(page, "javascript");
                if (round > 0) {
                    jvm = Math.min(jvm, jvmSeconds);
                    wasm = Math.min(wasm, wasmSeconds);
                    js = Math.min(js, jsSeconds);
                }
            }
            System.out.printf(Locale.ROOT, "segment here, %d x %d px, %,d labelled px, features %s, 12 trees:%n", n, n,
                    last.trainingPixels(), last.model().features().toText());
            System.out.printf(Locale.ROOT, "  JVM (1 thread)                    %6.2f s%n", jvm);
            System.out.printf(Locale.ROOT, "  chromium web worker (WebAssembly) %6.2f s   ratio browser / JVM %5.2f (target: within 2)%n",
                    wasm, wasm / jvm);
            System.out.printf(Locale.ROOT, "  chromium web worker (JavaScript)  %6.2f s   ratio browser / JVM %5.2f%n", js, js / jvm);
        }
    }

    /** One "segment here" in the worker of a build, in seconds. */
    private static double inTheWorker(JavascriptExecutor page, String build) {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) page.executeAsyncScript("window.benchRun(arguments[0], arguments[1]);", build);
        if (r.get("error") != null) {
            throw new AssertionError("the browser engine (" + build + ") failed: " + r.get("error"));
        }
        if (!build.equals(r.get("build"))) {
            throw new AssertionError("asked for the " + build + " build, ran " + r.get("build"));
        }
        return ((Number) r.get("seconds")).doubleValue();
    }

    private static String square(double x, double y, double side, String className) {
        return "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[" + x + "," + y + "],[" + (x + side) + "," + y
                + "],[" + (x + side) + "," + (y + side) + "],[" + x + "," + (y + side) + "],[" + x + "," + y + "]]]},"
                + "\"properties\":{\"classification\":{\"name\":\"" + className + "\"}}}";
    }
}

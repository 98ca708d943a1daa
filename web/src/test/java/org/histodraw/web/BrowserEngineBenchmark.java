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
 * labelled squares of two classes) on the JVM and in headless chromium's web worker; prints the
 * seconds of each (best of three, after a warm-up run) and their ratio.
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

        double jvm = Double.MAX_VALUE;
        BrowserSegmentation last = null;
        for (int run = 0; run < 4; run++) {
            long t0 = System.nanoTime();
            last = BrowserSegmenter.segment(BrowserSegmenter.rgbaToRaster(rgba, n, n), frame, regions.toString(), "", 42);
            if (run > 0) {
                jvm = Math.min(jvm, (System.nanoTime() - t0) / 1e9);
            }
        }

        try (Site site = new Site(dir, 256, 256); Browser b = new Browser(site.base, dir.resolve("profile"))) {
            b.open("#/login");
            b.driver.manage().timeouts().scriptTimeout(java.time.Duration.ofMinutes(10));
            double wasm = inTheWorker(b, "/lib/engine/worker.js?build=webassembly", rgba, n, regions.toString());
            double js = inTheWorker(b, "/lib/engine/worker.js?build=javascript", rgba, n, regions.toString());
            System.out.printf(Locale.ROOT, "segment here, %d x %d px, %,d labelled px, features %s, 12 trees:%n", n, n,
                    last.trainingPixels(), last.model().features().toText());
            System.out.printf(Locale.ROOT, "  JVM (1 thread)                    %6.2f s%n", jvm);
            System.out.printf(Locale.ROOT, "  chromium web worker (WebAssembly) %6.2f s   ratio browser / JVM %5.2f (target: within 2)%n",
                    wasm, wasm / jvm);
            System.out.printf(Locale.ROOT, "  chromium web worker (JavaScript)  %6.2f s   ratio browser / JVM %5.2f%n", js, js / jvm);
        }
    }

    /** Best of three "segment here" runs (after a warm-up) in the engine worker at {@code url}, in seconds. */
    private static double inTheWorker(Browser b, String url, byte[] rgba, int n, String regions) {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) ((JavascriptExecutor) b.driver).executeAsyncScript("""
                const [url, rgba64, n, regions, done] = arguments;
                const pixels = Uint8Array.from(atob(rgba64), (c) => c.charCodeAt(0));
                const worker = new Worker(url);
                let run = 0, best = Infinity, id = 0;
                const next = () => {
                  const copy = pixels.slice();
                  worker.postMessage({ id: ++id, op: 'segment', rgba: copy.buffer, width: n, height: n, regions,
                    originX: 0, originY: 0, scale: 1, settings: '', seed: 42 }, [copy.buffer]);
                };
                worker.onmessage = ({ data }) => {
                  if (!data.ok) { worker.terminate(); done({ error: data.error }); return; }
                  if (!data.result) return; // a release answered
                  if (run > 0) best = Math.min(best, data.result.seconds);
                  worker.postMessage({ id: ++id, op: 'release', handle: data.result.handle });
                  run++;
                  if (run < 4) next(); else { worker.terminate(); done({ seconds: best }); }
                };
                next();
                """, url, Base64.getEncoder().encodeToString(rgba), n, regions);
        if (r.get("error") != null) {
            throw new AssertionError("the browser engine (" + url + ") failed: " + r.get("error"));
        }
        return ((Number) r.get("seconds")).doubleValue();
    }

    private static String square(double x, double y, double side, String className) {
        return "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[" + x + "," + y + "],[" + (x + side) + "," + y
                + "],[" + (x + side) + "," + (y + side) + "],[" + x + "," + (y + side) + "],[" + x + "," + y + "]]]},"
                + "\"properties\":{\"classification\":{\"name\":\"" + className + "\"}}}";
    }
}

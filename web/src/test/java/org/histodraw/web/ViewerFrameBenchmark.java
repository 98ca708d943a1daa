package org.histodraw.web;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's browser benchmark (run by bench/viewer-100k.sh, skipped in the normal build): a slide
 * with 100,000 generated polygons of 30 vertices and 300 human ones, opened in headless chromium
 * with the frame-rate cap off, so a frame's time is what drawing it costs. Prints the time to the
 * first complete view, the frame times of a scripted pan/zoom at three zooms, the time of a human
 * edit beside the big layer, and the API's viewport query times.
 */
class ViewerFrameBenchmark {
    @TempDir
    static Path dir;

    @Test
    void openPanZoomAndEditASliceWith100000Regions() throws java.io.IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("histodraw.bench"), "benchmark: run bench/viewer-100k.sh");
        Browser.assumeInstalled();
        int regions = Integer.getInteger("histodraw.bench.regions", 100_000);
        int side = 8192;
        try (Site site = new Site(dir, side, side)) {
            long slice = site.sliceIds.get(0);
            long t0 = System.nanoTime();
            site.call("PUT", "/api/v1/slices/" + slice + "/layers/generated", Map.of("type", "FeatureCollection",
                    "provenance", Map.of("service", "bench", "model", "cells", "job", "b1"), "features", polygons(regions, side, 30, 7, "Grey matter")));
            double put = (System.nanoTime() - t0) / 1e9;
            // The server draws the layer's coarse overlay levels in the background once it is stored.
            java.nio.file.Path drawn = dir.resolve("data").resolve("overlays").resolve(Long.toString(slice)).resolve("layer-generated");
            while (!java.nio.file.Files.isDirectory(drawn) || !hasVersion(drawn)) {
                if (System.nanoTime() - t0 > 600e9) {
                    throw new AssertionError("the coarse overlay levels were not drawn ahead in 10 minutes");
                }
                sleep(50);
            }
            System.out.printf(Locale.ROOT, "server: coarse overlay levels drawn ahead %.1f s after the layer was stored%n", (System.nanoTime() - t0) / 1e9 - put);
            site.call("POST", "/api/v1/slices/" + slice + "/import?format=geojson", Map.of("type", "FeatureCollection",
                    "features", polygons(300, side, 30, 60, "White matter")));
            System.out.printf(Locale.ROOT, "slide %d x %d px: %,d generated polygons (30 vertices) stored in %.1f s, plus 300 human%n", side, side, regions, put);

            // The API: a screen-sized viewport (1600 x 1000 screen px) at three zooms.
            for (double scale : Boolean.parseBoolean(System.getProperty("histodraw.bench.api", "true")) ? new double[] {1600.0 / side, 0.25, 1.0} : new double[0]) {
                double w = 1600 / scale;
                double h = 1000 / scale;
                String bbox = String.format(Locale.ROOT, "%.0f,%.0f,%.0f,%.0f", side / 2 - w / 2, side / 2 - h / 2, side / 2 + w / 2, side / 2 + h / 2);
                List<Double> ms = new ArrayList<>();
                byte[] answer = null;
                for (int i = 0; i < 7; i++) {
                    long q = System.nanoTime();
                    answer = site.fetch("/api/v1/slices/" + slice + "/regions?layer=generated&bbox=" + bbox + "&scale=" + scale);
                    ms.add((System.nanoTime() - q) / 1e6);
                }
                ms.sort(null);
                // Timed to the last byte of the answer; counted (and parsed) afterwards, untimed.
                int features = Site.JSON.readTree(answer).get("features").size();
                System.out.printf(Locale.ROOT, "API viewport query, zoom %.3f screen px per slide px: %,d regions in view (%.1f MB), median %.0f ms%n",
                        scale, features, answer.length / 1e6, ms.get(3));
            }

            try (Browser b = new Browser(site.base, dir.resolve("profile"), true)) {
                b.login("edith", Site.PASSWORD);
                long open = System.nanoTime();
                b.open("#/slices/" + slice);
                // When each part of the first view was complete (polled every 25 ms): the slide, the
                // generated layer's tiles, the human regions.
                double[] at = {0, 0, 0};
                b.waitFor(java.time.Duration.ofSeconds(60), d -> {
                    @SuppressWarnings("unchecked")
                    List<Boolean> parts = (List<Boolean>) b.js("const h = window.histodraw; if (!h || !h.ready()) return [false, false, false];"
                            + "const r = h.rasters.get('generated'); const s = h.viewer.world.getItemAt(0);"
                            + "return [!!s && s.getFullyLoaded(), !!r && r.getFullyLoaded(), document.getElementById('save-status').textContent.includes('saved')];");
                    double now = (System.nanoTime() - open) / 1e9;
                    for (int i = 0; i < 3; i++) {
                        if (parts.get(i) && at[i] == 0) {
                            at[i] = now;
                        }
                    }
                    return at[0] > 0 && at[1] > 0 && at[2] > 0;
                });
                double firstView = (System.nanoTime() - open) / 1e9;
                System.out.printf(Locale.ROOT, "browser: first complete view (slide + generated tiles + 300 human regions) in %.2f s"
                        + " (slide %.2f s, generated tiles %.2f s, human regions %.2f s)%n", firstView, at[0], at[1], at[2]);
                // Which overlay tiles the first view fetched, per level: how many, and the slowest.
                System.out.println("browser: overlay tiles fetched for the first view, per level (count, slowest ms): " + b.js(
                        "const per = {}; for (const e of performance.getEntriesByType('resource')) {"
                                + " const m = /overlay_files\\/(\\d+)\\//.exec(e.name); if (!m) continue;"
                                + " const l = per[m[1]] || (per[m[1]] = [0, 0]); l[0]++; l[1] = Math.max(l[1], Math.round(e.duration)); }"
                                + "return JSON.stringify(per);"));
                String[][] variants = {
                    {"everything", ""},
                    {"without the generated tiles", "window.histodraw.rasters.get('generated').setOpacity(0);"},
                    {"without Paper's canvas", "window.histodraw.overlay.canvas.style.display = 'none';"},
                    {"everything again (tiles now cached)", ""},
                };
                for (double zoom : new double[] {1, 4, 32}) {
                    for (String[] variant : variants) {
                        b.js("const v = window.histodraw.viewer.viewport; v.goHome(true); v.zoomTo(v.getHomeZoom() * arguments[0], null, true);"
                                + "window.histodraw.rasters.get('generated').setOpacity(1); window.histodraw.overlay.canvas.style.display = '';" + variant[1], zoom);
                        // How many of the frames Paper drew (it draws at most every 50 ms while the view moves).
                        b.js("const v = window.histodraw.overlay.scope.view; window.__paperDraws = 0;"
                                + "if (!v.__counted) { const u = v.update.bind(v); v.update = () => { const drew = u(); if (drew) window.__paperDraws++; return drew; }; v.__counted = true; }");
                        double[] f = frames(b);
                        double mean = java.util.Arrays.stream(f).average().orElse(0);
                        System.out.printf(Locale.ROOT, "browser: pan/zoom at %2.0fx the whole-slide view, %s: %d frames, mean %.1f ms, p95 %.1f ms, max %.1f ms (Paper drew %s times)%n",
                                zoom, variant[0], f.length, mean, f[(int) (f.length * 0.95)], f[f.length - 1], b.js("return window.__paperDraws"));
                    }
                    b.js("window.histodraw.rasters.get('generated').setOpacity(1); window.histodraw.overlay.canvas.style.display = '';");
                }
                // A human edit beside the big layer: move one region, until the server has it.
                long edit = System.nanoTime();
                b.js("const s = window.histodraw.store; const r = s.humanItems()[0]; s.beginEdit(r); r.position = r.position.add([5, 5]);"
                        + "s.update(r.data.id, window.histodraw.geometryOf(r));");
                b.waitSaved();
                System.out.printf(Locale.ROOT, "browser: a human region moved and saved in %.0f ms%n", (System.nanoTime() - edit) / 1e6);
                b.screenshot("viewer-100k");
            }
        }
    }

    static boolean hasVersion(java.nio.file.Path layerDir) {
        try (var versions = java.nio.file.Files.list(layerDir)) {
            return versions.anyMatch(p -> !p.getFileName().toString().endsWith(".tmp"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A scripted pan/zoom, one step per animation frame: the intervals between successive
     * requestAnimationFrame callbacks (each covers a whole frame: script, OpenSeadragon's and
     * Paper's drawing, compositing), sorted, without the first 10.
     */
    static double[] frames(Browser b) {
        @SuppressWarnings("unchecked")
        List<Number> frames = (List<Number>) ((org.openqa.selenium.JavascriptExecutor) b.driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; const v = window.histodraw.viewer.viewport;"
                        + "const times = []; let last = performance.now(); let n = 0;"
                        + "function step(now) { times.push(now - last); last = now; n++;"
                        + "  const t = n / 30; v.panBy(new OpenSeadragon.Point(0.004 * Math.cos(t), 0.003 * Math.sin(t)), true);"
                        + "  v.zoomBy(n % 60 < 30 ? 1.01 : 1 / 1.01, null, true); v.applyConstraints(true);"
                        + "  if (n < 300) requestAnimationFrame(step); else done(times.slice(10)); }"
                        + "requestAnimationFrame(step);");
        return frames.stream().mapToDouble(Number::doubleValue).sorted().toArray();
    }

    /** n polygons of `vertices` vertices and radius r, spread evenly over the slide. */
    static List<Map<String, Object>> polygons(int n, int side, int vertices, double r, String cls) {
        List<Map<String, Object>> out = new ArrayList<>(n);
        int perRow = (int) Math.ceil(Math.sqrt(n));
        double step = (side - 4 * r) / perRow;
        for (int i = 0; i < n; i++) {
            double cx = 2 * r + step * (i % perRow + 0.5);
            double cy = 2 * r + step * (i / perRow + 0.5);
            List<List<Double>> ring = new ArrayList<>(vertices + 1);
            for (int k = 0; k <= vertices; k++) {
                double t = 2 * Math.PI * (k % vertices) / vertices;
                double rr = r * (0.8 + 0.2 * Math.sin(3 * t + i));
                ring.add(List.of(Math.round((cx + rr * Math.cos(t)) * 10) / 10.0, Math.round((cy + rr * Math.sin(t)) * 10) / 10.0));
            }
            out.add(Map.of("type", "Feature", "geometry", Map.of("type", "Polygon", "coordinates", List.of(ring)),
                    "properties", Map.of("classification", Map.of("name", cls))));
        }
        return out;
    }
}

package org.histodraw.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's page in a real (headless) Chromium against a real server and service: tick the
 * training slices, see the classes, train, see out-of-bag accuracy, the importance chart and the
 * prediction overlay in OpenSeadragon, start a job, follow its progress to the end and see the area
 * plot. Skips when no Chromium is installed. OpenSeadragon comes from the web module's npm packages
 * (or the folder in -Dhistodraw.openseadragon); without it the overlay step is skipped.
 */
class ServicePageBrowserTest {

    static Optional<Path> openSeadragon() {
        Stream<String> candidates = Stream.of(System.getProperty("histodraw.openseadragon", ""),
                "../web/node_modules/openseadragon/build/openseadragon", "../web/target/classes/web/lib/openseadragon");
        return candidates.filter(s -> !s.isBlank()).map(Path::of)
                .filter(p -> Files.isRegularFile(p.resolve("openseadragon.min.js"))).findFirst();
    }

    @Test
    void trainSeeTheOverlayStartAJobAndFollowItToTheEnd(@TempDir Path dir) throws Exception {
        Optional<Path> chromium = Chromium.find();
        Assumptions.assumeTrue(chromium.isPresent(), "no Chromium on this machine: skipping the browser test of the page");
        Optional<Path> osd = openSeadragon();
        if (osd.isEmpty()) {
            System.out.println("OpenSeadragon not found (npm packages of the web module): the overlay step is skipped");
        }
        HttpServer files = osd.map(p -> SimpleFileServer.createFileServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                p.toAbsolutePath(), SimpleFileServer.OutputLevel.NONE)).orElse(null);
        if (files != null) {
            files.start();
        }
        List<SyntheticSeries.Slide> slides = SyntheticSeries.make(4, 384, 5);
        try (AnnotationServer server = new AnnotationServer(dir.resolve("server")).project("Browser",
                slides.stream().map(SyntheticSeries.Slide::png).toList())) {
            server.draw(server.slices.get(0), slides.get(0).regions());
            server.draw(server.slices.get(1), slides.get(1).regions());
            ServiceConfig config = ServiceConfig.of(URI.create(server.url), dir.resolve("service")).withPort(0)
                    .withThreads(2);
            if (files != null) {
                config = config.withViewerScript("http://127.0.0.1:" + files.getAddress().getPort() + "/openseadragon.min.js");
            }
            try (SegmentationService service = SegmentationService.start(config);
                 Chromium browser = new Chromium(chromium.get(), dir.resolve("profile"))) {
                // As the server's page hands it over: a service token of the user, in the address's fragment.
                String token = server.owner.send("POST", "/api/v1/auth/service-token", Map.of("project", server.project)).ok()
                        .get("token").asText();
                browser.open(service.url() + "?series=" + server.series + "&slice=" + server.slices.get(2) + "#token=" + token);
                browser.waitFor("the series' slices listed", "document.querySelectorAll('input.train').length === 4", 30_000);
                assertThat(browser.eval("document.querySelector('input[name=view]:checked').value").asLong())
                        .isEqualTo(server.slices.get(2));
                assertThat(browser.eval("document.getElementById('series').value").asLong()).isEqualTo(server.series);

                browser.eval("document.querySelectorAll('input.train')[0].click(); document.querySelectorAll('input.train')[1].click()");
                browser.waitFor("the classes drawn on the training slices", "document.querySelectorAll('input.cls').length === 2", 30_000);
                browser.eval("document.getElementById('train').click()");
                browser.waitFor("the out-of-bag table", "document.querySelectorAll('#oob tr').length === 4", 60_000);
                assertThat(browser.eval("document.querySelector('#oob').textContent").asText()).contains("Nucleus", "Background", "%");
                assertThat(browser.eval("document.querySelectorAll('#importances rect').length").asInt()).isGreaterThan(5);

                if (files != null) {
                    browser.waitFor("the prediction overlay over the slide",
                            "state.viewer && state.layers.classes && state.viewer.world.getItemCount() >= 2"
                                    + " && state.layers.classes.getFullyLoaded()", 60_000);
                    assertThat(browser.eval("performance.getEntriesByType('resource').filter(e => e.name.includes('/preview/')"
                            + " && e.name.includes('kind=classes')).length").asInt()).isGreaterThan(0);
                    browser.eval("document.getElementById('uncertainty').click()");
                    browser.waitFor("the uncertainty overlay", "state.layers.uncertainty && state.layers.uncertainty.getFullyLoaded()",
                            60_000);
                }

                browser.eval("document.getElementById('start').click()");
                browser.waitFor("the job's progress bars", "document.querySelectorAll('#job .bar').length === 5", 30_000);
                browser.waitFor("the job done", "document.getElementById('job').textContent.includes(': done 100 %')", 120_000);
                browser.waitFor("the area plot", "document.querySelectorAll('#areas polyline').length === 2", 30_000);
                assertThat(browser.eval("document.getElementById('csv').hidden").asBoolean()).isFalse();
                assertThat(browser.eval("fetch(document.getElementById('csv').href).then(r => r.text())").asText())
                        .startsWith("image,class,area_px");
                for (long slice : server.slices) {
                    assertThat(server.count(slice, "generated")).isPositive();
                }
            }
        } finally {
            if (files != null) {
                files.stop(0);
            }
        }
    }
}

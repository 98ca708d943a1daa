package org.histodraw.app.demo;

import org.histodraw.engine.vector.PolygonCleaning;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import org.histodraw.app.console.Terminal;
import org.histodraw.app.segment.SegmentRequest;
import org.histodraw.app.segment.SegmentationRunner;
import org.histodraw.engine.forest.ForestSettings;

/**
 * Does the work of {@code histodraw demo}: starts the annotation server with the demo project
 * (see {@link DemoSite}) and serves until stopped; or, with {@code --batch}, segments the shipped
 * demo image (IHC of colonic glands) with its shipped training regions (Epithelium, Stroma, Lumen)
 * and writes the results.
 */
public class DemoRunner {
    static final String IMAGE = "ihc.png";
    static final String REGIONS = "ihc-regions.geojson";

    public void run(DemoRequest request, Terminal terminal) {
        if (request.batch()) {
            runBatch(request, terminal);
        } else {
            serve(request, terminal);
        }
    }

    private void serve(DemoRequest request, Terminal terminal) {
        int servicePort = request.port() == 0 ? 0 : request.port() + 1;
        try (DemoSite site = DemoSite.start(request.data(), request.port(), servicePort)) {
            terminal.out().println("HistoDraw demo: open " + site.url() + " and log in as " + DemoSite.USER + " / " + DemoSite.PASSWORD);
            terminal.out().println("  segmentation service: " + site.serviceUrl() + " (also linked from the viewer)");
            terminal.out().println("  project \"" + DemoSite.PROJECT + "\" (3 IHC slices, training regions on the first);"
                    + " data in " + request.data().toAbsolutePath() + "; Ctrl-C stops it");
            terminal.out().flush();
            terminal.untilStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runBatch(DemoRequest request, Terminal terminal) {
        Path inputs = request.out().resolve("inputs");
        Path image = extract(IMAGE, inputs);
        Path regions = extract(REGIONS, inputs);
        terminal.out().println("demo: training on " + regions + " and segmenting " + image);
        SegmentRequest segment = new SegmentRequest(List.of(image), List.of(regions), Optional.of(request.out()),
                Optional.of(request.out().resolve("demo-model.hdm")), Optional.empty(), Optional.empty(),
                ForestSettings.DEFAULT_TREES, ForestSettings.defaults().maxDepth(), 1, 512, request.threads(), true, PolygonCleaning.defaults(),
                List.of());
        new SegmentationRunner().run(segment, terminal);
        terminal.out().println("demo: results in " + request.out().toAbsolutePath()
                + " (ihc_classes.png, ihc.geojson for QuPath, probability and uncertainty maps)");
    }

    private static Path extract(String resource, Path dir) {
        try (InputStream in = DemoRunner.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("demo resource missing from the build: " + resource);
            }
            Files.createDirectories(dir);
            Path target = dir.resolve(resource);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo inputs to " + dir + ": " + e.getMessage(), e);
        }
    }
}

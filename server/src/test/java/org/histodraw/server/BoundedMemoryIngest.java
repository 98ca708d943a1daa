package org.histodraw.server;

import java.nio.file.Path;
import java.util.Locale;
import org.histodraw.server.store.Project;
import org.histodraw.server.store.Series;
import org.histodraw.server.store.Slice;

/**
 * Run in its own JVM by {@link BoundedMemoryIngestTest} (and usable by hand): starts a server on a
 * data folder, ingests one image as the CLI does, prints the slice and the peak heap, exits 0.
 *
 *   java -Xmx96m -cp ... org.histodraw.server.BoundedMemoryIngest DATA IMAGE
 */
public final class BoundedMemoryIngest {
    private BoundedMemoryIngest() {
    }

    public static void main(String[] args) {
        Path data = Path.of(args[0]);
        Path image = Path.of(args[1]);
        long t0 = System.nanoTime();
        try (HistoDrawServer server = HistoDrawServer.start(TestServer.config(data))) {
            var b = server.backend();
            long owner = b.accounts().userByName(TestServer.ADMIN).orElseThrow().id();
            Project project = b.projects().create("Memory", "", false, owner);
            Series series = b.slides().createSeries(project.id(), "Big");
            Slice slice = server.ingest(series.id(), image, "big", null);
            System.out.printf(Locale.ROOT, "ingested slice %d: %d x %d in %.1f s; heap max %d MiB%n",
                    slice.id(), slice.width(), slice.height(), (System.nanoTime() - t0) / 1e9,
                    Runtime.getRuntime().maxMemory() >> 20);
        }
    }
}

package org.histodraw.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.histodraw.app.console.Terminal;
import org.histodraw.app.console.UserError;
import org.histodraw.server.HistoDrawServer;
import org.histodraw.server.ServerConfig;
import org.histodraw.server.api.Backend;
import org.histodraw.server.store.Project;
import org.histodraw.server.store.Series;
import org.histodraw.server.store.Slice;
import org.histodraw.server.store.User;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code histodraw ingest}: adds image files as slices of a series in a server's data folder,
 * building their tile pyramids, with the server stopped (the browser uploads while it runs).
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Add images (PNG, JPEG, TIFF incl. tiled and pyramidal) as the slices of a series, in order,",
                "building their Deep Zoom / IIIF pyramids in the data folder of a stopped server.",
                "The project and the series are created when they do not exist yet."})
public final class IngestCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "histodraw-data",
            description = "The server's data folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--project", paramLabel = "NAME", required = true, description = "Project name.")
    String project;

    @Option(names = "--series", paramLabel = "NAME", required = true, description = "Series name.")
    String series;

    @Option(names = "--owner", paramLabel = "USER",
            description = "Owner of a new project (default: the first administrator).")
    String owner;

    @Option(names = "--pixel-size", paramLabel = "MICRONS",
            description = "Width of one pixel in microns, for every image (default: what each file says, e.g. TIFF resolution tags).")
    Double pixelSize;

    @Option(names = "--max-pixels", paramLabel = "N",
            description = "Refuse images larger than this many pixels (default: ${DEFAULT-VALUE}, about 92k x 92k).",
            defaultValue = "8589934592")
    long maxPixels;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Images, in the order of the series.")
    List<Path> images = new ArrayList<>();

    public IngestCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Checks.usableFolder("--data", data);
        if (pixelSize != null && !(pixelSize > 0 && pixelSize < 1e6)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--pixel-size must be a positive number of microns: " + pixelSize);
        }
        if (maxPixels < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--max-pixels must be positive: " + maxPixels);
        }
        for (Path image : images) {
            if (!Files.isRegularFile(image)) {
                throw new UserError("no such file: " + image);
            }
        }
        ServerConfig config = ServerConfig.defaults().withDataDir(data).withPort(0).withMaxSlidePixels(maxPixels);
        HistoDrawServer server;
        try {
            server = HistoDrawServer.start(config);
        } catch (RuntimeException e) {
            throw new UserError("cannot open the data folder " + data + " (" + ErrorReporter.oneLine(String.valueOf(e.getMessage()))
                    + "); is a server running on it? Stop it, or upload through the browser or the API");
        }
        try (server) {
            Backend backend = server.backend();
            Series target = series(backend, project(backend));
            int position = backend.slides().slicesOf(target.id()).size();
            for (Path image : images) {
                long t0 = System.nanoTime();
                String name = image.getFileName().toString();
                Slice slice;
                try {
                    slice = server.ingest(target.id(), image, name, (double) position++, pixelSize);
                } catch (RuntimeException e) {
                    int done = images.indexOf(image);
                    throw new UserError(ErrorReporter.oneLine(String.valueOf(e.getMessage()))
                            + (done == 0 ? "; nothing was ingested" : "; nothing of it was kept (the " + done
                            + " image(s) before it were ingested)"), e);
                }
                terminal.out().printf(Locale.ROOT, "%s: slice %d, %d x %d px%s, in %.1f s%n", name, slice.id(),
                        slice.width(), slice.height(), slice.micronsPerPixel() == null ? ""
                                : String.format(Locale.ROOT, ", %.4g µm/px", slice.micronsPerPixel()),
                        (System.nanoTime() - t0) / 1e9);
                terminal.out().flush();
            }
        }
        return 0;
    }

    private Project project(Backend backend) {
        for (Project p : backend.projects().visibleTo(null, true)) {
            if (p.name().equals(project)) {
                return p;
            }
        }
        User ownerUser = owner != null
                ? backend.accounts().userByName(owner).orElseThrow(() -> new UserError("--owner: no user " + owner))
                : backend.accounts().users().stream().filter(User::admin).findFirst().orElseThrow(() -> new UserError(
                        "no administrator yet to own the project: start the server once with "
                                + "'histodraw serve --admin NAME' (password in HISTODRAW_ADMIN_PASSWORD), or name --owner"));
        terminal.out().println("created project " + project + " (owner " + ownerUser.username() + ")");
        return backend.projects().create(project, "", false, ownerUser.id());
    }

    private Series series(Backend backend, Project p) {
        for (Series s : backend.slides().seriesOf(p.id())) {
            if (s.name().equals(series)) {
                return s;
            }
        }
        terminal.out().println("created series " + series);
        return backend.slides().createSeries(p.id(), series);
    }
}

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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code histodraw ingest}: adds slide files as slices of a series in a server's data folder, with the
 * server stopped (the browser uploads while it runs). Files are copied into the data folder, or
 * referenced where they are with {@code --link}; no pyramid is built for files read in place.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Add slides (SVS, NDPI, MRXS, SCN, BIF, Philips TIFF through OpenSlide; tiled and pyramidal TIFF;",
                "PNG, JPEG) as the slices of a series, in order, in the data folder of a stopped server.",
                "Slides are read in place: their tiles are cut on request, nothing is pre-built",
                "(PNG, JPEG and one-strip TIFF get a lossless pyramid, as they have no random access).",
                "The project and the series are created when they do not exist yet."})
public final class IngestCommand extends HistoDrawCommand {
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

    @Option(names = "--link",
            description = {"Reference the files where they are (a shared disk) instead of copying them into the data folder.",
                    "Needed for formats of several files (MIRAX .mrxs with its folder). Do not move or delete them after."})
    boolean link;

    @Option(names = "--max-pixels", paramLabel = "N",
            description = "Refuse images larger than this many pixels (default: ${DEFAULT-VALUE}, about 92k x 92k).",
            defaultValue = "8589934592")
    long maxPixels;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Images, in the order of the series.")
    List<Path> images = new ArrayList<>();

    public IngestCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() {
        Checks.usableFolder("--data", data);
        if (pixelSize != null && !(pixelSize > 0 && pixelSize < 1e6)) {
            throw checks().usage("--pixel-size must be a positive number of microns: " + pixelSize);
        }
        if (maxPixels < 1) {
            throw checks().usage("--max-pixels must be positive: " + maxPixels);
        }
        for (Path image : images) {
            if (!Files.isRegularFile(image)) {
                throw new UserError("no such file: " + image);
            }
        }
        try (HistoDrawServer server = openStopped(data, maxPixels)) {
            Backend backend = server.backend();
            Series target = series(backend, project(backend, project, owner, terminal), series, terminal);
            int position = backend.slides().slicesOf(target.id()).size();
            for (Path image : images) {
                long t0 = System.nanoTime();
                String name = image.getFileName().toString();
                Slice slice;
                try {
                    slice = server.ingest(target.id(), image, name, (double) position++, pixelSize, link);
                } catch (RuntimeException e) {
                    int done = images.indexOf(image);
                    throw new UserError(ErrorReporter.oneLine(String.valueOf(e.getMessage()))
                            + (done == 0 ? "; nothing was ingested" : "; nothing of it was kept (the " + done
                            + " image(s) before it were ingested)"), e);
                }
                terminal.out().printf(Locale.ROOT, "%s: slice %d, %s, %d x %d px%s%s, in %.1f s%n", name, slice.id(),
                        slice.source().format(), slice.width(), slice.height(), slice.micronsPerPixel() == null ? ""
                                : String.format(Locale.ROOT, ", %.4g µm/px", slice.micronsPerPixel()),
                        slice.source().linked() ? ", linked in place" : "", (System.nanoTime() - t0) / 1e9);
                terminal.out().flush();
            }
        }
        return 0;
    }

    /** The server of a data folder no server runs on, opened in this process (port 0, nothing served to others). */
    static HistoDrawServer openStopped(Path data, long maxPixels) {
        try {
            return HistoDrawServer.start(ServerConfig.defaults().withDataDir(data).withPort(0).withMaxSlidePixels(maxPixels));
        } catch (RuntimeException e) {
            throw new UserError("cannot open the data folder " + data + " (" + ErrorReporter.oneLine(String.valueOf(e.getMessage()))
                    + "); is a server running on it? Stop it, or upload through the browser or the API");
        }
    }

    /** The project of that name, created (owned by {@code owner}, else the first administrator) when there is none. */
    static Project project(Backend backend, String project, String owner, Terminal terminal) {
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

    /** The project's series of that name, created when there is none. */
    static Series series(Backend backend, Project p, String series, Terminal terminal) {
        for (Series s : backend.slides().seriesOf(p.id())) {
            if (s.name().equals(series)) {
                return s;
            }
        }
        terminal.out().println("created series " + series);
        return backend.slides().createSeries(p.id(), series);
    }
}

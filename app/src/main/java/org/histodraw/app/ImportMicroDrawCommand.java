package org.histodraw.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.histodraw.app.microdraw.MicroDrawProjectImport;
import org.histodraw.engine.geojson.JsonException;
import org.histodraw.server.api.Backend;
import org.histodraw.server.HistoDrawServer;
import org.histodraw.server.store.Project;
import org.histodraw.server.store.Series;
import org.histodraw.server.store.User;
import org.histodraw.slides.io.SlideException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.histodraw.app.console.Terminal;
import org.histodraw.app.console.UserError;

/**
 * {@code histodraw import-microdraw}: a MicroDraw project into a stopped server's data folder (see
 * {@link MicroDrawProjectImport} and docs/interop.md).
 */
@Command(name = "import-microdraw", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Move a MicroDraw project into the data folder of a stopped server: its source description",
                "becomes a series (its Deep Zoom images, or the original images, the slices), its annotation",
                "documents the regions, every MicroDraw save one commit of history (backups are earlier versions),",
                "uids and authors kept, lines and texts kept for MicroDraw's clients. The source URL is recorded,",
                "so MicroDraw's clients and scripts reach the series under /microdraw/api."})
public final class ImportMicroDrawCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "histodraw-data",
            description = "The server's data folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--project", paramLabel = "NAME", required = true, description = "HistoDraw project (created when new).")
    String project;

    @Option(names = "--series", paramLabel = "NAME", description = "Series to create (default: the source file's name).")
    String series;

    @Option(names = "--owner", paramLabel = "USER", description = "Owner of a new project, and who the import is recorded as (default: the first administrator).")
    String owner;

    @Option(names = "--source", paramLabel = "FILE", required = true,
            description = "MicroDraw's source description (JSON with \"tileSources\", e.g. test_data/cat.json).")
    Path source;

    @Option(names = "--root", paramLabel = "DIR",
            description = "MicroDraw's public folder, where the source's paths (/test_data/cat.dzi) are (default: the folders above the source).")
    Path root;

    @Option(names = "--source-url", paramLabel = "URL",
            description = "The source as MicroDraw's clients named it in ?source= (default: the one the annotations name, else the source's path under the root).")
    String sourceUrl;

    @Option(names = "--microdraw-project", paramLabel = "NAME", description = "Only this MicroDraw project's annotations (and record the source for it).")
    String microDrawProject;

    @Option(names = "--annotations", paramLabel = "FILE", arity = "1..*",
            description = "MicroDraw annotation documents: GET /api?source=...&slice=...&backup answers, or mongoexport of its annotations collection.")
    List<Path> annotations = new ArrayList<>();

    @Option(names = "--images", paramLabel = "IMAGE", arity = "1..*",
            description = "The original images, one per tile source in order, instead of rebuilding them from the Deep Zoom tiles.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--labels", paramLabel = "FILE", description = "MicroDraw's label set ({\"labels\": [{\"name\", \"color\"}]}) for the ontology's colours.")
    Path labels;

    @Option(names = "--pixel-size", paramLabel = "MICRONS", description = "Width of a pixel in microns (default: from the source's pixelsPerMeter).")
    Double pixelSize;

    @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "8589934592",
            description = "Refuse images larger than this many pixels (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    public ImportMicroDrawCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Checks.usableFolder("--data", data);
        List<Path> files = new ArrayList<>(List.of(source));
        files.addAll(annotations);
        files.addAll(images);
        if (labels != null) {
            files.add(labels);
        }
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new UserError("no such file: " + f);
            }
        }
        if (root != null && !Files.isDirectory(root)) {
            throw new UserError("--root: no such folder: " + root);
        }
        if (pixelSize != null && !(pixelSize > 0 && pixelSize < 1e6)) {
            throw new UserError("--pixel-size must be a positive number of microns: " + pixelSize);
        }
        try (HistoDrawServer server = IngestCommand.openStopped(data, maxPixels)) {
            Backend backend = server.backend();
            Project p = IngestCommand.project(backend, project, owner, terminal);
            String seriesName = series != null ? series : stem(source.getFileName().toString());
            Series target = IngestCommand.series(backend, p, seriesName, terminal);
            User importer = owner != null ? backend.accounts().userByName(owner).orElseThrow(() -> new UserError("--owner: no user " + owner))
                    : backend.accounts().users().stream().filter(User::admin).findFirst()
                    .orElseThrow(() -> new UserError("no administrator yet: start the server once with 'histodraw serve --admin NAME', or name --owner"));
            Path scratch = Files.createTempDirectory(data.toAbsolutePath(), "microdraw-import-");
            try {
                new MicroDrawProjectImport(server, line -> {
                    terminal.out().println(line);
                    terminal.out().flush();
                }).run(new MicroDrawProjectImport.Request(source, root, sourceUrl, microDrawProject, annotations, images, pixelSize,
                        labels, maxPixels), target, importer, scratch);
            } finally {
                Files.deleteIfExists(scratch);
            }
        } catch (JsonException e) {
            throw new UserError("not JSON: " + e.getMessage());
        } catch (IllegalArgumentException | SlideException e) {
            throw new UserError(ErrorReporter.oneLine(String.valueOf(e.getMessage())), e);
        } catch (IOException e) {
            throw new UserError(ErrorReporter.oneLine(String.valueOf(e.getMessage())), e);
        }
        return 0;
    }

    private static String stem(String file) {
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }
}

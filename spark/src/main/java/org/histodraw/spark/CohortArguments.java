package org.histodraw.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.histodraw.engine.vector.PolygonCleaning;
import org.histodraw.engine.vector.PolygonSimplifier;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The cohort job's command line, declared once for its two doors: {@code histodraw cohort} (the
 * app, which runs the job on an embedded Spark) and {@code spark-submit ... CohortJob} (a cluster).
 * A picocli mixin that touches nothing of Spark, so the app can parse and check a command line
 * without Spark's libraries on its classpath.
 *
 * <p>Slides keep the order given (the summary's rows): {@code --slide} and {@code --slides} may be
 * mixed, then the slices of each {@code --series}. Relative paths are made absolute here, on the
 * driver, because executors run in other folders: a {@code --slide} against the current folder, the
 * lines of a {@code --slides} list against the list's own folder (so a list travels with its slides).
 */
public final class CohortArguments {
    /** The variable the token is read from when {@code --token} is not given. */
    public static final String TOKEN_VARIABLE = "HISTODRAW_TOKEN";
    /** The driver's main class, which parses these arguments (named, not linked: it needs Spark). */
    public static final String MAIN_CLASS = "org.histodraw.spark.CohortJob";

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--model", required = true, paramLabel = "FILE", order = 1,
            description = "The saved model to apply (.hdm, e.g. from histodraw segment --save-model).")
    Path model;

    @Option(names = "--slides", paramLabel = "LIST", order = 2,
            description = "A text file with one slide per line (# comments and blank lines skipped; relative paths "
                    + "are relative to the list's folder). Repeatable.")
    List<Path> slideLists = new ArrayList<>();

    @Option(names = "--slide", paramLabel = "PATH", order = 3,
            description = "One slide (any format the slide readers open), or slice:ID:NAME for a slice of --server. Repeatable.")
    List<String> slides = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", order = 4,
            description = "Folder for the results; on a cluster, on a file system every executor mounts at the same path.")
    Path out;

    @Option(names = "--server", paramLabel = "URL", order = 5,
            description = "An annotation server whose slices join the cohort, e.g. http://127.0.0.1:8080.")
    String server;

    @Option(names = "--series", paramLabel = "ID", order = 6,
            description = "Adds every slice of this series of --server, in the server's order. Repeatable.")
    List<Long> series = new ArrayList<>();

    @Option(names = "--token", paramLabel = "TOKEN", order = 7, defaultValue = "${env:" + TOKEN_VARIABLE + "}",
            description = "An API token of the project (read; read and write for --post-back); default: the "
                    + TOKEN_VARIABLE + " variable. It travels with the tasks.")
    String token;

    @Option(names = "--post-back", order = 8,
            description = "Send each slice's polygons back as its layer \"generated\", published together when the job ends.")
    boolean postBack;

    @Option(names = "--tile", paramLabel = "PX", order = 9, defaultValue = "" + CohortOptions.DEFAULT_TILE,
            description = "Tile size in pixels, the unit of work (default: ${DEFAULT-VALUE}); the same as histodraw segment's "
                    + "gives the same files.")
    int tile;

    // Cleaning: the options of histodraw segment, with its defaults, units and words (CohortCommandTest compares them).
    @Option(names = "--simplify", paramLabel = "PX", order = 10, defaultValue = "" + PolygonCleaning.DEFAULT_SIMPLIFY,
            description = "Polygon simplification tolerance in pixels, 0 for none (default: ${DEFAULT-VALUE}).")
    double simplify;

    @Option(names = "--smooth", paramLabel = "N", order = 11, defaultValue = "0",
            description = "Passes of corner cutting that round the outlines after simplifying, 0-"
                    + PolygonSimplifier.MAX_SMOOTHING + " (default: ${DEFAULT-VALUE}).")
    int smooth;

    @Option(names = "--min-area", paramLabel = "AREA", order = 12,
            description = "Drop regions smaller than this: µm² when the image records its pixel size, else px² "
                    + "(default: " + (long) PolygonCleaning.DEFAULT_MICRONS2 + " µm², or " + (long) PolygonCleaning.DEFAULT_PIXELS2
                    + " px² without a pixel size; 0 keeps all).")
    Double minArea;

    @Option(names = "--min-hole", paramLabel = "AREA", order = 13,
            description = "Fill holes smaller than this, in the same units (default: as --min-area's default; 0 keeps all).")
    Double minHole;

    @Option(names = "--resolution", paramLabel = "N", order = 14, defaultValue = "1",
            description = "1: every pixel (default); 2, 4 or 8: a tissue map from each slide's level 1/N by the model's "
                    + "overview (train it with histodraw segment --overview N), polygons in the slide's pixels.")
    int resolution;

    @Option(names = "--omit", split = ",", paramLabel = "CLASS", order = 15,
            description = "Write no regions of these classes into the GeoJSON, e.g. Background (they stay in the class map "
                    + "and the summary's areas), as histodraw segment --omit.")
    List<String> omit = new ArrayList<>();

    @Option(names = "--master", paramLabel = "URL", order = 16,
            description = "Spark master: local[N] (N cores of this machine), spark://HOST:7077 (a standalone cluster)... "
                    + "(default: " + CohortOptions.DEFAULT_MASTER + ", all cores here; spark-submit's --master wins).")
    String master;

    /**
     * The checked options. A command line that cannot work (no slides, a tile too small, --series
     * without --server) is a {@link ParameterException}; a slide list that cannot be read an
     * {@link IllegalArgumentException} naming it.
     */
    public CohortOptions options() {
        List<String> all = new ArrayList<>();
        for (Given g : given()) {
            if (g.list() == null) {
                all.add(g.slide());
            } else {
                Path folder = g.list().toAbsolutePath().getParent();
                readList(g.list()).forEach(s -> all.add(local(s, folder)));
            }
        }
        try {
            Optional<ServerAccess> access = server == null ? Optional.empty() : Optional.of(new ServerAccess(server, token));
            return new CohortOptions(model.toAbsolutePath(), all, out.toAbsolutePath(), tile, Optional.ofNullable(master),
                    cleaning(), access, series, postBack, resolution,
                    omit.stream().map(String::strip).collect(java.util.stream.Collectors.toSet()));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage(), e);
        }
    }

    /** The cleaning options, checked with the words of {@code histodraw segment}'s. */
    private PolygonCleaning cleaning() {
        atLeastZero("--simplify", simplify);
        if (minArea != null) {
            atLeastZero("--min-area", minArea);
        }
        if (minHole != null) {
            atLeastZero("--min-hole", minHole);
        }
        if (smooth < 0 || smooth > PolygonSimplifier.MAX_SMOOTHING) {
            throw new IllegalArgumentException("--smooth must be 0.." + PolygonSimplifier.MAX_SMOOTHING + ", not " + smooth);
        }
        return new PolygonCleaning(minArea, minHole, simplify, smooth);
    }

    private static void atLeastZero(String option, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + " must be a number >= 0, not " + value);
        }
    }

    /**
     * The same job as a command line for a driver in another process ({@code histodraw cohort}
     * starts one): every path absolute, so the driver may run in any folder, and without the token,
     * which goes to the driver by the {@value #TOKEN_VARIABLE} variable, not where {@code ps} shows it.
     */
    public List<String> driverArguments() {
        List<String> args = new ArrayList<>(List.of("--model", model.toAbsolutePath().toString(), "--out",
                out.toAbsolutePath().toString(), "--tile", Integer.toString(tile), "--simplify", Double.toString(simplify),
                "--smooth", Integer.toString(smooth)));
        if (minArea != null) { // absent: the default, which depends on each slide's pixel size
            args.addAll(List.of("--min-area", Double.toString(minArea)));
        }
        if (minHole != null) {
            args.addAll(List.of("--min-hole", Double.toString(minHole)));
        }
        for (Given g : given()) {
            args.addAll(g.list() == null ? List.of("--slide", g.slide()) : List.of("--slides", g.list().toAbsolutePath().toString()));
        }
        if (server != null) {
            args.addAll(List.of("--server", server));
        }
        series.forEach(id -> args.addAll(List.of("--series", Long.toString(id))));
        if (postBack) {
            args.add("--post-back");
        }
        if (master != null) {
            args.addAll(List.of("--master", master));
        }
        return args;
    }

    /** The API token of {@code --token} or the {@value #TOKEN_VARIABLE} variable. */
    public Optional<String> token() {
        return Optional.ofNullable(token).filter(t -> !t.isBlank());
    }

    /** A {@code --slide} (its slide as the executors will find it) or a {@code --slides} list. */
    private record Given(String slide, Path list) {
    }

    /** The {@code --slide} and {@code --slides} options in the order of the command line. */
    private List<Given> given() {
        List<Given> given = new ArrayList<>();
        ParseResult parsed = command.commandLine().getParseResult();
        Iterator<String> single = slides.iterator();
        Iterator<Path> lists = slideLists.iterator();
        for (ArgSpec arg : parsed == null ? List.<ArgSpec>of() : parsed.matchedArgs()) {
            if (arg instanceof OptionSpec option && option.longestName().equals("--slide")) {
                given.add(new Given(local(single.next(), Path.of("")), null));
            } else if (arg instanceof OptionSpec option && option.longestName().equals("--slides")) {
                given.add(new Given(null, lists.next()));
            }
        }
        return given;
    }

    /** A slide as the executors will find it: server slices as given, files by their absolute path. */
    static String local(String slide, Path folder) {
        if (SlideSource.isSlice(slide)) {
            return slide;
        }
        return folder.resolve(slide).toAbsolutePath().normalize().toString();
    }

    /** One slide per line; blank lines and lines starting with # are skipped. */
    static List<String> readList(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--slides: no such file: " + file, e);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("--slides: cannot read the slide list " + file + ": " + e.getMessage(), e);
        }
    }
}

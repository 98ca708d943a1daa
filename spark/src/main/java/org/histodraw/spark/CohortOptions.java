package org.histodraw.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a cohort run is asked to do: which model, which slides, where the results go, and how the
 * slides are cut and their polygons cleaned (the same defaults as {@code histodraw segment}, so the
 * two give the same files).
 *
 * @param model    the saved model ({@code .hdm}); read on the driver and broadcast
 * @param slides   slide paths as the executors will see them, in the order of the summary
 * @param out      the results folder; on a cluster it must be shared by all executors
 * @param tile     tile size in pixels (the unit of work)
 * @param master   Spark master to use when none is configured ({@code spark-submit --master} wins)
 * @param simplify polygon simplification tolerance in pixels (0 = none)
 * @param minArea  smallest polygon area kept, in square pixels (0 = all)
 * @param server   the annotation server for {@code slice:ID:NAME} slides, {@code series} and {@code postBack}
 * @param series   series of the server whose slices join the cohort (listed on the driver)
 * @param postBack send each slide's polygons back to the server as its layer {@code generated},
 *                 published together when the job ends (none when the job fails)
 */
public record CohortOptions(Path model, List<String> slides, Path out, int tile, Optional<String> master,
                            double simplify, double minArea, Optional<ServerAccess> server, List<Long> series, boolean postBack) {
    public static final int DEFAULT_TILE = 512;
    public static final double DEFAULT_SIMPLIFY = 1.0;

    public CohortOptions {
        series = List.copyOf(series);
        if (slides.isEmpty() && series.isEmpty()) {
            throw new IllegalArgumentException("no slides: give --slides LIST.txt, --slide PATH or --server URL --series ID");
        }
        if (server.isEmpty() && (!series.isEmpty() || postBack || slides.stream().anyMatch(SlideSource::isSlice))) {
            throw new IllegalArgumentException("--series, --post-back and slice:ID slides need --server URL (and a token)");
        }
        if (tile < 16) {
            throw new IllegalArgumentException("--tile must be at least 16 pixels: " + tile);
        }
        if (!(simplify >= 0) || !(minArea >= 0)) {
            throw new IllegalArgumentException("--simplify and --min-area must be at least 0: " + simplify + ", " + minArea);
        }
        slides = List.copyOf(slides);
    }

    public CohortOptions(Path model, List<String> slides, Path out, int tile, Optional<String> master, double simplify, double minArea) {
        this(model, slides, out, tile, master, simplify, minArea, Optional.empty(), List.of(), false);
    }

    public static CohortOptions of(Path model, List<String> slides, Path out, int tile) {
        return new CohortOptions(model, slides, out, tile, Optional.empty(), DEFAULT_SIMPLIFY, 0);
    }

    /** The same job with slides of an annotation server. */
    public CohortOptions withServer(String url, String token, List<Long> seriesIds, boolean post) {
        return new CohortOptions(model, slides, out, tile, master, simplify, minArea, Optional.of(new ServerAccess(url, token)),
                seriesIds, post);
    }

    static final String USAGE = """
            usage: CohortJob --model MODEL.hdm (--slides LIST.txt | --slide PATH ... | --server URL --series ID ...) --out DIR
                             [--token T] [--post-back] [--tile 512] [--master local[2]] [--simplify 1.0] [--min-area 0]
              --slides    a text file with one slide path per line (blank lines and # comments skipped)
              --slide     one slide; repeatable, and may be mixed with --slides; slice:ID:NAME is a server slice
              --server    an annotation server; --series ID (repeatable) adds all slices of a series
              --token     the server's API token of the project (default: the HISTODRAW_TOKEN variable)
              --post-back send the polygons back as each slice's layer "generated", published when the job ends
              --master    used only when no master is configured (spark-submit --master wins)""";

    /** Parses the command line; a problem fails with an IllegalArgumentException that names it. */
    public static CohortOptions parse(String... args) {
        Path model = null;
        Path out = null;
        List<String> slides = new ArrayList<>();
        int tile = DEFAULT_TILE;
        String master = null;
        double simplify = DEFAULT_SIMPLIFY;
        double minArea = 0;
        String server = null;
        String token = System.getenv("HISTODRAW_TOKEN");
        List<Long> series = new ArrayList<>();
        boolean postBack = false;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + name);
            }
            if (name.equals("--post-back")) {
                postBack = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--model" -> model = Path.of(value);
                case "--out" -> out = Path.of(value);
                case "--slide" -> slides.add(value);
                case "--slides" -> slides.addAll(readList(Path.of(value)));
                case "--tile" -> tile = number(name, value);
                case "--master" -> master = value;
                case "--simplify" -> simplify = decimal(name, value);
                case "--min-area" -> minArea = decimal(name, value);
                case "--server" -> server = value;
                case "--token" -> token = value;
                case "--series" -> series.add((long) number(name, value));
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (model == null) {
            throw new IllegalArgumentException("--model is required");
        }
        if (out == null) {
            throw new IllegalArgumentException("--out is required");
        }
        Optional<ServerAccess> access = server == null ? Optional.empty() : Optional.of(new ServerAccess(server, token));
        return new CohortOptions(model, slides, out, tile, Optional.ofNullable(master), simplify, minArea, access, series, postBack);
    }

    /** One path per line; blank lines and lines starting with # are skipped. */
    static List<String> readList(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the slide list " + file + ": " + e.getMessage(), e);
        }
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a whole number, not " + value);
        }
    }

    private static double decimal(String name, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a number, not " + value);
        }
    }
}

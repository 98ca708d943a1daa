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
 */
public record CohortOptions(Path model, List<String> slides, Path out, int tile, Optional<String> master,
                            double simplify, double minArea) {
    public static final int DEFAULT_TILE = 512;
    public static final double DEFAULT_SIMPLIFY = 1.0;

    public CohortOptions {
        if (slides.isEmpty()) {
            throw new IllegalArgumentException("no slides: give --slides LIST.txt or --slide PATH");
        }
        if (tile < 16) {
            throw new IllegalArgumentException("--tile must be at least 16 pixels: " + tile);
        }
        if (!(simplify >= 0) || !(minArea >= 0)) {
            throw new IllegalArgumentException("--simplify and --min-area must be at least 0: " + simplify + ", " + minArea);
        }
        slides = List.copyOf(slides);
    }

    public static CohortOptions of(Path model, List<String> slides, Path out, int tile) {
        return new CohortOptions(model, slides, out, tile, Optional.empty(), DEFAULT_SIMPLIFY, 0);
    }

    static final String USAGE = """
            usage: CohortJob --model MODEL.hdm (--slides LIST.txt | --slide PATH ...) --out DIR
                             [--tile 512] [--master local[2]] [--simplify 1.0] [--min-area 0]
              --slides    a text file with one slide path per line (blank lines and # comments skipped)
              --slide     one slide; repeatable, and may be mixed with --slides
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
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + name);
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
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (model == null) {
            throw new IllegalArgumentException("--model is required");
        }
        if (out == null) {
            throw new IllegalArgumentException("--out is required");
        }
        return new CohortOptions(model, slides, out, tile, Optional.ofNullable(master), simplify, minArea);
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

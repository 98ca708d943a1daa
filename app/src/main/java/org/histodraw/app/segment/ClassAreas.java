package org.histodraw.app.segment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.histodraw.app.UserError;
import org.histodraw.engine.classes.ClassList;

/**
 * The area of every class on every segmented image, for the table users plot along a series:
 * one CSV row per image and class, in pixels and, when the image knows its pixel size, in µm².
 */
final class ClassAreas {
    private final ClassList classes;
    private final List<String> rows = new ArrayList<>();

    ClassAreas(ClassList classes) {
        this.classes = classes;
    }

    void add(String image, int width, int height, Optional<Double> micronsPerPixel, long[] pixelsPerClass) {
        long total = (long) width * height;
        for (int c = 1; c <= classes.size(); c++) {
            long px = c < pixelsPerClass.length ? pixelsPerClass[c] : 0;
            String um2 = micronsPerPixel.map(m -> String.format(Locale.ROOT, "%.1f", px * m * m)).orElse("");
            rows.add(String.join(",", quoted(image), quoted(classes.get(c).name()), Long.toString(px), um2,
                    String.format(Locale.ROOT, "%.6f", total == 0 ? 0 : px / (double) total)));
        }
    }

    void write(Path file) {
        StringBuilder csv = new StringBuilder("image,class,area_px,area_um2,fraction\n");
        rows.forEach(r -> csv.append(r).append('\n'));
        try {
            Path part = file.resolveSibling(file.getFileName() + ".part");
            Files.writeString(part, csv, StandardCharsets.UTF_8);
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserError("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** CSV quoting for names that may hold commas or quotes. */
    private static String quoted(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}

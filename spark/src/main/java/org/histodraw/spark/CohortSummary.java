package org.histodraw.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import org.histodraw.engine.classes.ClassList;

/**
 * The cohort's summary table, one CSV row per slide in the order given:
 * {@code slide,status,message,width,height,tiles,seconds}, then per class {@code CLASS_px} and
 * {@code CLASS_um2} (empty when the slide does not know its pixel size, or failed).
 */
final class CohortSummary {

    private CohortSummary() {
    }

    static String csv(List<SlideOutcome> outcomes, ClassList classes) {
        StringBuilder csv = new StringBuilder("slide,status,message,width,height,tiles,seconds");
        for (int c = 1; c <= classes.size(); c++) {
            csv.append(',').append(quoted(classes.get(c).name() + "_px"));
        }
        for (int c = 1; c <= classes.size(); c++) {
            csv.append(',').append(quoted(classes.get(c).name() + "_um2"));
        }
        csv.append('\n');
        for (SlideOutcome o : outcomes) {
            csv.append(quoted(o.slide())).append(',').append(o.status()).append(',').append(quoted(o.message()))
                    .append(',').append(o.width()).append(',').append(o.height()).append(',').append(o.tiles())
                    .append(',').append(String.format(Locale.ROOT, "%.3f", o.seconds()));
            for (int c = 1; c <= classes.size(); c++) {
                csv.append(',').append(o.ok() ? Long.toString(o.pixels(c)) : "");
            }
            for (int c = 1; c <= classes.size(); c++) {
                int cls = c;
                csv.append(',').append(o.ok() ? o.pixelSize().map(m -> String.format(Locale.ROOT, "%.1f",
                        o.pixels(cls) * m * m)).orElse("") : "");
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    static void write(Path file, List<SlideOutcome> outcomes, ClassList classes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path part = file.resolveSibling(file.getFileName() + ".part");
            Files.writeString(part, csv(outcomes, classes), StandardCharsets.UTF_8);
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** CSV quoting for text that may hold commas, quotes or line breaks. */
    static String quoted(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
                ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}

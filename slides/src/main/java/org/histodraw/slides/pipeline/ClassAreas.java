package org.histodraw.slides.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.slides.io.CsvTable;

/**
 * The area of every class on every segmented image, for the table users plot along a series:
 * one row per image and class, in pixels and, when the image knows its pixel size, in µm².
 * Used by {@code histodraw segment} (class-areas.csv) and by the segmentation service.
 */
public final class ClassAreas {
    /**
     * One image and class.
     *
     * @param areaUm2  null when the image's pixel size is unknown
     * @param fraction of the image's pixels
     */
    public record Row(String image, String className, long areaPx, Double areaUm2, double fraction) {
    }

    private final ClassList classes;
    private final List<Row> rows = new ArrayList<>();

    public ClassAreas(ClassList classes) {
        this.classes = classes;
    }

    /** @param pixelsPerClass pixels of each class, index 1..K (index 0, unlabelled, is not listed) */
    public synchronized void add(String image, int width, int height, Optional<Double> micronsPerPixel, long[] pixelsPerClass) {
        long total = (long) width * height;
        for (int c = 1; c <= classes.size(); c++) {
            long px = c < pixelsPerClass.length ? pixelsPerClass[c] : 0;
            Double um2 = micronsPerPixel.map(m -> px * m * m).orElse(null);
            rows.add(new Row(image, classes.get(c).name(), px, um2, total == 0 ? 0 : px / (double) total));
        }
    }

    public synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    /** The table as CSV: {@code image,class,area_px,area_um2,fraction} (area_um2 empty when unknown). */
    public synchronized String csv() {
        return csv(rows);
    }

    /** Rows (e.g. kept from an earlier run) as CSV, with the header. */
    public static String csv(List<Row> rows) {
        return table(rows).text();
    }

    /** Writes the CSV under a temporary name first, so the file is whole or absent. */
    public void write(Path file) {
        table(rows()).write(file);
    }

    private static CsvTable table(List<Row> rows) {
        CsvTable table = new CsvTable(List.of("image", "class", "area_px", "area_um2", "fraction"));
        for (Row r : rows) {
            table.row(List.of(r.image(), r.className(), Long.toString(r.areaPx()),
                    r.areaUm2() == null ? "" : String.format(Locale.ROOT, "%.1f", r.areaUm2()),
                    String.format(Locale.ROOT, "%.6f", r.fraction())));
        }
        return table;
    }
}

package org.histodraw.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.slides.io.CsvTable;

/**
 * The cohort's summary table, one row per slide in the order given:
 * {@code slide,status,message,width,height,tiles,seconds}, then per class {@code CLASS_px} and
 * {@code CLASS_um2} (empty when the slide does not know its pixel size, or failed). Written as
 * {@code summary.csv} for spreadsheets and as {@code summary.parquet} (a Spark DataFrame written by
 * Spark's own writer: typed columns, nulls for the empty cells, one file) for the rest of a data
 * pipeline.
 */
final class CohortSummary {
    /** The folder Spark writes the Parquet table into, beside {@code summary.csv}. */
    static final String PARQUET = "summary.parquet";

    private CohortSummary() {
    }

    static String csv(List<SlideOutcome> outcomes, ClassList classes) {
        return table(outcomes, classes).text();
    }

    static void write(Path file, List<SlideOutcome> outcomes, ClassList classes) {
        table(outcomes, classes).write(file);
    }

    private static CsvTable table(List<SlideOutcome> outcomes, ClassList classes) {
        CsvTable table = new CsvTable(List.of(schema(classes).fieldNames())); // the Parquet table's columns
        for (SlideOutcome o : outcomes) {
            List<String> row = new ArrayList<>(List.of(o.slide(), o.status(), o.message(), Integer.toString(o.width()),
                    Integer.toString(o.height()), Integer.toString(o.tiles()), String.format(Locale.ROOT, "%.3f", o.seconds())));
            for (int c = 1; c <= classes.size(); c++) {
                row.add(o.ok() ? Long.toString(o.pixels(c)) : "");
            }
            for (int c = 1; c <= classes.size(); c++) {
                int cls = c;
                row.add(o.ok() ? o.pixelSize().map(m -> String.format(Locale.ROOT, "%.1f", o.pixels(cls) * m * m)).orElse("") : "");
            }
            table.row(row);
        }
        return table;
    }

    /**
     * The table's columns: slide, status, message (strings), width, height, tiles (int), seconds
     * (double), then {@code CLASS_px} (long) and {@code CLASS_um2} (double) per class, null when
     * the slide failed or (for µm²) its pixel size is unknown.
     */
    static StructType schema(ClassList classes) {
        List<StructField> fields = new ArrayList<>(List.of(
                DataTypes.createStructField("slide", DataTypes.StringType, false),
                DataTypes.createStructField("status", DataTypes.StringType, false),
                DataTypes.createStructField("message", DataTypes.StringType, false),
                DataTypes.createStructField("width", DataTypes.IntegerType, false),
                DataTypes.createStructField("height", DataTypes.IntegerType, false),
                DataTypes.createStructField("tiles", DataTypes.IntegerType, false),
                DataTypes.createStructField("seconds", DataTypes.DoubleType, false)));
        for (int c = 1; c <= classes.size(); c++) {
            fields.add(DataTypes.createStructField(classes.get(c).name() + "_px", DataTypes.LongType, true));
        }
        for (int c = 1; c <= classes.size(); c++) {
            fields.add(DataTypes.createStructField(classes.get(c).name() + "_um2", DataTypes.DoubleType, true));
        }
        return DataTypes.createStructType(fields);
    }

    /** The summary as a DataFrame, rows in the order of the outcomes. */
    static Dataset<Row> frame(SparkSession spark, List<SlideOutcome> outcomes, ClassList classes) {
        List<Row> rows = new ArrayList<>(outcomes.size());
        int k = classes.size();
        for (SlideOutcome o : outcomes) {
            Object[] values = new Object[7 + 2 * k];
            values[0] = o.slide();
            values[1] = o.status();
            values[2] = o.message();
            values[3] = o.width();
            values[4] = o.height();
            values[5] = o.tiles();
            values[6] = o.seconds();
            for (int c = 1; c <= k; c++) {
                values[6 + c] = o.ok() ? o.pixels(c) : null;
                values[6 + k + c] = o.ok() && o.pixelSize().isPresent()
                        ? o.pixels(c) * o.pixelSize().get() * o.pixelSize().get() : null;
            }
            rows.add(RowFactory.create(values));
        }
        return spark.createDataFrame(rows, schema(classes));
    }

    /**
     * Writes the summary with Spark's Parquet writer into the folder {@code dir} (replaced if it
     * exists), as one file: a cohort's summary is small, and one file is what a reader expects.
     */
    static void writeParquet(SparkSession spark, Path dir, List<SlideOutcome> outcomes, ClassList classes) {
        frame(spark, outcomes, classes).coalesce(1).write().mode(SaveMode.Overwrite).parquet(dir.toString());
    }
}

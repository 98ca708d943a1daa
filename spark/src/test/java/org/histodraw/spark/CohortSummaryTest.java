package org.histodraw.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.histodraw.engine.classes.ClassList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CohortSummaryTest {
    @TempDir
    Path folder;

    private static final ClassList CLASSES = ClassList.named(List.of("Stroma", "Tumour, invasive"));
    private static final List<SlideOutcome> OUTCOMES = List.of(
            new SlideOutcome(0, "/s/a.tif", "ok", "", 20, 10, 1, 1.23456, new long[] {0, 150, 50}, 0.5),
            new SlideOutcome(1, "/s/b.png", "ok", "", 10, 10, 1, 0.5, new long[] {0, 100, 0}, Double.NaN),
            SlideOutcome.failed(2, "/s/c.png", "truncated PNG: /s/c.png (\"IDAT\" missing)", 0.01));

    @Test
    void oneRowPerSlideWithAreasInPixelsAndSquareMicronsWhenKnown() {
        ClassList classes = CLASSES;
        List<SlideOutcome> outcomes = OUTCOMES;
        assertThat(CohortSummary.csv(outcomes, classes)).isEqualTo("""
                slide,status,message,width,height,tiles,seconds,Stroma_px,"Tumour, invasive_px",Stroma_um2,"Tumour, invasive_um2"
                /s/a.tif,ok,,20,10,1,1.235,150,50,37.5,12.5
                /s/b.png,ok,,10,10,1,0.500,100,0,,
                /s/c.png,failed,"truncated PNG: /s/c.png (""IDAT"" missing)",0,0,0,0.010,,,,
                """);
    }

    @Test
    void theParquetTableReadsBackWithTypedColumnsAndNullsWhereTheCsvIsEmpty() {
        SparkConf conf = CohortJob.configure(new SparkConf().setAppName("summary-test"), Optional.of("local[1]"));
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try {
            Path dir = folder.resolve(CohortSummary.PARQUET);
            CohortSummary.writeParquet(spark, dir, OUTCOMES, CLASSES);
            CohortSummary.writeParquet(spark, dir, OUTCOMES, CLASSES); // a second run replaces the table

            List<Row> rows = spark.read().parquet(dir.toString()).orderBy("slide").collectAsList();
            assertThat(rows).hasSize(3);
            // Spark reads every Parquet column back as nullable: compare names and types.
            assertThat(spark.read().parquet(dir.toString()).schema().fields())
                    .extracting(f -> f.name() + ":" + f.dataType().simpleString())
                    .containsExactly("slide:string", "status:string", "message:string", "width:int", "height:int",
                            "tiles:int", "seconds:double", "Stroma_px:bigint", "Tumour, invasive_px:bigint",
                            "Stroma_um2:double", "Tumour, invasive_um2:double");
            Row a = rows.get(0);
            assertThat(a.<String>getAs("slide")).isEqualTo("/s/a.tif");
            assertThat(a.<String>getAs("status")).isEqualTo("ok");
            assertThat(a.<Integer>getAs("width")).isEqualTo(20);
            assertThat(a.<Double>getAs("seconds")).isEqualTo(1.23456);
            assertThat(a.<Long>getAs("Stroma_px")).isEqualTo(150L);
            assertThat(a.<Long>getAs("Tumour, invasive_px")).isEqualTo(50L);
            assertThat(a.<Double>getAs("Stroma_um2")).isEqualTo(37.5);
            Row b = rows.get(1);
            assertThat(b.<Long>getAs("Tumour, invasive_px")).isZero();
            assertThat(b.isNullAt(b.fieldIndex("Stroma_um2"))).isTrue();
            Row c = rows.get(2);
            assertThat(c.<String>getAs("status")).isEqualTo("failed");
            assertThat(c.<String>getAs("message")).isEqualTo("truncated PNG: /s/c.png (\"IDAT\" missing)");
            assertThat(c.isNullAt(c.fieldIndex("Stroma_px"))).isTrue();
            try (var files = Files.list(dir)) {
                assertThat(files.filter(p -> p.getFileName().toString().endsWith(".parquet")).count()).isEqualTo(1);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            spark.stop();
        }
    }
}

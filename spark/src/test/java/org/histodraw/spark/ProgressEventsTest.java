package org.histodraw.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The driver's progress lines read back by histodraw cohort: every event arrives as it was sent. */
class ProgressEventsTest {

    @Test
    void everyEventCrossesTheProcessBoundaryIntactAndOtherLinesAreNotEvents() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressEvents events = new ProgressEvents(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        SlideOutcome ok = new SlideOutcome(0, "/data/a \"1\".tif", "ok", "", 300, 200, 6, 1.5, new long[] {0, 50_000, 10_000}, 0.25);
        SlideOutcome bad = SlideOutcome.failed(1, "/data/b.png", "truncated PNG: /data/b.png\nline two", 0.01);
        events.started(List.of("/data/a \"1\".tif", "/data/b.png"));
        events.opening(2, 2);
        events.failed(bad);
        events.planned(0, 6);
        events.predicting(0);
        events.predicted(0, 4);
        events.predicted(0, 2);
        events.written(0);
        events.executorLost("3", "worker lost: Not receiving heartbeat");
        events.finished(List.of(ok, bad), new CohortReport(List.of(ok, bad), 2.5, 4, Path.of("/out/summary.csv")));

        RecordedProgress read = new RecordedProgress();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(10).allMatch(l -> l.startsWith("@histodraw {"));
        for (String line : lines) {
            assertThat(ProgressEvents.decode(line, read)).isTrue();
        }
        assertThat(ProgressEvents.decode("26/12/07 INFO SparkContext: Running Spark version 4.1.0", read)).isFalse();
        assertThat(ProgressEvents.decode("@histodraw {not json", read)).isFalse();
        assertThat(ProgressEvents.decode("@histodraw {\"event\": \"from a newer version\"}", read)).isFalse();

        assertThat(read.slides).containsExactly("/data/a \"1\".tif", "/data/b.png");
        assertThat(read.opening).containsExactly(2, 2);
        assertThat(read.failed).singleElement().satisfies(f -> {
            assertThat(f.message()).isEqualTo("truncated PNG: /data/b.png\nline two");
            assertThat(f.ok()).isFalse();
        });
        assertThat(read.planned).containsEntry(0, 6);
        assertThat(read.predicting).containsExactly(0);
        assertThat(read.predicted).containsEntry(0, 6);
        assertThat(read.written).containsExactly(0);
        assertThat(read.lostExecutors).containsExactly("3: worker lost: Not receiving heartbeat");
        assertThat(read.report.seconds()).isEqualTo(2.5);
        assertThat(read.report.cores()).isEqualTo(4);
        assertThat(read.report.summary()).isEqualTo(Path.of("/out/summary.csv"));
        assertThat(read.report.exitCode()).isEqualTo(CohortReport.SOME_FAILED);
        SlideOutcome back = read.report.outcomes().get(0);
        assertThat(back).usingRecursiveComparison().isEqualTo(ok);
        assertThat(read.report.outcomes().get(1).pixelSize()).isEmpty();
        assertThat(CohortReport.line(back)).isEqualTo("/data/a \"1\".tif: ok, 300 x 200 px, 6 tiles, 1.50 s");
        assertThat(read.report.closing()).startsWith("2 slides, 1 ok, 1 failed; 6 tiles in 2.50 s on 4 cores");
    }
}

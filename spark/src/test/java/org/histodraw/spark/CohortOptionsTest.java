package org.histodraw.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CohortOptionsTest {

    @Test
    void slideListAndRepeatedSlidesAreJoinedInOrder(@TempDir Path dir) throws IOException {
        Path list = Files.writeString(dir.resolve("list.txt"), "# cohort A\n/data/a.tif\n\n  /data/b.tif  \n");
        CohortOptions o = CohortOptions.parse("--model", "m.hdm", "--slide", "/data/0.png", "--slides", list.toString(),
                "--out", "res", "--tile", "256");
        assertThat(o.slides()).containsExactly("/data/0.png", "/data/a.tif", "/data/b.tif");
        assertThat(o.tile()).isEqualTo(256);
        assertThat(o.master()).isEmpty();
        assertThat(o.simplify()).isEqualTo(1.0);
        assertThat(o.minArea()).isZero();
    }

    @Test
    void missingOrBadOptionsAreNamed() {
        assertThatThrownBy(() -> CohortOptions.parse("--slide", "a.png", "--out", "r"))
                .hasMessage("--model is required");
        assertThatThrownBy(() -> CohortOptions.parse("--model", "m.hdm", "--out", "r"))
                .hasMessageContaining("no slides");
        assertThatThrownBy(() -> CohortOptions.parse("--model", "m.hdm", "--slide", "a.png", "--out", "r", "--tile", "8"))
                .hasMessage("--tile must be at least 16 pixels: 8");
        assertThatThrownBy(() -> CohortOptions.parse("--model", "m.hdm", "--tile", "big"))
                .hasMessage("--tile needs a whole number, not big");
        assertThatThrownBy(() -> CohortOptions.parse("--model", "m.hdm", "--colour", "red"))
                .hasMessage("unknown option --colour");
        assertThatThrownBy(() -> CohortOptions.parse("--model"))
                .hasMessage("--model needs a value");
    }

    @Test
    void masterOptionIsOnlyADefaultAndLocalModeStaysOnLoopback() {
        SparkConf given = CohortJob.configure(new SparkConf(false).setMaster("spark://head:7077"), Optional.of("local[4]"));
        assertThat(given.get("spark.master")).isEqualTo("spark://head:7077");
        assertThat(given.contains("spark.driver.host")).isFalse();

        SparkConf local = CohortJob.configure(new SparkConf(false), Optional.empty());
        assertThat(local.get("spark.master")).isEqualTo("local[2]");
        assertThat(local.get("spark.ui.enabled")).isEqualTo("false");
        assertThat(local.get("spark.driver.host")).isEqualTo("127.0.0.1");
        assertThat(local.get("spark.driver.bindAddress")).isEqualTo("127.0.0.1");
    }

    @Test
    void tileKeysSortBySlideThenRowThenColumn() {
        List<Long> keys = List.of(TileKeys.key(1, 0, 5), TileKeys.key(0, 3, 0), TileKeys.key(0, 2, 900), TileKeys.key(1, 1, 0));
        assertThat(keys.stream().sorted().toList()).containsExactly(TileKeys.key(0, 2, 900), TileKeys.key(0, 3, 0),
                TileKeys.key(1, 0, 5), TileKeys.key(1, 1, 0));
        assertThat(TileKeys.slide(TileKeys.key(4_000_000, 7, 9))).isEqualTo(4_000_000);
        assertThatThrownBy(() -> TileKeys.key(0, -1, 0)).hasMessage("tile row/column out of range: -1, 0");
    }

    @Test
    void bandsCoverEveryTileRowOnce() {
        SlidePlan plan = new SlidePlan(3, "/s/a.png", 1000, 700, Double.NaN, new double[] {0}, new double[] {1});
        List<TileBand> bands = TileBand.of(plan, 100, 25);
        assertThat(bands).extracting(TileBand::rows).containsExactly(2, 2, 2, 1);
        assertThat(bands.stream().mapToInt(b -> b.tasks(java.util.Map.of(3, plan), 100).size()).sum()).isEqualTo(70);
        assertThat(TileBand.of(plan, 100, 1)).hasSize(7); // at least one row per band
    }

    @Test
    void slicesOfAServerNeedItsAddressAndAToken() {
        CohortOptions o = CohortOptions.parse("--model", "m.hdm", "--out", "r", "--server", "http://10.0.0.5:8080",
                "--token", "hdt_x", "--series", "3", "--series", "4", "--post-back");
        assertThat(o.series()).containsExactly(3L, 4L);
        assertThat(o.postBack()).isTrue();
        assertThat(o.server().orElseThrow().url()).isEqualTo("http://10.0.0.5:8080");
        assertThat(o.server().orElseThrow().toString()).doesNotContain("hdt_x");
        assertThatThrownBy(() -> CohortOptions.parse("--model", "m.hdm", "--out", "r", "--series", "3"))
                .hasMessageContaining("need --server");
        assertThatThrownBy(() -> CohortOptions.parse("--model", "m.hdm", "--out", "r", "--slide", "slice:7:a.png"))
                .hasMessageContaining("need --server");
        assertThatThrownBy(() -> CohortOptions.parse("--model", "m.hdm", "--out", "r", "--server", "ftp://x", "--token", "t", "--series", "1"))
                .hasMessageContaining("http://");
        assertThat(SlidePlan.baseName("slice:12:section 4.tif")).isEqualTo("section 4");
        assertThat(SlideSource.sliceId("slice:12:section 4.tif")).isEqualTo(12);
    }
}

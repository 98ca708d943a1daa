package org.histodraw.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.histodraw.engine.vector.PolygonCleaning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class CohortOptionsTest {

    @Test
    void slidesKeepTheirOrderAndRelativePathsBecomeAbsolute(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("cohort"));
        Path list = Files.writeString(dir.resolve("cohort/list.txt"), "# cohort A\n/data/a.tif\n\n  b.tif  \nsub/c.tif\n");
        Path second = Files.writeString(dir.resolve("second.txt"), "slice:7:d.png\n");
        CohortOptions o = CohortOptions.parse("--model", "m.hdm", "--slide", "/data/0.png", "--slides", list.toString(),
                "--slide", "e.png", "--slides", second.toString(), "--out", "res", "--tile", "256", "--server",
                "http://127.0.0.1:8080", "--token", "t");
        Path here = Path.of("").toAbsolutePath();
        assertThat(o.slides()).containsExactly("/data/0.png", "/data/a.tif", dir.resolve("cohort/b.tif").toString(),
                dir.resolve("cohort/sub/c.tif").toString(), here.resolve("e.png").toString(), "slice:7:d.png");
        assertThat(o.model()).isEqualTo(here.resolve("m.hdm"));
        assertThat(o.out()).isEqualTo(here.resolve("res"));
        assertThat(o.tile()).isEqualTo(256);
        assertThat(o.master()).isEmpty();
        assertThat(o.cleaning()).as("histodraw segment's defaults").isEqualTo(PolygonCleaning.defaults());
    }

    @Test
    void cleaningTakesSegmentsOptionsAndAnAbsentAreaStaysTheDefaultOnTheWayToTheDriver() {
        CohortArguments given = parsed("--model", "m.hdm", "--slide", "a.png", "--out", "r", "--min-area", "25", "--min-hole", "5",
                "--simplify", "0.5", "--smooth", "2");
        assertThat(given.options().cleaning()).isEqualTo(new PolygonCleaning(25.0, 5.0, 0.5, 2));
        assertThat(parsed(given.driverArguments().toArray(String[]::new)).options().cleaning())
                .isEqualTo(new PolygonCleaning(25.0, 5.0, 0.5, 2));

        // Without --min-area the default depends on each slide's pixel size: the driver must not get a number.
        CohortArguments defaults = parsed("--model", "m.hdm", "--slide", "a.png", "--out", "r", "--min-hole", "0");
        assertThat(defaults.driverArguments()).doesNotContain("--min-area");
        assertThat(parsed(defaults.driverArguments().toArray(String[]::new)).options().cleaning())
                .isEqualTo(PolygonCleaning.defaults().withMinHoleArea(0.0));
    }

    private static CohortArguments parsed(String... args) {
        CohortOptions.Command command = new CohortOptions.Command();
        new CommandLine(command).parseArgs(args);
        return command.arguments;
    }

    @Test
    void missingOrBadOptionsAreNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> CohortOptions.parse("--slide", "a.png", "--out", "r"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("--model");
        assertThatThrownBy(() -> CohortOptions.parse("--model", "m.hdm", "--out", "r"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("no slides");
        assertThatThrownBy(() -> CohortOptions.parse("--model", "m.hdm", "--slide", "a.png", "--out", "r", "--tile", "8"))
                .isInstanceOf(ParameterException.class).hasMessage("--tile must be 16..16384 pixels, not 8");
        assertThatThrownBy(() -> CohortOptions.parse("--model", "m.hdm", "--slide", "a.png", "--out", "r", "--tile", "100000"))
                .hasMessage("--tile must be 16..16384 pixels, not 100000");
        assertThatThrownBy(() -> CohortOptions.parse("--model", "m.hdm", "--slide", "a.png", "--out", "r", "--tile", "big"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("--tile").hasMessageContaining("big");
        assertThatThrownBy(() -> CohortOptions.parse("--model", "m.hdm", "--slide", "a.png", "--out", "r", "--resolution", "3"))
                .isInstanceOf(ParameterException.class)
                .hasMessage("--resolution must be 1 (every pixel) or 2, 4 or 8 (a tissue map), not 3");
        assertThat(CohortOptions.parse("--model", "m.hdm", "--slide", "a.png", "--out", "r", "--resolution", "8").resolution())
                .isEqualTo(8);
        assertThatThrownBy(() -> CohortOptions.parse("--model", "m.hdm", "--slide", "a.png", "--out", "r", "--simplify", "NaN"))
                .isInstanceOf(ParameterException.class).hasMessage("--simplify must be a number >= 0, not NaN");
        assertThatThrownBy(() -> CohortOptions.parse("--model", "m.hdm", "--slide", "a.png", "--out", "r", "--min-area", "Infinity"))
                .hasMessage("--min-area must be a number >= 0, not Infinity");
        assertThatThrownBy(() -> CohortOptions.parse("--model", "m.hdm", "--slide", "a.png", "--out", "r", "--min-hole", "-1"))
                .hasMessage("--min-hole must be a number >= 0, not -1.0");
        assertThatThrownBy(() -> CohortOptions.parse("--model", "m.hdm", "--slide", "a.png", "--out", "r", "--smooth", "7"))
                .hasMessage("--smooth must be 0..6, not 7");
        assertThatThrownBy(() -> CohortOptions.parse("--model", "m.hdm", "--slide", "a.png", "--out", "r", "--colour", "red"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("--colour");
        assertThatThrownBy(() -> CohortOptions.parse("--model"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("--model");
        Path missing = dir.resolve("missing.txt");
        assertThatThrownBy(() -> CohortOptions.parse("--model", "m.hdm", "--slides", missing.toString(), "--out", "r"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--slides: no such file: " + missing);
    }

    @Test
    void masterOptionIsOnlyADefaultAndLocalModeStaysOnLoopback() {
        SparkConf given = CohortJob.configure(new SparkConf(false).setMaster("spark://head:7077"), Optional.of("local[4]"));
        assertThat(given.get("spark.master")).isEqualTo("spark://head:7077");
        assertThat(given.contains("spark.driver.host")).isFalse();

        SparkConf local = CohortJob.configure(new SparkConf(false), Optional.empty());
        assertThat(local.get("spark.master")).isEqualTo("local[*]");
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
        SlidePlan plan = new SlidePlan(3, "/s/a.png", 1000, 700, Double.NaN, new double[] {0}, new double[] {1}, 1);
        List<TileBand> bands = TileBand.of(plan, 100, 25);
        assertThat(bands).extracting(TileBand::rows).containsExactly(2, 2, 2, 1);
        assertThat(bands.stream().mapToInt(b -> b.tasks(Map.of(3, plan), 100).size()).sum()).isEqualTo(70);
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

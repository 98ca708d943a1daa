package org.histodraw.service.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.histodraw.client.SliceInfo;
import org.junit.jupiter.api.Test;

class JobSettingsTest {

    private static SliceInfo slice(int width, int height) {
        return new SliceInfo(1, 1, 1, "s", 0, width, height, null, 0);
    }

    @Test
    void wholeSlidesGetLargeTilesAndSmallSlicesSmallOnes() {
        assertThat(JobSettings.tileSizeFor(List.of(slice(30_000, 30_000)), 1, 2)).isEqualTo(512);
        // 2048 x 2048 holds 16 tiles of 512: 8 per thread of two, not of four
        assertThat(JobSettings.tileSizeFor(List.of(slice(2048, 2048)), 1, 2)).isEqualTo(512);
        assertThat(JobSettings.tileSizeFor(List.of(slice(2048, 2048)), 1, 4)).isEqualTo(256);
        // one small slice in the series keeps every thread busy with small tiles
        assertThat(JobSettings.tileSizeFor(List.of(slice(30_000, 30_000), slice(700, 600)), 1, 2)).isEqualTo(256);
        // a tissue map is tiled at its level: 30k at 1/8 is 3750 px across
        assertThat(JobSettings.tileSizeFor(List.of(slice(30_000, 30_000)), 8, 2)).isEqualTo(512);
        assertThat(JobSettings.tileSizeFor(List.of(slice(8_000, 8_000)), 8, 2)).isEqualTo(256);
    }
}

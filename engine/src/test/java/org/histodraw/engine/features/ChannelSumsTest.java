package org.histodraw.engine.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelSumsTest {

    @Test
    void partsCombineIntoTheMeanAndDeviationOfAllTheirPixels() {
        // Channel 0: pixels 1, 3 | 5, 7 (mean 4, deviation sqrt(5)); channel 1: 2, 2 | 2, 2.
        ChannelSums left = new ChannelSums(2, new double[] {4, 4}, new double[] {10, 8});
        ChannelSums right = new ChannelSums(2, new double[] {12, 4}, new double[] {74, 8});
        ChannelStatistics all = ChannelSums.combine(List.of(left, right));
        assertThat(all.means()).containsExactly(4, 2);
        assertThat(all.deviations()[0]).isEqualTo(Math.sqrt(5));
        assertThat(all.deviations()[1]).isZero();
    }

    @Test
    void nothingMeasuredIsAnErrorNotANaN() {
        assertThatThrownBy(() -> ChannelSums.combine(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no measured pixels");
        assertThatThrownBy(() -> ChannelSums.combine(List.of(new ChannelSums(0, new double[] {0}, new double[] {0}))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no measured pixels");
        assertThatThrownBy(() -> ChannelSums.combine(List.of(new ChannelSums(1, new double[] {1}, new double[] {1}),
                new ChannelSums(1, new double[] {1, 1}, new double[] {1, 1}))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channels");
    }
}

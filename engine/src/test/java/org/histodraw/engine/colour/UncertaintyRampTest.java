package org.histodraw.engine.colour;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UncertaintyRampTest {
    @Test
    void sureIsClearUnsureIsOpaqueYellowAndTheLegendHasTheSameStops() {
        assertThat(UncertaintyRamp.argb(0) >>> 24).as("sure: the tissue shows through").isZero();
        assertThat(UncertaintyRamp.argb(Float.NaN)).isEqualTo(UncertaintyRamp.argb(0));
        assertThat(UncertaintyRamp.argb(1)).isEqualTo(0xff000000 | UncertaintyRamp.STOPS[4]);
        assertThat(UncertaintyRamp.argb(7)).isEqualTo(UncertaintyRamp.argb(1));
        assertThat(UncertaintyRamp.argb(0.5f) & 0xffffff).isEqualTo(UncertaintyRamp.STOPS[2]);
        assertThat(UncertaintyRamp.argb(2 / 3f) >>> 24).as("opaque from two thirds on").isEqualTo(255);
        int previous = -1;
        for (int i = 0; i <= 100; i++) {
            int alpha = UncertaintyRamp.argb(i / 100f) >>> 24;
            assertThat(alpha).isGreaterThanOrEqualTo(previous);
            previous = alpha;
        }
        assertThat(UncertaintyRamp.css()).containsExactly("#0d0887", "#7e03a8", "#cc4778", "#f89540", "#f0f921");
    }
}

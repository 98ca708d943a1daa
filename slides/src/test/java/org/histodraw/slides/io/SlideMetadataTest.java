package org.histodraw.slides.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.histodraw.slides.display.ImageChannel;
import org.junit.jupiter.api.Test;

class SlideMetadataTest {
    private static final SlideLevel FULL = new SlideLevel(1000, 800, 1, 256, 256, 0);

    @Test
    void aSlideWithoutLevelsIsRefused() {
        assertThatThrownBy(() -> SlideMetadata.of("PNG", List.of(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one level");
    }

    @Test
    void aPlainSlideIsRgbWithNothingElseKnown() {
        SlideMetadata plain = SlideMetadata.of("PNG", List.of(FULL), Optional.of(0.5));

        assertThat(plain.rgb()).isTrue();
        assertThat(plain.channels()).isEqualTo(ImageChannel.RGB);
        assertThat(plain.vendor()).isEmpty();
        assertThat(plain.objectivePower()).isEmpty();
        assertThat(plain.properties()).isEmpty();
        assertThat(plain.associatedImages()).isEmpty();
        assertThat(plain.micronsPerPixel()).contains(0.5);
    }

    @Test
    void originalChannelsAreShownThroughADisplayNotAsRgb() {
        List<ImageChannel> fluorescence = List.of(new ImageChannel("DAPI", 0x0000ff, "uint16"),
                new ImageChannel("CD8", 0x00ff00, "uint16"));

        SlideMetadata channels = SlideMetadata.of("OME-TIFF", List.of(FULL), Optional.empty()).withOriginalChannels(fluorescence);

        assertThat(channels.rgb()).isFalse();
        assertThat(channels.channels()).isEqualTo(fluorescence);
    }

    @Test
    void whatTheReaderBuiltIsCopiedSoLaterChangesDoNotReachTheSlide() {
        List<SlideLevel> levels = new ArrayList<>(List.of(FULL));
        Map<String, String> properties = new LinkedHashMap<>(Map.of("openslide.vendor", "aperio"));
        List<String> associated = new ArrayList<>(List.of("label"));

        SlideMetadata metadata = SlideMetadata.of("Aperio SVS", levels, Optional.of(0.25))
                .withScanner("aperio", Optional.of(40.0))
                .withProperties(properties)
                .withAssociatedImages(associated);
        levels.add(new SlideLevel(250, 200, 4, 256, 256, 0));
        properties.put("openslide.mpp-x", "0.5");
        associated.add("macro");

        assertThat(metadata.levels()).containsExactly(FULL);
        assertThat(metadata.properties()).containsOnlyKeys("openslide.vendor");
        assertThat(metadata.associatedImages()).containsExactly("label");
        assertThat(metadata.vendor()).contains("aperio");
        assertThat(metadata.objectivePower()).contains(40.0);
        assertThatThrownBy(() -> metadata.levels().add(FULL)).isInstanceOf(UnsupportedOperationException.class);
    }
}

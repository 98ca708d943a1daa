package org.histodraw.slides.openslide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FFM binding of libopenslide: found or explained, and every call checked with openslide_get_error. */
class OpenSlideTest {
    @Test
    void aMissingLibraryIsExplainedWithHowToInstallIt() {
        OpenSlide.Loaded none = OpenSlide.load(List.of("libopenslide-that-is-not-there.so.9"));
        assertThat(none.library()).isEmpty();
        assertThat(none.failure()).contains("apt-get install libopenslide0", "libopenslide-that-is-not-there.so.9");
    }

    private static OpenSlide library() {
        assumeTrue(OpenSlide.available(), "skipping: " + OpenSlide.unavailableReason());
        return OpenSlide.library().orElseThrow();
    }

    private static Path shared(String name) {
        Path file = Path.of(System.getProperty("histodraw.data", "../shared/data"), "wsi", name);
        assumeTrue(Files.isRegularFile(file), "shared test data absent: " + file);
        return file;
    }

    @Test
    void anAperioSlideGivesItsLevelsPropertiesAndPixels() {
        OpenSlide lib = library();
        assertThat(lib.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        Path svs = shared("small.svs");
        assertThat(lib.detectVendor(svs)).contains("aperio");
        try (OpenSlideFile slide = lib.open(svs).orElseThrow()) {
            assertThat(slide.levelCount()).isEqualTo(1);
            assertThat(slide.levelDimensions(0)).containsExactly(16, 16);
            assertThat(slide.levelDownsample(0)).isEqualTo(1.0);
            assertThat(slide.properties()).containsEntry("openslide.vendor", "aperio");
            int[] argb = slide.readRegion(0, 0, 0, 16, 16);
            assertThat(argb).hasSize(256);
            assertThat(argb[0] >>> 24).as("opaque inside the slide").isEqualTo(255);
            int[] outside = slide.readRegion(100, 100, 0, 2, 2);
            assertThat(outside[0]).as("transparent outside the slide").isZero();
        }
    }

    @Test
    void damagedPixelsAndClosedHandlesFailWithAMessage() {
        OpenSlide lib = library();
        try (OpenSlideFile slide = lib.open(shared("unreadable.svs")).orElseThrow()) {
            assertThatThrownBy(() -> slide.readRegion(0, 0, 0, 16, 16)).isInstanceOf(OpenSlideException.class)
                    .hasMessageContaining("marker");
            assertThatThrownBy(slide::levelCount).as("a handle in error stays in error").isInstanceOf(OpenSlideException.class);
        }
        OpenSlideFile closed = lib.open(shared("small.svs")).orElseThrow();
        closed.close();
        assertThatThrownBy(() -> closed.readRegion(0, 0, 0, 1, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void filesOpenSlideDoesNotKnowOpenAsNothing(@TempDir Path dir) throws Exception {
        OpenSlide lib = library();
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a slide");
        assertThat(lib.detectVendor(text)).isEmpty();
        assertThat(lib.open(text)).isEmpty();
    }
}

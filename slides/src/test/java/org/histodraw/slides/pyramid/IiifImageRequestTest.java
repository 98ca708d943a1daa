package org.histodraw.slides.pyramid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.histodraw.engine.raster.PixelRegion;
import org.junit.jupiter.api.Test;

class IiifImageRequestTest {
    private static IiifImageRequest parse(String region, String size) {
        return IiifImageRequest.parse(region, size, "0", "default.jpg", 3000, 2000, 2048);
    }

    @Test
    void regionsResolveToPixelsAndAreClippedToTheImage() {
        assertThat(parse("full", "max").region()).isEqualTo(new PixelRegion(0, 0, 3000, 2000));
        assertThat(parse("square", "max").region()).isEqualTo(new PixelRegion(500, 0, 2000, 2000));
        assertThat(parse("100,200,300,400", "max").region()).isEqualTo(new PixelRegion(100, 200, 300, 400));
        assertThat(parse("2900,1900,300,400", "max").region()).isEqualTo(new PixelRegion(2900, 1900, 100, 100));
        assertThat(parse("pct:10,50,20,50", "max").region()).isEqualTo(new PixelRegion(300, 1000, 600, 1000));
    }

    @Test
    void sizesKeepTheAspectRatioAndNeverUpscale() {
        IiifImageRequest max = parse("full", "max");
        assertThat(new int[] {max.width(), max.height()}).containsExactly(2048, 1365);
        IiifImageRequest w = parse("0,0,1000,500", "200,");
        assertThat(new int[] {w.width(), w.height()}).containsExactly(200, 100);
        IiifImageRequest h = parse("0,0,1000,500", ",50");
        assertThat(new int[] {h.width(), h.height()}).containsExactly(100, 50);
        IiifImageRequest both = parse("0,0,1000,500", "300,300");
        assertThat(new int[] {both.width(), both.height()}).containsExactly(300, 300);
        IiifImageRequest fit = parse("0,0,1000,500", "!300,300");
        assertThat(new int[] {fit.width(), fit.height()}).containsExactly(300, 150);
        IiifImageRequest pct = parse("0,0,1000,500", "pct:25");
        assertThat(new int[] {pct.width(), pct.height()}).containsExactly(250, 125);
        assertThat(parse("full", "max").format()).isEqualTo(TileFormat.JPEG);
    }

    @Test
    void unsupportedOrMalformedPartsAreNamed() {
        assertThatThrownBy(() -> parse("0,0,10,10", "20,")).hasMessageContaining("upscale");
        assertThatThrownBy(() -> parse("0,0,10,10", "^max")).hasMessageContaining("upscaling");
        assertThatThrownBy(() -> parse("5000,0,10,10", "max")).hasMessageContaining("outside");
        assertThatThrownBy(() -> parse("../../etc", "max")).hasMessageContaining("region must be");
        assertThatThrownBy(() -> parse("full", "3000,")).hasMessageContaining("maximum");
        assertThatThrownBy(() -> parse("full", "abc")).hasMessageContaining("size must be");
        assertThatThrownBy(() -> IiifImageRequest.parse("full", "max", "90", "default.jpg", 10, 10, 100))
                .hasMessageContaining("rotation");
        assertThatThrownBy(() -> IiifImageRequest.parse("full", "max", "0", "gray.jpg", 10, 10, 100))
                .hasMessageContaining("quality");
        assertThatThrownBy(() -> IiifImageRequest.parse("full", "max", "0", "default.webp", 10, 10, 100))
                .hasMessageContaining("format not supported (jpg, png or tif): webp");
        assertThat(IiifImageRequest.parse("full", "max", "0", "default.tif", 10, 10, 100).format()).isEqualTo(TileFormat.TIFF);
    }
}

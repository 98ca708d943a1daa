package org.histodraw.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The fast path takes exactly the spellings the regular route's patterns take, and leaves everything else to it. */
class TilePathTest {

    @Test
    void aTilePathSpelledExactlyIsParsedIntoNumbers() {
        assertThat(TileRequestHandler.TilePath.parse("/slides/12/slide_files/15/3_4.jpg"))
                .isEqualTo(new TileRequestHandler.TilePath(12, 15, 3, 4, "jpg"));
        assertThat(TileRequestHandler.TilePath.parse("/slides/123456789012345678/slide_files/0/1234567_7654321.jpeg"))
                .isEqualTo(new TileRequestHandler.TilePath(123456789012345678L, 0, 1234567, 7654321, "jpg"));
        assertThat(TileRequestHandler.TilePath.parse("/slides/1/slide_files/9/0_0.png"))
                .isEqualTo(new TileRequestHandler.TilePath(1, 9, 0, 0, "png"));
    }

    @Test
    void everyOtherSpellingFallsThroughToTheRoute() {
        for (String path : new String[] {
                null, "", "/slides/", "/slides/1", "/slides/1/slide.dzi", "/slides/1/slide_files/1/0_0",
                "/slides/1/slide_files/1/0_0.gif", "/slides/1/slide_files/1/0_0.jpg/", "/slides/1/slide_files/1/0_0.jpgx",
                "/slides/1/slide_files/123/0_0.jpg", "/slides/1/slide_files/1/12345678_0.jpg", "/slides/1/slide_files/1/0_12345678.jpg",
                "/slides/1234567890123456789/slide_files/1/0_0.jpg", "/slides/-1/slide_files/1/0_0.jpg",
                "/slides/1/slide_files//0_0.jpg", "/slides/1/slide_files/1/_0.jpg", "/slides/1/slide_files/1/0_.jpg",
                "/slides/1/slide_files/1/0_0..jpg", "/slides/1/slide_files/1/%30_0.jpg", "/slides/1/slide_files/1/0_0.JPG",
                "/slides/1/../slide_files/1/0_0.jpg", "/slides/1/slide_files/1/0-0.jpg", "/slides/١/slide_files/1/0_0.jpg",
                "/slidesX/1/slide_files/1/0_0.jpg", "/slides/1/slide_files/1/0_0.jpg?x", "/slides/1/slide_filesX/1/0_0.jpg"}) {
            assertThat(TileRequestHandler.TilePath.parse(path)).as(String.valueOf(path)).isNull();
        }
    }
}

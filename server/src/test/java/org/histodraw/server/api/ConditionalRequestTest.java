package org.histodraw.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.histodraw.server.tiles.Tile;
import org.junit.jupiter.api.Test;

class ConditionalRequestTest {
    private final Tile tile = Tile.of(new byte[1], "image/png", "\"k-12-3-4\"", 1_700_000_000_500L);

    @Test
    void lastModifiedIsAnHttpDateInWholeSeconds() {
        assertThat(tile.lastModifiedHttp()).isEqualTo("Tue, 14 Nov 2023 22:13:20 GMT");
        assertThat(tile.lastModified()).isEqualTo(1_700_000_000L);
    }

    @Test
    void ifNoneMatchAcceptsListsWeakTagsAndStar() {
        assertThat(ConditionalRequest.notModified("\"k-12-3-4\"", null, tile)).isTrue();
        assertThat(ConditionalRequest.notModified("\"a\", W/\"k-12-3-4\"", null, tile)).isTrue();
        assertThat(ConditionalRequest.notModified("*", null, tile)).isTrue();
        assertThat(ConditionalRequest.notModified("\"k-12-3-5\"", null, tile)).isFalse();
    }

    @Test
    void ifModifiedSinceCountsOnlyWhenThereIsNoIfNoneMatch() {
        String same = tile.lastModifiedHttp();
        assertThat(ConditionalRequest.notModified(null, same, tile)).isTrue();
        assertThat(ConditionalRequest.notModified(null, "Tue, 14 Nov 2023 22:13:19 GMT", tile)).isFalse();
        assertThat(ConditionalRequest.notModified("\"other\"", same, tile)).isFalse();
        assertThat(ConditionalRequest.notModified(null, "not a date", tile)).isFalse();
        assertThat(ConditionalRequest.notModified(null, null, tile)).isFalse();
    }
}

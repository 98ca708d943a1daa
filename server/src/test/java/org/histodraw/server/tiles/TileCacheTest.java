package org.histodraw.server.tiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TileCacheTest {
    private final AtomicInteger loads = new AtomicInteger();

    private Tile load(int size) {
        loads.incrementAndGet();
        return Tile.of(new byte[size], "image/jpeg", "\"t\"", 0);
    }

    private static TileCache.Key key(int column) {
        return new TileCache.Key("pyramid", 12, column, 0);
    }

    @Test
    void aSecondRequestForATileReadsNoFile() {
        TileCache cache = new TileCache(1 << 20);
        Tile first = cache.get(key(1), () -> load(1000));
        Tile second = cache.get(key(1), () -> load(1000));
        assertThat(second).isSameAs(first);
        assertThat(loads).hasValue(1);
    }

    @Test
    void neverHoldsMoreBytesThanItsCapacity() {
        TileCache cache = new TileCache(100_000);
        for (int i = 0; i < 1000; i++) {
            cache.get(key(i), () -> load(5000));
            assertThat(cache.sizeBytes()).isLessThanOrEqualTo(100_000);
        }
        assertThat(cache.size()).isEqualTo(20);
    }

    @Test
    void tilesReadAgainStayWhileOthersComeAndGo() {
        TileCache cache = new TileCache(100_000);
        cache.get(key(-1), () -> load(5000));
        for (int i = 0; i < 200; i++) {
            cache.get(key(i), () -> load(5000));
            cache.get(key(-1), () -> load(5000)); // the overview tile everyone asks for
        }
        assertThat(loads).as("the hot tile was loaded once, the 200 others once each").hasValue(201);
    }

    @Test
    void tilesTooBigForTheCacheAreServedButNotKept() {
        TileCache cache = new TileCache(16_000);
        cache.get(key(1), () -> load(2000));
        cache.get(key(1), () -> load(2000));
        assertThat(loads).hasValue(2);
        assertThat(cache.size()).isZero();
    }
}

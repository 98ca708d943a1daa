package org.histodraw.server.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ByteCacheTest {
    private final AtomicInteger loads = new AtomicInteger();

    private byte[] load(int size) {
        loads.incrementAndGet();
        return new byte[size];
    }

    @Test
    void aSecondRequestForATileReadsNoFile() {
        ByteCache<Integer, byte[]> cache = ByteCache.ofBytes(1 << 20);
        byte[] first = cache.get(1, () -> load(1000));
        byte[] second = cache.get(1, () -> load(1000));
        assertThat(second).isSameAs(first);
        assertThat(loads).hasValue(1);
    }

    @Test
    void neverHoldsMoreBytesThanItsCapacity() {
        ByteCache<Integer, byte[]> cache = ByteCache.ofBytes(100_000);
        for (int i = 0; i < 1000; i++) {
            int k = i;
            cache.get(k, () -> load(5000));
            assertThat(cache.sizeBytes()).isLessThanOrEqualTo(100_000);
        }
        assertThat(cache.size()).isEqualTo(20);
    }

    @Test
    void tilesReadAgainStayWhileOthersComeAndGo() {
        ByteCache<Integer, byte[]> cache = ByteCache.ofBytes(100_000);
        cache.get(-1, () -> load(5000));
        for (int i = 0; i < 200; i++) {
            int k = i;
            cache.get(k, () -> load(5000));
            cache.get(-1, () -> load(5000)); // the overview tile everyone asks for
        }
        assertThat(loads).as("the hot tile was loaded once, the 200 others once each").hasValue(201);
    }

    @Test
    void tilesTooBigForTheCacheAreServedButNotKept() {
        ByteCache<Integer, byte[]> cache = ByteCache.ofBytes(16_000);
        cache.get(1, () -> load(2000));
        cache.get(1, () -> load(2000));
        assertThat(loads).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void putReplacesAndCountsBytesOnce() {
        ByteCache<String, byte[]> cache = ByteCache.ofBytes(1 << 20);
        cache.put("overlay", new byte[100]);
        cache.put("overlay", new byte[300]);
        assertThat(cache.sizeBytes()).isEqualTo(300);
        assertThat(cache.get("overlay")).hasSize(300);
        assertThat(cache.get("missing")).isNull();
    }
}

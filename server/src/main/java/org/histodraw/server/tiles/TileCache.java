package org.histodraw.server.tiles;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes of recently served tiles, up to a fixed number of bytes, so that the tiles a crowd of
 * viewers keeps asking for (the low levels, the region everyone looks at) come from memory.
 * Reads take no lock. Eviction is "second chance" (CLOCK): entries leave in insertion order unless
 * they were read since they were last passed over, which keeps hot tiles about as well as LRU.
 * Safe because pyramids never change: a key names one immutable file.
 */
final class TileCache {
    /** A tile of a pyramid: the pyramid's storage key and the tile's place. */
    record Key(String storageKey, int level, int column, int row) {
    }

    @FunctionalInterface
    interface Loader {
        Tile load();
    }

    private static final class Entry {
        final Tile tile;
        volatile boolean used;

        Entry(Tile tile) {
            this.tile = tile;
        }
    }

    private final long capacityBytes;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final Queue<Key> order = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final ReentrantLock evicting = new ReentrantLock();

    TileCache(long capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("cache capacity must not be negative: " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
    }

    /** A default for this JVM: an eighth of the heap, at most 256 MiB. */
    static TileCache sizedForHeap() {
        return new TileCache(Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8));
    }

    Tile get(Key key, Loader loader) {
        Entry e = entries.get(key);
        if (e != null) {
            e.used = true;
            return e.tile;
        }
        Tile tile = loader.load();
        int size = tile.bytes().length;
        if (size <= capacityBytes / 16 && entries.putIfAbsent(key, new Entry(tile)) == null) {
            order.add(key);
            if (bytes.addAndGet(size) > capacityBytes) {
                evict();
            }
        }
        return tile;
    }

    long sizeBytes() {
        return bytes.get();
    }

    int size() {
        return entries.size();
    }

    private void evict() {
        if (!evicting.tryLock()) {
            return; // another thread is at it
        }
        try {
            int passes = 2 * order.size() + 1;
            while (bytes.get() > capacityBytes && passes-- > 0) {
                Key k = order.poll();
                if (k == null) {
                    return;
                }
                Entry e = entries.get(k);
                if (e == null) {
                    continue;
                }
                if (e.used) {
                    e.used = false;
                    order.add(k);
                } else if (entries.remove(k, e)) {
                    bytes.addAndGet(-e.tile.bytes().length);
                }
            }
        } finally {
            evicting.unlock();
        }
    }
}

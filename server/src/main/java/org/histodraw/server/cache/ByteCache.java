package org.histodraw.server.cache;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * The server's one bounded cache of encoded pictures (slide tiles, overlay tiles, associated images):
 * values kept up to a fixed number of bytes, so what a crowd of viewers keeps asking for (the low
 * levels, the region everyone looks at) comes from memory. Reads take no lock. Eviction is "second
 * chance" (CLOCK): entries leave in insertion order unless they were read since they were last passed
 * over, which keeps hot entries about as well as LRU. A value above a sixteenth of the capacity is
 * served but not kept. Keys must name immutable content (a tile of a slice, an overlay at a change
 * number): nothing is ever invalidated, old keys age out.
 *
 * @param <K> the key, with equals and hashCode
 * @param <V> the value, weighed by the function given
 */
public final class ByteCache<K, V> {
    private static final class Entry<V> {
        final V value;
        final int size;
        volatile boolean used;

        Entry(V value, int size) {
            this.value = value;
            this.size = size;
        }
    }

    private final long capacityBytes;
    private final ToIntFunction<V> weigher;
    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Queue<K> order = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final java.util.concurrent.locks.ReentrantLock evicting = new java.util.concurrent.locks.ReentrantLock();

    public ByteCache(long capacityBytes, ToIntFunction<V> weigher) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("cache capacity must not be negative: " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
        this.weigher = weigher;
    }

    /** A cache of byte arrays. */
    public static <K> ByteCache<K, byte[]> ofBytes(long capacityBytes) {
        return new ByteCache<>(capacityBytes, b -> b.length);
    }

    /** {@code fraction} of this JVM's heap, at most {@code maxBytes}. */
    public static long sizedForHeap(double fraction, long maxBytes) {
        return Math.min(maxBytes, (long) (Runtime.getRuntime().maxMemory() * fraction));
    }

    /** The cached value, or null. */
    public V get(K key) {
        Entry<V> e = entries.get(key);
        if (e == null) {
            return null;
        }
        e.used = true;
        return e.value;
    }

    /** The cached value, else the loader's (kept when it fits). Two threads may both load a missing key. */
    public V get(K key, Supplier<V> loader) {
        V hit = get(key);
        if (hit != null) {
            return hit;
        }
        V value = loader.get();
        put(key, value);
        return value;
    }

    public void put(K key, V value) {
        int size = weigher.applyAsInt(value);
        if (size > capacityBytes / 16) {
            return;
        }
        Entry<V> fresh = new Entry<>(value, size);
        Entry<V> old = entries.put(key, fresh);
        if (old == null) {
            order.add(key);
        }
        if (bytes.addAndGet(size - (old == null ? 0 : old.size)) > capacityBytes) {
            evict();
        }
    }

    public long sizeBytes() {
        return bytes.get();
    }

    public int size() {
        return entries.size();
    }

    private void evict() {
        if (!evicting.tryLock()) {
            return; // another thread is at it
        }
        try {
            int passes = 2 * order.size() + 1;
            while (bytes.get() > capacityBytes && passes-- > 0) {
                K k = order.poll();
                if (k == null) {
                    return;
                }
                Entry<V> e = entries.get(k);
                if (e == null) {
                    continue;
                }
                if (e.used) {
                    e.used = false;
                    order.add(k);
                } else if (entries.remove(k, e)) {
                    bytes.addAndGet(-e.size);
                }
            }
        } finally {
            evicting.unlock();
        }
    }
}

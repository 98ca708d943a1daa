package org.histodraw.server.tiles;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.histodraw.server.store.Slice;
import org.histodraw.slides.view.SlideView;

/**
 * The slides kept open for serving, at most {@code capacity} (each holds a file handle and its
 * reader's caches; OpenSlide keeps 32 MiB of decoded tiles per open slide). The least recently used
 * leaves when another is opened, closed once the last read that borrowed it is over, so a read never
 * sees its slide closed under it.
 */
final class OpenSlides implements AutoCloseable {
    /** One open slide, its view, and the count of reads using it. */
    static final class Lease {
        final SlideView view;
        private int readers;
        private boolean retired;

        Lease(SlideView view) {
            this.view = view;
        }
    }

    private final int capacity;
    private final Function<Slice, SlideView> opener;
    private final LinkedHashMap<String, Lease> open = new LinkedHashMap<>(16, 0.75f, true);

    OpenSlides(int capacity, Function<Slice, SlideView> opener) {
        this.capacity = capacity;
        this.opener = opener;
    }

    /** Borrows the slice's open slide, opening it when needed; give it back with {@link #release}. */
    Lease acquire(Slice slice) {
        synchronized (open) {
            Lease lease = open.get(slice.storageKey());
            if (lease == null) {
                lease = new Lease(opener.apply(slice));
                open.put(slice.storageKey(), lease);
                retireBeyondCapacity();
            }
            lease.readers++;
            return lease;
        }
    }

    /** Keeps a slide opened elsewhere (a registration that just checked it), so its first tile opens nothing. */
    void adopt(String storageKey, SlideView view) {
        synchronized (open) {
            if (open.containsKey(storageKey)) {
                view.slide().close();
                return;
            }
            open.put(storageKey, new Lease(view));
            retireBeyondCapacity();
        }
    }

    void release(Lease lease) {
        synchronized (open) {
            lease.readers--;
            if (lease.retired && lease.readers == 0) {
                lease.view.slide().close();
            }
        }
    }

    private void retireBeyondCapacity() {
        Iterator<Map.Entry<String, Lease>> it = open.entrySet().iterator();
        while (open.size() > capacity && it.hasNext()) {
            Lease eldest = it.next().getValue();
            it.remove();
            eldest.retired = true;
            if (eldest.readers == 0) {
                eldest.view.slide().close();
            }
        }
    }

    int size() {
        synchronized (open) {
            return open.size();
        }
    }

    @Override
    public void close() {
        synchronized (open) {
            for (Lease l : open.values()) {
                l.retired = true;
                if (l.readers == 0) {
                    l.view.slide().close();
                }
            }
            open.clear();
        }
    }
}

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
 *
 * <p>A slide is opened under its own lease's lock, never under the lock all slides share: opening
 * reads the file's structure and checks a few tiles (a slide on a slow or busy disk, or a vendor
 * file OpenSlide takes long to index, may take seconds), and the tiles of the slides already open
 * must not wait for it. Readers of the slide being opened wait for that one open.
 */
final class OpenSlides implements AutoCloseable {
    /** One slide, opened by the first read that needs it, and the count of reads using it. */
    static final class Lease {
        private final String storageKey;
        /** Written once, under the lease's own lock; read without it by the reads it let through. */
        private volatile SlideView view;
        /** Guarded by the map's lock ({@code open}). */
        private int readers;
        private boolean retired;

        private Lease(String storageKey, SlideView view) {
            this.storageKey = storageKey;
            this.view = view;
        }

        SlideView view() {
            return view;
        }
    }

    private final int capacity;
    private final Function<Slice, SlideView> opener;
    private final LinkedHashMap<String, Lease> open = new LinkedHashMap<>(16, 0.75f, true);

    OpenSlides(int capacity, Function<Slice, SlideView> opener) {
        this.capacity = capacity;
        this.opener = opener;
    }

    /**
     * Borrows the slice's open slide, opening it when needed (other slides are served meanwhile); give
     * it back with {@link #release}. A failed open is not remembered: the next read tries again.
     */
    Lease acquire(Slice slice) {
        Lease lease;
        synchronized (open) {
            lease = open.get(slice.storageKey());
            if (lease == null) {
                lease = new Lease(slice.storageKey(), null);
                open.put(slice.storageKey(), lease);
                retireBeyondCapacity();
            }
            lease.readers++;
        }
        if (lease.view == null) {
            try {
                synchronized (lease) {
                    if (lease.view == null) {
                        lease.view = opener.apply(slice);
                    }
                }
            } catch (RuntimeException | Error e) {
                synchronized (open) {
                    lease.readers--;
                    if (lease.view == null && open.get(lease.storageKey) == lease) {
                        open.remove(lease.storageKey);
                    }
                }
                throw e;
            }
        }
        return lease;
    }

    /** Keeps a slide opened elsewhere (a registration that just checked it), so its first tile opens nothing. */
    void adopt(String storageKey, SlideView view) {
        synchronized (open) {
            if (open.containsKey(storageKey)) {
                view.slide().close();
                return;
            }
            open.put(storageKey, new Lease(storageKey, view));
            retireBeyondCapacity();
        }
    }

    void release(Lease lease) {
        synchronized (open) {
            lease.readers--;
            if (lease.retired && lease.readers == 0) {
                closeOpened(lease);
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
                closeOpened(eldest);
            }
        }
    }

    /** Closes a lease's slide; one still being opened has a reader, and is closed at its release. */
    private static void closeOpened(Lease lease) {
        SlideView view = lease.view;
        if (view != null) {
            view.slide().close();
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
                    closeOpened(l);
                }
            }
            open.clear();
        }
    }
}

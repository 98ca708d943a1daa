package org.histodraw.slides.openslide;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One open slide ({@code openslide_t}). Reads may come from many threads at once (OpenSlide's handles
 * are thread-safe); {@link #close} waits for reads in flight and later reads fail cleanly instead of
 * touching freed memory. Every call is followed by {@code openslide_get_error}: once OpenSlide reports
 * an error the handle is unusable and each call throws {@link OpenSlideException} with its message.
 */
public final class OpenSlideFile implements AutoCloseable {
    /** The largest region one read may ask for (OpenSlide needs w x h x 4 bytes of native memory). */
    public static final long MAX_READ_PIXELS = 1L << 26;

    private final OpenSlide lib;
    private final MemorySegment handle;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    OpenSlideFile(OpenSlide lib, MemorySegment handle) {
        this.lib = lib;
        this.handle = handle;
    }

    public int levelCount() {
        return call(() -> (int) lib.levelCount.invokeExact(handle));
    }

    /** {width, height} of a level. */
    public long[] levelDimensions(int level) {
        return call(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment w = arena.allocate(ValueLayout.JAVA_LONG);
                MemorySegment h = arena.allocate(ValueLayout.JAVA_LONG);
                lib.levelDimensions.invokeExact(handle, level, w, h);
                return new long[] {w.get(ValueLayout.JAVA_LONG, 0), h.get(ValueLayout.JAVA_LONG, 0)};
            }
        });
    }

    public double levelDownsample(int level) {
        return call(() -> (double) lib.levelDownsample.invokeExact(handle, level));
    }

    /**
     * Premultiplied ARGB pixels (OpenSlide's format) of a {@code width x height} region of a level;
     * {@code x, y} are in level-0 coordinates, as OpenSlide takes them.
     */
    public int[] readRegion(long x, long y, int level, int width, int height) {
        long pixels = (long) width * height;
        if (width <= 0 || height <= 0 || pixels > MAX_READ_PIXELS) {
            throw new IllegalArgumentException("region of " + width + " x " + height + " px: must be 1.."
                    + MAX_READ_PIXELS + " px");
        }
        return call(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment dest = arena.allocate(ValueLayout.JAVA_INT, pixels);
                lib.readRegion.invokeExact(handle, dest, x, y, level, (long) width, (long) height);
                return dest.toArray(ValueLayout.JAVA_INT);
            }
        });
    }

    /** Every property OpenSlide reads from the file, by name (e.g. {@code openslide.mpp-x}). */
    public Map<String, String> properties() {
        return call(() -> {
            Map<String, String> out = new LinkedHashMap<>();
            for (String name : OpenSlide.strings((MemorySegment) lib.propertyNames.invokeExact(handle))) {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment v = (MemorySegment) lib.propertyValue.invokeExact(handle, arena.allocateFrom(name));
                    String value = OpenSlide.string(v);
                    if (value != null) {
                        out.put(name, value);
                    }
                }
            }
            return out;
        });
    }

    /** Names of the associated images ("label", "macro", "thumbnail"...). */
    public List<String> associatedImageNames() {
        return call(() -> OpenSlide.strings((MemorySegment) lib.associatedNames.invokeExact(handle)));
    }

    /** {width, height} of an associated image. */
    public long[] associatedImageDimensions(String name) {
        return call(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment w = arena.allocate(ValueLayout.JAVA_LONG);
                MemorySegment h = arena.allocate(ValueLayout.JAVA_LONG);
                lib.associatedDimensions.invokeExact(handle, arena.allocateFrom(name), w, h);
                return new long[] {w.get(ValueLayout.JAVA_LONG, 0), h.get(ValueLayout.JAVA_LONG, 0)};
            }
        });
    }

    /** Premultiplied ARGB pixels of an associated image. */
    public int[] readAssociatedImage(String name) {
        long[] size = associatedImageDimensions(name);
        long pixels = size[0] * size[1];
        if (size[0] <= 0 || size[1] <= 0 || pixels > MAX_READ_PIXELS) {
            throw new OpenSlideException("associated image " + name + " has an unusable size " + size[0] + " x " + size[1]);
        }
        return call(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment dest = arena.allocate(ValueLayout.JAVA_INT, pixels);
                lib.readAssociated.invokeExact(handle, arena.allocateFrom(name), dest);
                return dest.toArray(ValueLayout.JAVA_INT);
            }
        });
    }

    /** Throws OpenSlide's error message when the handle is in error. */
    void checkError() {
        String error;
        try {
            error = OpenSlide.string((MemorySegment) lib.getError.invokeExact(handle));
        } catch (Throwable e) {
            throw OpenSlide.rethrow(e);
        }
        if (error != null) {
            throw new OpenSlideException(error);
        }
    }

    @FunctionalInterface
    private interface NativeCall<T> {
        T call() throws Throwable;
    }

    private <T> T call(NativeCall<T> c) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the OpenSlide handle is closed");
            }
            checkError();
            T result;
            try {
                result = c.call();
            } catch (Throwable e) {
                throw OpenSlide.rethrow(e);
            }
            checkError();
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                lib.close.invokeExact(handle);
            }
        } catch (Throwable e) {
            throw OpenSlide.rethrow(e);
        } finally {
            lock.writeLock().unlock();
        }
    }
}

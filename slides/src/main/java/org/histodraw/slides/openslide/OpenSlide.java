package org.histodraw.slides.openslide;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The OpenSlide C library (Debian's {@code libopenslide0}, 3.4.1 or later) bound through the Foreign
 * Function &amp; Memory API: no JNI code, no native build step. {@link #library()} finds it once per
 * process; when it is absent the answer says how to install it, and vendor formats are refused with
 * that message.
 *
 * <p>Only the calls a slide reader needs are bound: detect the vendor, open, levels, read a region,
 * properties, associated images, close, and {@code openslide_get_error}, which is checked after
 * every call (an OpenSlide handle that failed once stays failed). Runs need
 * {@code --enable-native-access=ALL-UNNAMED} (the JDK warns without it).
 */
public final class OpenSlide {
    /** The library names tried in turn (OpenSlide 3 and 4), or the path in {@value #LIBRARY_PROPERTY}. */
    static final List<String> NAMES = List.of("libopenslide.so.0", "libopenslide.so.1", "libopenslide.so",
            "libopenslide.1.dylib", "libopenslide-1.dll");
    public static final String LIBRARY_PROPERTY = "histodraw.openslide.library";
    public static final String INSTALL_HINT = "OpenSlide is not installed (on Debian or Ubuntu: apt-get install libopenslide0)";

    private static final Linker LINKER = Linker.nativeLinker();
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT;
    private static final AddressLayout ADDRESS = ValueLayout.ADDRESS;
    private static final Object LOCK = new Object();
    private static volatile Loaded loaded;

    /** The outcome of looking for the library: it, or why not (with how to install it). */
    record Loaded(Optional<OpenSlide> library, String failure) {
    }

    final MethodHandle detectVendor;
    final MethodHandle open;
    final MethodHandle close;
    final MethodHandle getError;
    final MethodHandle levelCount;
    final MethodHandle levelDimensions;
    final MethodHandle levelDownsample;
    final MethodHandle readRegion;
    final MethodHandle propertyNames;
    final MethodHandle propertyValue;
    final MethodHandle associatedNames;
    final MethodHandle associatedDimensions;
    final MethodHandle readAssociated;
    private final String version;

    private OpenSlide(SymbolLookup lib) throws Throwable {
        detectVendor = bind(lib, "openslide_detect_vendor", FunctionDescriptor.of(ADDRESS, ADDRESS));
        open = bind(lib, "openslide_open", FunctionDescriptor.of(ADDRESS, ADDRESS));
        close = bind(lib, "openslide_close", FunctionDescriptor.ofVoid(ADDRESS));
        getError = bind(lib, "openslide_get_error", FunctionDescriptor.of(ADDRESS, ADDRESS));
        levelCount = bind(lib, "openslide_get_level_count", FunctionDescriptor.of(I32, ADDRESS));
        levelDimensions = bind(lib, "openslide_get_level_dimensions", FunctionDescriptor.ofVoid(ADDRESS, I32, ADDRESS, ADDRESS));
        levelDownsample = bind(lib, "openslide_get_level_downsample", FunctionDescriptor.of(ValueLayout.JAVA_DOUBLE, ADDRESS, I32));
        readRegion = bind(lib, "openslide_read_region", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, I64, I64, I32, I64, I64));
        propertyNames = bind(lib, "openslide_get_property_names", FunctionDescriptor.of(ADDRESS, ADDRESS));
        propertyValue = bind(lib, "openslide_get_property_value", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        associatedNames = bind(lib, "openslide_get_associated_image_names", FunctionDescriptor.of(ADDRESS, ADDRESS));
        associatedDimensions = bind(lib, "openslide_get_associated_image_dimensions",
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        readAssociated = bind(lib, "openslide_read_associated_image", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
        MethodHandle getVersion = bind(lib, "openslide_get_version", FunctionDescriptor.of(ADDRESS));
        version = string((MemorySegment) getVersion.invokeExact());
    }

    /** The library, loaded on first use; empty (with {@link #unavailableReason()}) when it is not installed. */
    public static Optional<OpenSlide> library() {
        return loaded().library();
    }

    private static Loaded loaded() {
        Loaded l = loaded;
        if (l != null) {
            return l;
        }
        synchronized (LOCK) {
            if (loaded == null) {
                String configured = System.getProperty(LIBRARY_PROPERTY);
                loaded = load(configured != null && !configured.isBlank() ? List.of(configured) : NAMES);
            }
            return loaded;
        }
    }

    public static boolean available() {
        return library().isPresent();
    }

    /** Why the library could not be loaded, with how to install it; null when it is loaded. */
    public static String unavailableReason() {
        return loaded().failure();
    }

    /** Looks for the library under each name in turn (names with a slash are paths). */
    static Loaded load(List<String> candidates) {
        List<String> tried = new ArrayList<>();
        for (String name : candidates) {
            SymbolLookup lib;
            try {
                lib = name.contains("/") ? SymbolLookup.libraryLookup(Path.of(name), Arena.global())
                        : SymbolLookup.libraryLookup(name, Arena.global());
            } catch (IllegalArgumentException e) {
                tried.add(name);
                continue;
            } catch (IllegalCallerException e) {
                return new Loaded(Optional.empty(), "OpenSlide cannot be loaded: native access is not enabled (run java with "
                        + "--enable-native-access=ALL-UNNAMED)");
            }
            try {
                return new Loaded(Optional.of(new OpenSlide(lib)), null);
            } catch (Throwable e) {
                return new Loaded(Optional.empty(), "OpenSlide found as " + name + " but not usable: " + e);
            }
        }
        return new Loaded(Optional.empty(), INSTALL_HINT + "; tried " + String.join(", ", tried));
    }

    private static MethodHandle bind(SymbolLookup lib, String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = lib.find(name).orElseThrow(() -> new IllegalStateException("symbol " + name + " missing"));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    /** "3.4.1" */
    public String version() {
        return version;
    }

    /**
     * OpenSlide's name for the format of {@code file} ("aperio", "hamamatsu", "mirax", "generic-tiff"...),
     * or empty when OpenSlide does not recognise it.
     */
    public Optional<String> detectVendor(Path file) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment vendor = (MemorySegment) detectVendor.invokeExact(arena.allocateFrom(file.toString()));
            return Optional.ofNullable(string(vendor));
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /**
     * Opens a slide. Empty when OpenSlide does not recognise the file; an {@link OpenSlideException}
     * with OpenSlide's own message when it recognises it but cannot open it.
     */
    public Optional<OpenSlideFile> open(Path file) {
        MemorySegment handle;
        try (Arena arena = Arena.ofConfined()) {
            handle = (MemorySegment) open.invokeExact(arena.allocateFrom(file.toString()));
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (handle.equals(MemorySegment.NULL)) {
            return Optional.empty();
        }
        OpenSlideFile slide = new OpenSlideFile(this, handle);
        try {
            slide.checkError();
        } catch (OpenSlideException e) {
            slide.close();
            throw e;
        }
        return Optional.of(slide);
    }

    /** A C string (UTF-8, NUL-terminated) at {@code address}, or null for NULL. */
    static String string(MemorySegment address) {
        if (address == null || address.equals(MemorySegment.NULL)) {
            return null;
        }
        return address.reinterpret(Long.MAX_VALUE).getString(0);
    }

    /** A NULL-terminated array of C strings. */
    static List<String> strings(MemorySegment array) {
        List<String> out = new ArrayList<>();
        if (array == null || array.equals(MemorySegment.NULL)) {
            return out;
        }
        MemorySegment a = array.reinterpret(Long.MAX_VALUE);
        for (long i = 0; i < 100_000; i++) {
            MemorySegment s = a.getAtIndex(ADDRESS, i);
            if (s.equals(MemorySegment.NULL)) {
                break;
            }
            out.add(string(s));
        }
        return out;
    }

    static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new IllegalStateException("OpenSlide call failed", e);
    }
}

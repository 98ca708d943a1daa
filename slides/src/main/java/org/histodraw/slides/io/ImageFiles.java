package org.histodraw.slides.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/** Finding a reader for a file and turning reader failures into messages a user can act on. */
final class ImageFiles {

    private ImageFiles() {
    }

    /** Fails with a clear message when the file is missing, a folder, unreadable or empty. */
    static void checkReadable(Path file) {
        if (!Files.exists(file)) {
            throw new SlideException(file, "no such file");
        }
        if (Files.isDirectory(file)) {
            throw new SlideException(file, "a folder, not an image file");
        }
        if (!Files.isReadable(file)) {
            throw new SlideException(file, "cannot read (permission denied)");
        }
        try {
            if (Files.size(file) == 0) {
                throw new SlideException(file, "empty file");
            }
        } catch (IOException e) {
            throw new SlideException(file, "cannot read", e);
        }
    }

    /** Up to {@code n} first bytes of the file (fewer when it is shorter). */
    static byte[] head(Path file, int n) {
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            ByteBuffer buf = ByteBuffer.allocate(n);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read until full or the end
            }
            return java.util.Arrays.copyOf(buf.array(), buf.position());
        } catch (AccessDeniedException e) {
            throw new SlideException(file, "cannot read (permission denied)");
        } catch (IOException e) {
            throw new SlideException(file, "cannot read", e);
        }
    }

    /**
     * The readers that recognise the file's content (not its name), best first. For TIFF the JDK's
     * own reader comes first: TwelveMonkeys 3.14.0 fails on source regions narrower than a tiled
     * image (its issue #746), while the JDK reader reads them correctly and touches only the tiles
     * needed. TwelveMonkeys stays as the fallback for BigTIFF and compressions the JDK lacks.
     */
    static List<ImageReaderSpi> providers(Path file) {
        List<ImageReaderSpi> found = new ArrayList<>();
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            Iterator<ImageReader> it = ImageIO.getImageReaders(in);
            while (it.hasNext()) {
                ImageReader r = it.next();
                if (r.getOriginatingProvider() != null) {
                    found.add(r.getOriginatingProvider());
                }
                r.dispose();
            }
        } catch (AccessDeniedException e) {
            throw new SlideException(file, "cannot read (permission denied)");
        } catch (IOException e) {
            throw new SlideException(file, "cannot read", e);
        }
        if (found.isEmpty()) {
            throw new SlideException(file, "not an image we can read", "expected PNG, JPEG or TIFF");
        }
        List<ImageReaderSpi> ordered = new ArrayList<>();
        found.stream().filter(s -> isTiff(s) && isJdk(s)).forEach(ordered::add);
        found.stream().filter(s -> !ordered.contains(s)).forEach(ordered::add);
        return ordered;
    }

    static boolean isJdk(ImageReaderSpi spi) {
        return spi.getClass().getName().startsWith("com.sun.imageio.");
    }

    static boolean isTiff(ImageReaderSpi spi) {
        return "TIFF".equals(formatName(spi));
    }

    /** Upper-case short name of the format: PNG, JPEG, TIFF, GIF, BMP... */
    static String formatName(ImageReaderSpi spi) {
        String[] names = spi.getFormatNames();
        String name = names == null || names.length == 0 ? "image" : names[0].toUpperCase(Locale.ROOT);
        for (String n : names == null ? new String[0] : names) {
            String u = n.toUpperCase(Locale.ROOT);
            if (u.equals("TIFF") || u.equals("TIF") || u.equals("BIGTIFF")) {
                return "TIFF";
            }
            if (u.equals("JPEG") || u.equals("JPG")) {
                return "JPEG";
            }
            if (u.equals("PNG")) {
                return "PNG";
            }
        }
        return name;
    }

    static ImageReader openReader(Path file, ImageReaderSpi spi) throws IOException {
        ImageInputStream in = new FileImageInputStream(file.toFile());
        try {
            ImageReader reader = spi.createReaderInstance();
            reader.setInput(in, false, false);
            return reader;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Disposes of the reader and closes its stream, ignoring errors (used on cleanup paths). */
    static void closeQuietly(ImageReader reader) {
        if (reader == null) {
            return;
        }
        Object input = reader.getInput();
        reader.dispose();
        if (input instanceof ImageInputStream in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing left to do on a failed close of a read-only stream
            }
        }
    }

    /** "truncated PNG: a.png (...)" or "corrupt TIFF: b.tif (...)". */
    static SlideException failure(Path file, String format, Throwable e) {
        if (e instanceof SlideException se) {
            return se;
        }
        boolean truncated = isTruncation(e) || ("PNG".equals(format) && lacksPngEnd(file));
        return new SlideException(file, (truncated ? "truncated " : "corrupt or unsupported ") + format, rootCause(e));
    }

    static boolean mentionsTruncation(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return m.contains("premature end") || m.contains("truncated") || m.contains("unexpected end")
                || m.contains("missing eoi");
    }

    private static boolean isTruncation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException || mentionsTruncation(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** Every complete PNG ends with the IEND chunk; its absence means the file was cut short. */
    private static boolean lacksPngEnd(Path file) {
        byte[] iend = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            if (ch.size() < iend.length) {
                return true;
            }
            ByteBuffer tail = ByteBuffer.allocate(iend.length);
            ch.position(ch.size() - iend.length);
            while (tail.hasRemaining() && ch.read(tail) >= 0) {
                // read until full
            }
            return !java.util.Arrays.equals(tail.array(), iend);
        } catch (IOException ex) {
            return false;
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && t.getCause().getMessage() != null) {
            t = t.getCause();
        }
        return t;
    }
}

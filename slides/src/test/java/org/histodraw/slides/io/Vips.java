package org.histodraw.slides.io;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.histodraw.slides.openslide.OpenSlide;

/**
 * Slides written by Debian's libvips-tools in tests; skipped with a message where vips or OpenSlide
 * is absent. Public in this module's test jar: the server's, the app's and the Spark job's tests make
 * their Aperio SVS files here (one way to make them).
 */
public final class Vips {
    /** An Aperio ImageDescription as scanners write it: OpenSlide's SVS reader keys on its first word. */
    static final String APERIO = "Aperio Image Library v12.0.15 \r\n%d x %d [0,0 %dx%d] (256x256) JPEG/RGB Q=70|AppMag = 40|MPP = 0.2500";

    private Vips() {
    }

    public static void assumeAvailable() {
        boolean ok;
        try {
            Process p = new ProcessBuilder("vips", "--version").redirectErrorStream(true).start();
            ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            ok = false;
        }
        assumeTrue(ok, "vips is not installed (apt-get install libvips-tools): skipping the tests on vips-made slides");
    }

    public static void assumeOpenSlide() {
        assumeTrue(OpenSlide.available(), "skipping: " + OpenSlide.unavailableReason());
    }

    public static void run(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("vips"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("vips " + String.join(" ", args) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** A tiled pyramidal TIFF of {@code source} (any image vips reads) with the given compression. */
    public static Path pyramid(Path source, Path out, String compression) throws IOException {
        run("tiffsave", source.toString(), out.toString(), "--tile", "--pyramid", "--compression", compression,
                "--tile-width", "256", "--tile-height", "256");
        return out;
    }

    /**
     * An Aperio-style SVS: {@code source} carried into a TIFF with an Aperio description (vips keeps
     * it), then tiled and pyramidal with JPEG tiles, or JPEG 2000 tiles marked 33003 (Aperio's YCbCr
     * code; vips writes its JPEG 2000 tiles in YCbCr under the generic code 33004).
     */
    public static Path aperio(BufferedImage source, Path dir, String name, boolean jpeg2000) throws IOException {
        Path described = dir.resolve(name + "-described.tif");
        TestImages.writeTiff(described, List.of(source), 0, null, 0, String.format(Locale.ROOT, APERIO,
                source.getWidth(), source.getHeight(), source.getWidth(), source.getHeight()));
        Path out = dir.resolve(name + ".svs");
        pyramid(described, out, jpeg2000 ? "jp2k" : "jpeg");
        if (jpeg2000) {
            setCompression(out, 33004, 33003);
        }
        return out;
    }

    /** Rewrites the Compression tag of every directory of a classic little-endian TIFF from one code to another. */
    static void setCompression(Path tiff, int from, int to) throws IOException {
        try (FileChannel ch = FileChannel.open(tiff, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(head, 0);
            long next = head.getInt(4) & 0xffffffffL;
            while (next != 0) {
                ByteBuffer count = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(count, next);
                int n = count.getShort(0) & 0xffff;
                ByteBuffer entries = ByteBuffer.allocate(n * 12 + 4).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(entries, next + 2);
                for (int i = 0; i < n; i++) {
                    if ((entries.getShort(i * 12) & 0xffff) == 259 && (entries.getShort(i * 12 + 8) & 0xffff) == from) {
                        ByteBuffer v = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) to);
                        ch.write(v, next + 2 + i * 12 + 8);
                    }
                }
                next = entries.getInt(n * 12) & 0xffffffffL;
            }
        }
    }
}

package org.histodraw.app;

import static org.assertj.core.api.Assertions.assertThat;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.histodraw.app.console.Terminal;
import org.histodraw.server.HistoDrawServer;
import org.histodraw.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


class IngestCommandTest {
    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(Main.Runners.defaults(), new Terminal(new PrintWriter(out, true), new PrintWriter(err, true), false), args);
    }

    private Path image(String name, int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | 128);
            }
        }
        Path file = dir.resolve(name);
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    @Test
    void imagesBecomeTheSlicesOfASeriesInOrder() throws Exception {
        Path data = dir.resolve("data");
        try (HistoDrawServer first = HistoDrawServer.start(ServerConfig.defaults().withDataDir(data).withPort(0)
                .withAdmin("admin", "secret-password").withPasswordCost(4))) {
            assertThat(first.port()).isPositive();
        }
        Path a = image("a.png", 300, 200);
        Path b = image("b.png", 700, 500);

        assertThat(run("ingest", "--data", data.toString(), "--project", "Brain", "--series", "Coronal", a.toString(),
                b.toString())).as(err.toString()).isZero();

        assertThat(out.toString()).contains("created project Brain", "created series Coronal",
                "a.png: slice 1, PNG, 300 x 200 px", "b.png: slice 2, PNG, 700 x 500 px");
        try (HistoDrawServer server = HistoDrawServer.start(ServerConfig.defaults().withDataDir(data).withPort(0))) {
            var series = server.backend().slides().seriesOf(server.backend().projects().visibleTo(null, true).get(0).id());
            var slices = server.backend().slides().slicesOf(series.get(0).id());
            assertThat(slices).extracting(s -> s.name()).containsExactly("a.png", "b.png");
        }
    }

    @Test
    void aNewProjectNeedsAnOwner() throws Exception {
        Path a = image("a.png", 64, 64);
        assertThat(run("ingest", "--data", dir.resolve("empty").toString(), "--project", "P", "--series", "S",
                a.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no administrator yet");
    }

    @Test
    void aMissingImageIsNamed() {
        assertThat(run("ingest", "--data", dir.resolve("d").toString(), "--project", "P", "--series", "S",
                dir.resolve("nope.png").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no such file").contains("nope.png");
    }

    private Path dataWithAdmin() {
        Path data = dir.resolve("data");
        try (HistoDrawServer first = HistoDrawServer.start(ServerConfig.defaults().withDataDir(data).withPort(0)
                .withAdmin("admin", "secret-password").withPasswordCost(4))) {
            assertThat(first.port()).isPositive();
        }
        return data;
    }

    /** Runs ingest on one bad file and checks the one-line error and that nothing was made. */
    private String refused(Path data, Path bad, String... extra) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("ingest", "--data", data.toString(),
                "--project", "P", "--series", "S"));
        args.addAll(java.util.List.of(extra));
        args.add(bad.toString());
        err.getBuffer().setLength(0);
        assertThat(run(args.toArray(String[]::new))).isEqualTo(1);
        String message = err.toString().strip();
        assertThat(message).startsWith("histodraw: error: ").contains(bad.getFileName().toString())
                .contains("nothing was ingested").doesNotContain("Exception").doesNotContain("\n");
        try (HistoDrawServer server = HistoDrawServer.start(ServerConfig.defaults().withDataDir(data).withPort(0))) {
            for (var p : server.backend().projects().visibleTo(null, true)) {
                for (var s : server.backend().slides().seriesOf(p.id())) {
                    assertThat(server.backend().slides().slicesOf(s.id())).isEmpty();
                }
            }
        }
        try (java.util.stream.Stream<Path> slides = java.nio.file.Files.list(data.resolve("slides"))) {
            assertThat(slides).as("pyramid folders").isEmpty();
        }
        return message;
    }

    @Test
    void decompressionBombsCorruptTruncatedAndUnsupportedFilesAreRefusedLeavingNothing() throws Exception {
        Path data = dataWithAdmin();
        assertThat(refused(data, write("bomb.png", pngBomb(200_000, 200_000)))).contains("image too large", "40.0 Gpx");
        byte[] noise = new byte[3000];
        new java.util.Random(1).nextBytes(noise);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, noise, 0, 8);
        assertThat(refused(data, write("noise.png", noise))).contains("PNG");
        byte[] png = java.nio.file.Files.readAllBytes(image("whole.png", 400, 300));
        assertThat(refused(data, write("cut.png", java.util.Arrays.copyOf(png, png.length / 2)))).contains("truncated PNG");
        java.io.ByteArrayOutputStream gif = new java.io.ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_INDEXED), "gif", gif);
        assertThat(refused(data, write("pic.gif", gif.toByteArray()))).contains("expected PNG, JPEG or TIFF");
        assertThat(refused(data, image("big.png", 300, 200), "--max-pixels", "50000")).contains("image too large", "above the limit");
    }

    @Test
    void pixelSizeComesFromTheOptionOrFromTiffResolutionTags() throws Exception {
        Path data = dataWithAdmin();
        Path png = image("a.png", 300, 200);
        Path tiff = dir.resolve("b.tif");
        writeTiffWithResolution(tiff, 40_000); // 40,000 pixels per centimetre = 0.25 µm
        assertThat(run("ingest", "--data", data.toString(), "--project", "P", "--series", "S", tiff.toString())).as(err.toString()).isZero();
        assertThat(run("ingest", "--data", data.toString(), "--project", "P", "--series", "S", "--pixel-size", "0.5",
                png.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("b.tif: slice 1, tiled TIFF, 300 x 200 px, 0.2500 µm/px", "a.png: slice 2, PNG, 300 x 200 px, 0.5000 µm/px");
        try (HistoDrawServer server = HistoDrawServer.start(ServerConfig.defaults().withDataDir(data).withPort(0))) {
            assertThat(server.backend().slides().slice(1).orElseThrow().micronsPerPixel()).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(server.backend().slides().slice(2).orElseThrow().micronsPerPixel()).isEqualTo(0.5);
        }
        assertThat(run("ingest", "--data", data.toString(), "--project", "P", "--series", "S", "--pixel-size", "-1",
                png.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--pixel-size must be a positive number");
    }

    private Path write(String name, byte[] bytes) throws Exception {
        Path file = dir.resolve(name);
        java.nio.file.Files.write(file, bytes);
        return file;
    }

    /** A PNG of a few hundred bytes whose header claims width x height pixels. */
    private static byte[] pngBomb(int width, int height) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(9);
        deflater.setInput(new byte[1 << 20]);
        deflater.finish();
        byte[] buffer = new byte[1 << 16];
        chunk(out, "IDAT", java.util.Arrays.copyOf(buffer, deflater.deflate(buffer)));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A 300 x 200 tiled TIFF (JDK writer) with XResolution in pixels per centimetre. */
    private static void writeTiffWithResolution(Path file, double pixelsPerCm) throws Exception {
        javax.imageio.ImageWriter writer = null;
        for (var it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
            javax.imageio.ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.imageio.")) {
                writer = w;
            }
        }
        BufferedImage img = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
        param.setTilingMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
        param.setTiling(128, 128, 0, 0);
        javax.imageio.metadata.IIOMetadata meta = writer.getDefaultImageMetadata(
                javax.imageio.ImageTypeSpecifier.createFromRenderedImage(img), param);
        javax.imageio.metadata.IIOMetadataNode root = new javax.imageio.metadata.IIOMetadataNode("javax_imageio_1.0");
        javax.imageio.metadata.IIOMetadataNode dim = new javax.imageio.metadata.IIOMetadataNode("Dimension");
        for (String axis : new String[] {"HorizontalPixelSize", "VerticalPixelSize"}) {
            javax.imageio.metadata.IIOMetadataNode n = new javax.imageio.metadata.IIOMetadataNode(axis);
            n.setAttribute("value", Double.toString(10.0 / pixelsPerCm)); // millimetres per pixel
            dim.appendChild(n);
        }
        root.appendChild(dim);
        meta.mergeTree("javax_imageio_1.0", root);
        try (javax.imageio.stream.ImageOutputStream o = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(o);
            writer.write(null, new javax.imageio.IIOImage(img, null, meta), param);
        } finally {
            writer.dispose();
        }
    }
}

package org.histodraw.client;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * What the client tests read: a forked server with a project, a series of two uploaded slices whose
 * pixels are known (random colours, so any misplaced pixel shows), and tokens of both scopes. One
 * is shared by the test classes ({@link #shared()}): a server takes seconds to start, and it ends
 * with the test JVM, when its standard input closes.
 */
final class AnnotatedProject implements AutoCloseable {
    private static AnnotatedProject shared;

    final ForkedServer server;
    final BrowserSession owner;
    final long project;
    final long series;
    final List<Long> slices;
    final List<BufferedImage> images;
    final String readToken;
    final String writeToken;

    AnnotatedProject(Path folder) {
        server = ForkedServer.start(folder.resolve("server"));
        owner = server.admin();
        project = owner.project("Glands");
        series = owner.series(project, "Colon");
        // 700 x 600 spans four of RemoteSlide's 512-px blocks; 300 x 200 lies in one.
        images = List.of(noise(700, 600, 1), noise(300, 200, 2));
        slices = List.of(owner.upload(series, write(images.get(0), folder.resolve("01.png")), 0.25),
                owner.upload(series, write(images.get(1), folder.resolve("02.png"))));
        readToken = owner.token(project, "read");
        writeToken = owner.token(project, "read", "write");
    }

    /** The project of this test run, made on first use in a new folder under {@code target/}. */
    static synchronized AnnotatedProject shared() {
        if (shared == null) {
            try {
                shared = new AnnotatedProject(Files.createTempDirectory(Files.createDirectories(Path.of("target")), "client-tests-"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    ServerClient client(String token) {
        return new ServerClient(URI.create(server.url()), token);
    }

    static BufferedImage noise(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    static Path write(BufferedImage image, Path file) {
        try {
            ImageIO.write(image, "png", file.toFile());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}

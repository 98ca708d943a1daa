package org.histodraw.app.cohort;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.histodraw.app.Main;
import org.histodraw.app.console.Terminal;

/**
 * Small generated H&amp;E-like slides (purple nuclei on pink stroma, of sizes that do not divide by
 * the tile) and a model trained on the first by {@code histodraw segment}: a cohort for the
 * command's tests.
 */
public final class TestCohort {
    public final List<Path> slides = new ArrayList<>();
    public final Path model;

    public TestCohort(Path dir, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            slides.add(slide(dir.resolve(String.format("slide-%02d.png", i + 1)), 150 + 37 * i, 110 + 23 * i, 11 + i));
        }
        Path scribbles = scribbles(dir.resolve("slide-01_scribbles.png"), 150, 110);
        model = dir.resolve("nuclei.hdm");
        StringWriter err = new StringWriter();
        int code = Main.run(Main.Runners.defaults(), new Terminal(new PrintWriter(new StringWriter()), new PrintWriter(err), false),
                "segment", "--image", slides.get(0).toString(), "--labels", scribbles.toString(), "--classes", "Background,Nucleus",
                "--trees", "4", "--save-model", model.toString());
        if (code != 0) {
            throw new IllegalStateException("training failed: " + err);
        }
    }

    /** Dark purple discs (nuclei) on a grid, pink stroma around them. */
    static boolean nucleus(int x, int y) {
        int cx = (x / 20) * 20 + 10, cy = (y / 20) * 20 + 10;
        return (x - cx) * (x - cx) + (y - cy) * (y - cy) <= 25;
    }

    private static Path slide(Path file, int width, int height, long seed) throws IOException {
        Random random = new Random(seed);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int n = (int) (random.nextGaussian() * 12);
                img.setRGB(x, y, nucleus(x, y) ? rgb(80 + n, 50 + n, 140 + n) : rgb(225 + n, 150 + n, 200 + n));
            }
        }
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    /** Label 2 on the cores of some nuclei, 1 on sparse stroma dots, 0 elsewhere. */
    private static Path scribbles(Path file, int width, int height) throws IOException {
        BufferedImage s = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean core = nucleus(x, y) && nucleus(x - 2, y) && nucleus(x + 2, y);
                if (core && (x + y) % 3 == 0) {
                    s.getRaster().setSample(x, y, 0, 2);
                } else if (!nucleus(x, y) && (x * 7 + y * 3) % 41 == 0) {
                    s.getRaster().setSample(x, y, 0, 1);
                }
            }
        }
        ImageIO.write(s, "png", file.toFile());
        return file;
    }

    private static int rgb(int r, int g, int b) {
        return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Writes a square test slide for the benchmarks: a mosaic of real H&E images (the 512 x 512
 * NN.png of ../shared/data/gbm-nuclei, each placed mirrored or not so that neighbours differ) when
 * that folder exists, else a synthetic tissue-like texture. Real tissue matters: it gives JPEG tiles
 * of the size a scanner's slide gives (tens of kB), which is what a tile server moves.
 *
 *   java bench/TestSlide.java SIZE OUT.png [DATA-FOLDER]
 */
public class TestSlide {
    public static void main(String[] args) throws Exception {
        int size = Integer.parseInt(args[0]);
        Path out = Path.of(args[1]);
        Path data = Path.of(args.length > 2 ? args[2] : "../shared/data/gbm-nuclei");
        List<BufferedImage> tiles = new ArrayList<>();
        if (Files.isDirectory(data)) {
            try (var files = Files.list(data)) {
                for (Path p : files.filter(f -> f.getFileName().toString().matches("\\d+\\.png")).sorted().toList()) {
                    tiles.add(ImageIO.read(p.toFile()));
                }
            }
        }
        BufferedImage slide = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        if (tiles.isEmpty()) {
            System.err.println("no images in " + data + ": writing a synthetic texture");
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double v = Math.sin(x / 37.0) * Math.cos(y / 23.0) + Math.sin((x + y) / 11.0) * 0.5;
                    int n = random.nextInt(40);
                    int r = clamp(200 + (int) (40 * v) - n), g = clamp(150 + (int) (50 * v) - n), b = clamp(190 + (int) (30 * v) - n);
                    slide.setRGB(x, y, r << 16 | g << 8 | b);
                }
            }
        } else {
            int k = 0;
            for (int y0 = 0; y0 < size; y0 += 512) {
                for (int x0 = 0; x0 < size; x0 += 512) {
                    BufferedImage t = tiles.get((k++ * 7 + random.nextInt(3)) % tiles.size());
                    boolean flipX = random.nextBoolean(), flipY = random.nextBoolean();
                    int tw = t.getWidth(), th = t.getHeight();
                    for (int y = 0; y < 512 && y0 + y < size; y++) {
                        for (int x = 0; x < 512 && x0 + x < size; x++) {
                            int sx = (x % tw), sy = (y % th);
                            slide.setRGB(x0 + x, y0 + y, t.getRGB(flipX ? tw - 1 - sx : sx, flipY ? th - 1 - sy : sy));
                        }
                    }
                }
            }
        }
        ImageIO.write(slide, "png", new File(out.toString()));
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}

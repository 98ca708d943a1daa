package org.histodraw.engine.features;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;

/**
 * Not a unit test: times the feature presets on a synthetic 4096 x 4096 RGB image, single thread,
 * tile by tile as the pipeline runs (512-pixel tiles read with their halo, features of the tile
 * only), timed by the thread's CPU time. Run with
 * {@code java -cp engine/target/classes:engine/target/test-classes org.histodraw.engine.features.FeatureBankBenchmark [size] [tile] [settings...]}.
 */
public final class FeatureBankBenchmark {
    // CPU time of this thread: the machine is shared, wall time would count other processes' turns.
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private FeatureBankBenchmark() {
    }

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
        int tile = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        String[] presets = args.length > 2 ? java.util.Arrays.copyOfRange(args, 2, args.length)
                : new String[] {"defaults", "scikit", "ilastik"};
        Raster image = syntheticSlide(size, size);
        for (String name : presets) {
            FeatureSettings settings = switch (name) {
                case "defaults" -> FeatureSettings.defaults();
                case "scikit" -> FeatureSettings.scikitImage();
                case "ilastik" -> FeatureSettings.ilastik();
                default -> FeatureSettings.parse(name);
            };
            run(name, settings, image, tile);
        }
    }

    private static void run(String name, FeatureSettings settings, Raster image, int tileSize) {
        FeatureBank bank = new FeatureBank(settings);
        PixelRegion bounds = PixelRegion.of(image.width(), image.height());
        // Warm up the JIT on a few tiles.
        Raster out = Raster.allocate(tileSize, tileSize, bank.featureCount());
        for (int i = 0; i < 3; i++) {
            PixelRegion t = new PixelRegion(tileSize * i, tileSize, tileSize, tileSize);
            PixelRegion h = bank.inputRegion(t, bounds);
            bank.compute(image.crop(h), inner(t, h), out);
        }
        long computeNanos = 0;
        long inputPixels = 0;
        double checksum = 0;
        for (int y = 0; y < image.height(); y += tileSize) {
            for (int x = 0; x < image.width(); x += tileSize) {
                PixelRegion t = new PixelRegion(x, y, Math.min(tileSize, image.width() - x),
                        Math.min(tileSize, image.height() - y));
                PixelRegion h = bank.inputRegion(t, bounds);
                Raster input = image.crop(h);
                if (out.width() != t.width() || out.height() != t.height()) {
                    out = Raster.allocate(t.width(), t.height(), bank.featureCount());
                }
                long t0 = CPU.getCurrentThreadCpuTime();
                bank.compute(input, inner(t, h), out);
                computeNanos += CPU.getCurrentThreadCpuTime() - t0;
                inputPixels += h.area();
                checksum += out.plane(bank.featureCount() - 1)[t.width() / 2];
            }
        }
        double seconds = computeNanos / 1e9;
        double mpx = image.width() * (double) image.height() / 1e6;
        System.out.printf(Locale.ROOT,
                "%-9s %3d features, halo %2d: %6.2f s CPU for %dx%d (%.1f Mpx/s, %.1f Mpx/s counting halo pixels read) [%s] %s%n",
                name, bank.featureCount(), bank.halo(), seconds, image.width(), image.height(), mpx / seconds,
                inputPixels / 1e6 / seconds, settings.toText(), checksum == 0 ? "" : "");
    }

    private static PixelRegion inner(PixelRegion tile, PixelRegion haloed) {
        return new PixelRegion(tile.x() - haloed.x(), tile.y() - haloed.y(), tile.width(), tile.height());
    }

    /** Smooth waves, cell-sized blobs and 8-bit noise, quick to make at any size. */
    static Raster syntheticSlide(int width, int height) {
        int[] packed = new int[width * height];
        long state = 0x9E3779B97F4A7C15L;
        for (int y = 0; y < height; y++) {
            double cy = Math.cos(y * 0.07);
            for (int x = 0; x < width; x++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                int noise = (int) (state & 15) - 8;
                double wave = 0.5 + 0.5 * Math.sin(x * 0.05) * cy;
                int cellX = x % 24 - 12, cellY = y % 24 - 12;
                double nucleus = cellX * cellX + cellY * cellY < 36 + ((x / 24 + y / 24) % 5) * 8 ? 1 : 0;
                int r = clamp(230 - 140 * nucleus - 30 * wave + noise);
                int g = clamp(170 - 120 * nucleus - 40 * wave + noise);
                int b = clamp(210 - 40 * nucleus - 20 * wave + noise);
                packed[y * width + x] = (r << 16) | (g << 8) | b;
            }
        }
        return Raster.fromPackedRgb(width, height, packed);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}

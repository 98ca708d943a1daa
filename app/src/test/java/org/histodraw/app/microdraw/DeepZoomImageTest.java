package org.histodraw.app.microdraw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deep Zoom images of MicroDraw's example data back into whole images (see {@link MicroDrawExample}). */
class DeepZoomImageTest {

    @Test
    void dogesTilesGiveBackItsOriginalPictureWithinTheirJpegError() throws IOException {
        Path root = MicroDrawExample.root();
        DeepZoomImage doge = DeepZoomImage.open(root.resolve("test_data/doge.dzi"));
        assertThat(doge.width()).isEqualTo(2048);
        assertThat(doge.height()).isEqualTo(1024);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        doge.writePng(png, Optional.of(100.0));
        BufferedImage stitched = ImageIO.read(new ByteArrayInputStream(png.toByteArray()));
        BufferedImage original = ImageIO.read(root.resolve("test_data/doge/doge.jpg").toFile());
        assertThat(stitched.getWidth()).isEqualTo(original.getWidth());
        assertThat(difference(stitched, original)).as("mean absolute difference per channel").isLessThan(4.0);
        // every tile's own pixels (its 1 px overlap with each neighbour cut off) are where it says, exactly
        for (int c = 0; c < 9; c++) {
            for (int r = 0; r < 5; r++) {
                BufferedImage tile = ImageIO.read(root.resolve("test_data/doge_files/11/" + c + "_" + r + ".jpeg").toFile());
                int left = c == 0 ? 0 : 1;
                int top = r == 0 ? 0 : 1;
                for (int y = r * 254; y < Math.min(1024, (r + 1) * 254); y++) {
                    for (int x = c * 254; x < Math.min(2048, (c + 1) * 254); x++) {
                        if (stitched.getRGB(x, y) != tile.getRGB(x - c * 254 + left, y - r * 254 + top)) {
                            throw new AssertionError("pixel " + x + ", " + y + " is not tile " + c + "_" + r + "'s");
                        }
                    }
                }
            }
        }
    }

    @Test
    void aMissingTileIsNamed(@TempDir Path dir) throws IOException {
        Path root = MicroDrawExample.root();
        Files.copy(root.resolve("test_data/cat.dzi"), dir.resolve("cat.dzi"));
        Files.createDirectories(dir.resolve("cat_files/9"));
        Files.copy(root.resolve("test_data/cat_files/9/0_0.jpeg"), dir.resolve("cat_files/9/0_0.jpeg"));
        DeepZoomImage cat = DeepZoomImage.open(dir.resolve("cat.dzi"));
        assertThatThrownBy(() -> cat.writePng(new ByteArrayOutputStream(), Optional.empty()))
                .hasMessageContaining("cat: missing tile").hasMessageContaining("1_0");
        Files.writeString(dir.resolve("bad.dzi"), "<Image TileSize=\"256\" Overlap=\"1\" Format=\"gif\"><Size Width=\"9\" Height=\"9\"/></Image>");
        assertThatThrownBy(() -> DeepZoomImage.open(dir.resolve("bad.dzi"))).hasMessageContaining("bad.dzi").hasMessageContaining("gif");
    }

    /** Mean absolute difference per channel. */
    private static double difference(BufferedImage a, BufferedImage b) {
        long sum = 0;
        long n = 0;
        for (int y = 0; y < a.getHeight(); y += 3) {
            for (int x = 0; x < a.getWidth(); x += 3) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                sum += Math.abs((p >> 16 & 255) - (q >> 16 & 255)) + Math.abs((p >> 8 & 255) - (q >> 8 & 255)) + Math.abs((p & 255) - (q & 255));
                n += 3;
            }
        }
        return (double) sum / n;
    }
}

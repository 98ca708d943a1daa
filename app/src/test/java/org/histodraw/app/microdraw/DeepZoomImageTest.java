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

/**
 * Deep Zoom images back into whole images: the hand-made project's pyramids ({@link MicroDrawFixture},
 * made with vips dzsave as MicroDraw makes its own) everywhere, and MicroDraw's own doge
 * ({@link MicroDrawExample}).
 */
class DeepZoomImageTest {

    @Test
    void aPyramidsTilesGiveBackItsOriginalPictureWithEveryTilesOwnPixelsInPlace() throws IOException {
        Path root = MicroDrawFixture.root();
        for (String name : new String[] {"brain-01", "brain-02"}) {
            DeepZoomImage image = DeepZoomImage.open(root.resolve("test_data/" + name + ".dzi"));
            BufferedImage original = ImageIO.read(MicroDrawFixture.original(name + (name.equals("brain-01") ? ".png" : ".jpg")).toFile());
            assertThat(image.width()).isEqualTo(original.getWidth());
            assertThat(image.height()).isEqualTo(original.getHeight());
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            image.writePng(png, Optional.of(5.0));
            BufferedImage stitched = ImageIO.read(new ByteArrayInputStream(png.toByteArray()));
            assertThat(difference(stitched, original)).as(name + ": mean absolute difference per channel (vips dzsave's JPEG at quality 75 on a grainy picture)").isLessThan(5.0);
            int size = name.equals("brain-01") ? 256 : 254;
            int top = (int) Math.ceil(Math.log(Math.max(original.getWidth(), original.getHeight())) / Math.log(2));
            assertTilesInPlace(stitched, root.resolve("test_data/" + name + "_files/" + top), size);
        }
    }

    @Test
    void microDrawsOwnDogePyramidGivesBackItsPicture() throws IOException {
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
        assertTilesInPlace(stitched, root.resolve("test_data/doge_files/11"), 254);
    }

    @Test
    void aMissingTileIsNamed(@TempDir Path dir) throws IOException {
        Path root = MicroDrawFixture.root();
        Files.copy(root.resolve("test_data/brain-01.dzi"), dir.resolve("brain-01.dzi"));
        Files.createDirectories(dir.resolve("brain-01_files/9"));
        Files.copy(root.resolve("test_data/brain-01_files/9/0_0.jpeg"), dir.resolve("brain-01_files/9/0_0.jpeg"));
        DeepZoomImage brain = DeepZoomImage.open(dir.resolve("brain-01.dzi"));
        assertThatThrownBy(() -> brain.writePng(new ByteArrayOutputStream(), Optional.empty()))
                .hasMessageContaining("brain-01: missing tile").hasMessageContaining("1_0");
        Files.writeString(dir.resolve("bad.dzi"), "<Image TileSize=\"256\" Overlap=\"1\" Format=\"gif\"><Size Width=\"9\" Height=\"9\"/></Image>");
        assertThatThrownBy(() -> DeepZoomImage.open(dir.resolve("bad.dzi"))).hasMessageContaining("bad.dzi").hasMessageContaining("gif");
    }

    /** Every tile's own pixels (its 1 px overlap with each neighbour cut off) are where it says, exactly. */
    private static void assertTilesInPlace(BufferedImage stitched, Path level, int size) throws IOException {
        int w = stitched.getWidth(), h = stitched.getHeight();
        for (int c = 0; c * size < w; c++) {
            for (int r = 0; r * size < h; r++) {
                BufferedImage tile = ImageIO.read(level.resolve(c + "_" + r + ".jpeg").toFile());
                int left = c == 0 ? 0 : 1;
                int top = r == 0 ? 0 : 1;
                for (int y = r * size; y < Math.min(h, (r + 1) * size); y++) {
                    for (int x = c * size; x < Math.min(w, (c + 1) * size); x++) {
                        if (stitched.getRGB(x, y) != tile.getRGB(x - c * size + left, y - r * size + top)) {
                            throw new AssertionError("pixel " + x + ", " + y + " is not tile " + c + "_" + r + "'s");
                        }
                    }
                }
            }
        }
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

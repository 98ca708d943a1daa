package org.histodraw.slides.io;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding the tiles of a slide. */
class TiffCodecsTest {
    @Test
    void aJpegTileIsDecodedInMemoryWithoutATemporaryFile(@TempDir Path cache) throws Exception {
        BufferedImage picture = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                picture.setRGB(x, y, x * 4 << 16 | y * 5 << 8 | 90);
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(picture, "jpeg", jpeg);

        File before = ImageIO.getCacheDirectory();
        boolean used = ImageIO.getUseCache();
        ImageIO.setUseCache(true);
        ImageIO.setCacheDirectory(cache.toFile());
        try (WatchService watch = cache.getFileSystem().newWatchService()) {
            cache.register(watch, ENTRY_CREATE);
            Raster tile = TiffCodecs.decodeJpeg(null, jpeg.toByteArray());
            assertEquals(64, tile.getWidth());
            assertEquals(48, tile.getHeight());
            WatchKey made = watch.poll(300, TimeUnit.MILLISECONDS);
            assertNull(made, () -> "decoding a tile made a temporary file: " + made.pollEvents().get(0).context());
        } finally {
            ImageIO.setCacheDirectory(before);
            ImageIO.setUseCache(used);
        }
    }
}

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Writes a big tiled RGB TIFF (uncompressed, 512 x 512 tiles) tile by tile, in little memory: each
 * tile is one of the 512 x 512 H&E images of ../shared/data/gbm-nuclei, mirrored at random, or a
 * synthetic texture when that folder is absent. For bench/ingest-20k.sh.
 *
 *   java bench/TiledTiffSlide.java SIZE OUT.tif [DATA-FOLDER]
 */
public class TiledTiffSlide {
    static final int TILE = 512;

    public static void main(String[] args) throws Exception {
        int size = Integer.parseInt(args[0]);
        Path out = Path.of(args[1]);
        Path data = Path.of(args.length > 2 ? args[2] : "../shared/data/gbm-nuclei");
        List<BufferedImage> sources = new ArrayList<>();
        if (Files.isDirectory(data)) {
            try (var files = Files.list(data)) {
                for (Path p : files.filter(f -> f.getFileName().toString().matches("\\d+\\.png")).sorted().toList()) {
                    sources.add(ImageIO.read(p.toFile()));
                }
            }
        }
        int across = (size + TILE - 1) / TILE;
        int tiles = across * across;
        long tileBytes = (long) TILE * TILE * 3;
        long bits = 8 + 2 + 11 * 12L + 4;
        long offsets = bits + 6;
        long counts = offsets + 4L * tiles;
        long start = counts + 4L * tiles;
        if (start + tileBytes * tiles > 0xffff_ffffL) {
            throw new IllegalArgumentException("too big for a classic TIFF: " + size);
        }
        ByteBuffer head = ByteBuffer.allocate((int) start);
        head.put(new byte[] {'M', 'M'}).putShort((short) 42).putInt(8).putShort((short) 11);
        entry(head, 256, 4, 1, size);
        entry(head, 257, 4, 1, size);
        entry(head, 258, 3, 3, bits);
        entry(head, 259, 3, 1, 1);
        entry(head, 262, 3, 1, 2);
        entry(head, 277, 3, 1, 3);
        entry(head, 284, 3, 1, 1);
        entry(head, 322, 4, 1, TILE);
        entry(head, 323, 4, 1, TILE);
        entry(head, 324, 4, tiles, offsets);
        entry(head, 325, 4, tiles, counts);
        head.putInt(0).putShort((short) 8).putShort((short) 8).putShort((short) 8);
        for (int i = 0; i < tiles; i++) {
            head.putInt((int) (start + i * tileBytes));
        }
        for (int i = 0; i < tiles; i++) {
            head.putInt((int) tileBytes);
        }
        Random random = new Random(42);
        byte[] block = new byte[(int) tileBytes];
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            o.write(head.array());
            for (int t = 0; t < tiles; t++) {
                BufferedImage src = sources.isEmpty() ? null : sources.get(random.nextInt(sources.size()));
                boolean flipX = random.nextBoolean(), flipY = random.nextBoolean();
                int i = 0;
                for (int y = 0; y < TILE; y++) {
                    for (int x = 0; x < TILE; x++) {
                        int p;
                        if (src == null) {
                            double v = Math.sin((x + t * 7) / 37.0) * Math.cos(y / 23.0);
                            int n = random.nextInt(40);
                            p = clamp(200 + (int) (40 * v) - n) << 16 | clamp(150 + (int) (50 * v) - n) << 8 | clamp(190 - n);
                        } else {
                            int sx = (flipX ? TILE - 1 - x : x) % src.getWidth();
                            int sy = (flipY ? TILE - 1 - y : y) % src.getHeight();
                            p = src.getRGB(sx, sy);
                        }
                        block[i++] = (byte) (p >> 16);
                        block[i++] = (byte) (p >> 8);
                        block[i++] = (byte) p;
                    }
                }
                o.write(block);
            }
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static void entry(ByteBuffer buf, int tag, int type, long count, long value) {
        buf.putShort((short) tag).putShort((short) type).putInt((int) count);
        if (type == 3 && count == 1) {
            buf.putShort((short) value).putShort((short) 0);
        } else {
            buf.putInt((int) value);
        }
    }
}

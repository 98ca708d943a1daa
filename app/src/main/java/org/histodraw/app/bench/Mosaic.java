package org.histodraw.app.bench;

import java.util.List;
import org.histodraw.engine.pipeline.LabelSource;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;

/**
 * A test slide of any size made by laying a few real images side by side, over and over, with
 * their labels laid out alike: real tissue at benchmark sizes without shipping gigapixel files.
 * Pixels are produced on demand, so a 20k x 20k mosaic costs only its source images in memory.
 */
final class Mosaic implements TileSource {
    private final int size;
    private final List<Piece> pieces;
    private final int pieceWidth;
    private final int pieceHeight;
    private final int columns;

    /** One source image with its scribbles and (optional, may be null) ground truth. */
    record Piece(String name, Raster rgb, LabelRaster scribbles, LabelRaster truth) {
    }

    Mosaic(int size, List<Piece> pieces) {
        if (pieces.isEmpty()) {
            throw new IllegalArgumentException("a mosaic needs at least one image");
        }
        this.size = size;
        this.pieces = List.copyOf(pieces);
        this.pieceWidth = pieces.get(0).rgb().width();
        this.pieceHeight = pieces.get(0).rgb().height();
        for (Piece p : pieces) {
            if (p.rgb().width() != pieceWidth || p.rgb().height() != pieceHeight) {
                throw new IllegalArgumentException("mosaic images must share one size; " + p.name() + " differs");
            }
        }
        this.columns = (size + pieceWidth - 1) / pieceWidth;
    }

    @Override
    public int width() {
        return size;
    }

    @Override
    public int height() {
        return size;
    }

    List<Piece> pieces() {
        return pieces;
    }

    private Piece pieceAt(int col, int row) {
        return pieces.get((row * columns + col) % pieces.size());
    }

    @Override
    public Raster read(PixelRegion region) {
        Raster out = Raster.allocate(region.width(), region.height(), 3);
        for (int y = region.y(); y < region.endY(); y++) {
            int row = y / pieceHeight, py = y % pieceHeight;
            int x = region.x();
            while (x < region.endX()) {
                int col = x / pieceWidth, px = x % pieceWidth;
                int run = Math.min(pieceWidth - px, region.endX() - x);
                Raster src = pieceAt(col, row).rgb();
                for (int c = 0; c < 3; c++) {
                    System.arraycopy(src.plane(c), py * pieceWidth + px, out.plane(c),
                            (y - region.y()) * region.width() + (x - region.x()), run);
                }
                x += run;
            }
        }
        return out;
    }

    /** The labels of the mosaic within {@code area} (the rest unlabelled): scribbles or truth. */
    LabelSource labels(PixelRegion area, boolean truth) {
        Mosaic mosaic = this;
        return new LabelSource() {
            @Override
            public int width() {
                return size;
            }

            @Override
            public int height() {
                return size;
            }

            @Override
            public List<PixelRegion> labelledAreas() {
                return List.of(area);
            }

            @Override
            public LabelRaster read(PixelRegion region) {
                LabelRaster out = LabelRaster.allocate(region.width(), region.height());
                PixelRegion inside = region.intersect(area);
                // Row runs within one piece, copied whole (as read() does for pixels).
                for (int y = inside.y(); y < inside.endY(); y++) {
                    int py = y % pieceHeight;
                    int x = inside.x();
                    while (x < inside.endX()) {
                        int px = x % pieceWidth;
                        int run = Math.min(pieceWidth - px, inside.endX() - x);
                        Piece p = mosaic.pieceAt(x / pieceWidth, y / pieceHeight);
                        LabelRaster source = truth ? p.truth() : p.scribbles();
                        System.arraycopy(source.data(), py * pieceWidth + px, out.data(),
                                (y - region.y()) * region.width() + (x - region.x()), run);
                        x += run;
                    }
                }
                return out;
            }
        };
    }

    boolean hasTruth() {
        return pieces.stream().allMatch(p -> p.truth() != null);
    }
}

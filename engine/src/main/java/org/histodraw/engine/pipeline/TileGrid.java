package org.histodraw.engine.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.histodraw.engine.raster.PixelRegion;

/**
 * Cuts an image into tiles, row by row from the top: the independent work items of whole-slide
 * prediction. Tiles at the right and bottom edges are smaller when the size does not divide.
 */
public record TileGrid(PixelRegion bounds, int tileWidth, int tileHeight) {

    public TileGrid {
        if (tileWidth < 1 || tileHeight < 1) {
            throw new IllegalArgumentException("tile size must be positive: " + tileWidth + " x " + tileHeight);
        }
    }

    public static TileGrid of(int imageWidth, int imageHeight, int tileSize) {
        return new TileGrid(PixelRegion.of(imageWidth, imageHeight), tileSize, tileSize);
    }

    public int columns() {
        return (bounds.width() + tileWidth - 1) / tileWidth;
    }

    public int rows() {
        return (bounds.height() + tileHeight - 1) / tileHeight;
    }

    public int tileCount() {
        return columns() * rows();
    }

    /** Tile at column {@code col}, row {@code row}. */
    public PixelRegion tile(int col, int row) {
        if (col < 0 || col >= columns() || row < 0 || row >= rows()) {
            throw new IllegalArgumentException("no tile at column " + col + ", row " + row);
        }
        int x = bounds.x() + col * tileWidth;
        int y = bounds.y() + row * tileHeight;
        return new PixelRegion(x, y, Math.min(tileWidth, bounds.endX() - x), Math.min(tileHeight, bounds.endY() - y));
    }

    /** All tiles in row-major order (top row first). */
    public List<PixelRegion> tiles() {
        List<PixelRegion> tiles = new ArrayList<>(tileCount());
        for (int row = 0; row < rows(); row++) {
            for (int col = 0; col < columns(); col++) {
                tiles.add(tile(col, row));
            }
        }
        return tiles;
    }

    /** The row index a tile belongs to. */
    public int rowOf(PixelRegion tile) {
        return (tile.y() - bounds.y()) / tileHeight;
    }

    /** The full-width strip covered by tile row {@code row}. */
    public PixelRegion strip(int row) {
        PixelRegion first = tile(0, row);
        return new PixelRegion(bounds.x(), first.y(), bounds.width(), first.height());
    }
}

package org.histodraw.spark;

/**
 * Packs (slide, tile row, tile column) into one long whose natural order is slide, row, column, so
 * Spark's sort-within-partitions hands each slide its tiles top to bottom. Room: 2^23 slides,
 * 2^20 tile rows and columns (a million 512-pixel tiles across, far beyond any slide).
 */
final class TileKeys {
    static final int MAX_SLIDES = 1 << 23;
    static final int MAX_TILES_ACROSS = 1 << 20;

    private TileKeys() {
    }

    static long key(int slide, int row, int col) {
        if (slide < 0 || slide >= MAX_SLIDES) {
            throw new IllegalArgumentException("slide index out of range: " + slide);
        }
        if (row < 0 || row >= MAX_TILES_ACROSS || col < 0 || col >= MAX_TILES_ACROSS) {
            throw new IllegalArgumentException("tile row/column out of range: " + row + ", " + col);
        }
        return ((long) slide << 40) | ((long) row << 20) | col;
    }

    static int slide(long key) {
        return (int) (key >>> 40);
    }
}

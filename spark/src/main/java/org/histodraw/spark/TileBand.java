package org.histodraw.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.histodraw.engine.pipeline.TileGrid;
import org.histodraw.engine.raster.PixelRegion;

/**
 * Consecutive tile rows of one slide: the element the driver distributes (one per partition), so
 * the driver holds a few bands per slide rather than every tile, and each partition works through
 * its tiles in slide and row order.
 */
record TileBand(int slide, int firstRow, int rows) implements Serializable {

    List<TileTask> tasks(Map<Integer, SlidePlan> plans, int tileSize) {
        TileGrid grid = plans.get(slide).grid(tileSize);
        List<TileTask> tasks = new ArrayList<>(rows * grid.columns());
        for (int row = firstRow; row < firstRow + rows; row++) {
            for (int col = 0; col < grid.columns(); col++) {
                PixelRegion t = grid.tile(col, row);
                tasks.add(new TileTask(slide, row, col, t.x(), t.y(), t.width(), t.height()));
            }
        }
        return tasks;
    }

    /** Cuts a slide's tile rows into bands of about {@code tilesPerBand} tiles (at least one row). */
    static List<TileBand> of(SlidePlan plan, int tileSize, int tilesPerBand) {
        TileGrid grid = plan.grid(tileSize);
        int rowsPerBand = Math.max(1, tilesPerBand / grid.columns());
        List<TileBand> bands = new ArrayList<>();
        for (int row = 0; row < grid.rows(); row += rowsPerBand) {
            bands.add(new TileBand(plan.index(), row, Math.min(rowsPerBand, grid.rows() - row)));
        }
        return bands;
    }
}

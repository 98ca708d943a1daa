package org.histodraw.spark;

import java.io.Serializable;
import org.histodraw.engine.raster.PixelRegion;

/**
 * One tile of one slide to predict: the element of the prediction RDD. Its {@link #key()} orders
 * tiles by slide, then row, then column, the order in which a slide's strips are written.
 */
public record TileTask(int slide, int row, int col, int x, int y, int width, int height) implements Serializable {

    public PixelRegion region() {
        return new PixelRegion(x, y, width, height);
    }

    public long key() {
        return TileKeys.key(slide, row, col);
    }
}

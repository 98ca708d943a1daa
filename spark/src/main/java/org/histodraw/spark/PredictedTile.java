package org.histodraw.spark;

import java.io.Serializable;
import org.histodraw.engine.pipeline.TileResult;
import org.histodraw.engine.raster.LabelRaster;

/**
 * A tile's class map as it travels from the executor that predicted it to the one that writes its
 * slide; or, when the tile could not be read or predicted, the reason ({@code classes} null).
 *
 * @param nanos time spent predicting it, summed into the slide's compute time
 */
public record PredictedTile(TileTask task, byte[] classes, String error, long nanos) implements Serializable {

    static PredictedTile failed(TileTask task, String error) {
        return new PredictedTile(task, null, error, 0);
    }

    boolean ok() {
        return error == null;
    }

    TileResult result() {
        return new TileResult(task.region(), new LabelRaster(task.width(), task.height(), classes), null);
    }
}

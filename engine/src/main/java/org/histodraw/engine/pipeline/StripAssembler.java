package org.histodraw.engine.pipeline;

import java.util.HashMap;
import java.util.Map;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;

/**
 * Collects tile results arriving in any order (tiles are computed in parallel) and hands complete
 * full-width strips to a {@link StripSink} from top to bottom. Memory holds only the tile rows that
 * are started but not yet handed on. Not thread-safe: callers serialise {@link #accept}.
 */
public final class StripAssembler {
    private final TileGrid grid;
    private final int planes;
    private final StripSink sink;
    private final Map<Integer, PendingStrip> pending = new HashMap<>();
    private int nextRow;

    /**
     * @param planes probability planes per tile result (0 when probabilities are not computed)
     */
    public StripAssembler(TileGrid grid, int planes, StripSink sink) {
        this.grid = grid;
        this.planes = planes;
        this.sink = sink;
    }

    public void accept(TileResult result) {
        PixelRegion tile = result.region();
        int row = grid.rowOf(tile);
        if (row < nextRow) {
            throw new IllegalStateException("tile row " + row + " was already handed on; tile " + tile + " came twice");
        }
        PendingStrip strip = pending.computeIfAbsent(row, r -> new PendingStrip(grid.strip(r), planes));
        strip.add(result);
        while (pending.containsKey(nextRow) && pending.get(nextRow).received == grid.columns()) {
            PendingStrip done = pending.remove(nextRow);
            sink.accept(done.region.y(), done.classes, done.probabilities);
            nextRow++;
        }
        if (nextRow == grid.rows()) {
            sink.finish();
            nextRow++;
        }
    }

    /** True once every tile has arrived and every strip was handed on. */
    public boolean isComplete() {
        return nextRow > grid.rows();
    }

    private static final class PendingStrip {
        final PixelRegion region;
        final LabelRaster classes;
        final Raster probabilities;
        int received;

        PendingStrip(PixelRegion region, int planes) {
            this.region = region;
            this.classes = LabelRaster.allocate(region.width(), region.height());
            this.probabilities = planes == 0 ? null : Raster.allocate(region.width(), region.height(), planes);
        }

        void add(TileResult r) {
            PixelRegion t = r.region();
            int dx = t.x() - region.x();
            int dy = t.y() - region.y();
            for (int row = 0; row < t.height(); row++) {
                System.arraycopy(r.classes().data(), row * t.width(), classes.data(), (dy + row) * region.width() + dx, t.width());
            }
            if (probabilities != null) {
                if (!r.hasProbabilities() || r.probabilities().channels() != probabilities.channels()) {
                    throw new IllegalArgumentException("tile " + t + " lacks the expected " + probabilities.channels() + " probability planes");
                }
                for (int c = 0; c < probabilities.channels(); c++) {
                    for (int row = 0; row < t.height(); row++) {
                        System.arraycopy(r.probabilities().plane(c), row * t.width(), probabilities.plane(c),
                                (dy + row) * region.width() + dx, t.width());
                    }
                }
            }
            received++;
        }
    }
}

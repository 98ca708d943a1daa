package org.histodraw.engine.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.forest.TrainingSet;
import org.histodraw.engine.raster.LabelRaster;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;

/**
 * Gathers training samples (feature vectors of labelled pixels) from a slide, tile by tile, visiting
 * only the tiles that hold labels: a few scribbles on a gigapixel slide cost a few tiles of features.
 * Features are computed with the same halo as in prediction, so training sees exactly the values
 * prediction will see.
 */
public final class TrainingSampler {
    private final TileSource image;
    private final LabelSource labels;
    private final int tileSize;
    private ChannelStatistics statistics;

    public TrainingSampler(TileSource image, LabelSource labels, int tileSize) {
        if (image.width() != labels.width() || image.height() != labels.height()) {
            throw new IllegalArgumentException("labels are " + labels.width() + " x " + labels.height()
                    + " but the image is " + image.width() + " x " + image.height());
        }
        if (tileSize < 16) {
            throw new IllegalArgumentException("tile size must be at least 16 pixels: " + tileSize);
        }
        this.image = image;
        this.labels = labels;
        this.tileSize = tileSize;
    }

    /**
     * A sampler of a slide whose channel statistics are already known (measured once and kept by a
     * caller that trains again and again on the same slide, e.g. after each edit of its regions).
     */
    public TrainingSampler(TileSource image, LabelSource labels, int tileSize, ChannelStatistics statistics) {
        this(image, labels, tileSize);
        this.statistics = Objects.requireNonNull(statistics, "statistics");
    }

    /** The tiles of the grid that overlap labelled areas: the work items of {@link #sample}. */
    public List<PixelRegion> tiles() {
        TileGrid grid = TileGrid.of(image.width(), image.height(), tileSize);
        Set<PixelRegion> tiles = new LinkedHashSet<>();
        for (PixelRegion area : labels.labelledAreas()) {
            PixelRegion a = area.intersect(image.bounds());
            if (a.isEmpty()) {
                continue;
            }
            for (int row = a.y() / tileSize; row <= (a.endY() - 1) / tileSize; row++) {
                for (int col = a.x() / tileSize; col <= (a.endX() - 1) / tileSize; col++) {
                    tiles.add(grid.tile(col, row));
                }
            }
        }
        return new ArrayList<>(tiles);
    }

    /** Side of the cells that sparse labels are grouped by. */
    static final int CELL = 8;
    /** Above this many groups in a tile, groups are not merged further (the merging is quadratic). */
    private static final int MAX_GROUPS_TO_MERGE = 128;

    /**
     * Samples of one tile; null when the tile holds no labelled pixel. Scribbles are sparse, so only
     * patches around the labels get features, each with its own halo: the labelled {@value #CELL}-pixel
     * cells are grouped into touching clusters, and clusters are merged while one patch costs less
     * than two (the halo dominates a small patch). When the patches would cost as much as the tile,
     * the tile is computed in one piece instead. Both give the very features that prediction
     * computes for those pixels.
     */
    public TrainingSet sample(FeatureBank bank, PixelRegion tile) {
        LabelRaster tileLabels = labels.read(tile);
        List<Patch> patches = labelledPatches(tileLabels, tile, bank.halo());
        if (patches.isEmpty()) {
            return null;
        }
        ChannelStatistics slide = statistics(bank);
        long patchArea = 0;
        for (Patch patch : patches) {
            patchArea += bank.inputRegion(patch.region, image.bounds()).area();
        }
        if (patches.size() == 1 && patches.get(0).region.equals(tile)
                || patchArea >= bank.inputRegion(tile, image.bounds()).area()) {
            return featuresOf(bank, tile, tileLabels, slide);
        }
        List<TrainingSet> sets = new ArrayList<>(patches.size());
        for (Patch patch : patches) {
            sets.add(featuresOf(bank, patch.region, patch.labels(tileLabels, tile), slide));
        }
        return TrainingSet.concat(sets).select(orderOfSamples(patches, tileLabels, tile));
    }

    /** Side of the cells whose order samples come in (see {@link #orderOfSamples}). */
    static final int ORDER_CELL = 32;

    /**
     * Where each sample of the concatenated patches goes so that samples come cell by cell
     * ({@value #ORDER_CELL}-pixel cells of the tile, row by row), each cell row by row: the order of
     * earlier versions, which sampled such cells one by one. Same samples in the same order give the
     * same forest, so models do not change with the way features are computed.
     */
    private static int[] orderOfSamples(List<Patch> patches, LabelRaster tileLabels, PixelRegion tile) {
        byte[] data = tileLabels.data();
        int w = tile.width(), h = tile.height();
        int[] sampleAt = new int[w * h];
        int n = 0;
        for (Patch patch : patches) {
            PixelRegion r = patch.region;
            for (int y = r.y() - tile.y(); y < r.endY() - tile.y(); y++) {
                for (int x = r.x() - tile.x(); x < r.endX() - tile.x(); x++) {
                    if (data[y * w + x] != 0 && patch.owns(x, y)) {
                        sampleAt[y * w + x] = n++;
                    }
                }
            }
        }
        int[] order = new int[n];
        int i = 0;
        for (int cy = 0; cy < h; cy += ORDER_CELL) {
            for (int cx = 0; cx < w; cx += ORDER_CELL) {
                for (int y = cy; y < Math.min(h, cy + ORDER_CELL); y++) {
                    for (int x = cx; x < Math.min(w, cx + ORDER_CELL); x++) {
                        if (data[y * w + x] != 0) {
                            order[i++] = sampleAt[y * w + x];
                        }
                    }
                }
            }
        }
        return order;
    }

    private TrainingSet featuresOf(FeatureBank bank, PixelRegion region, LabelRaster regionLabels,
                                   ChannelStatistics slide) {
        Raster features = Raster.allocate(region.width(), region.height(), bank.featureCount());
        bank.compute(image, region, features, slide);
        return TrainingSet.fromLabels(features, regionLabels);
    }

    /**
     * A rectangle of the tile (image coordinates) and the cells whose labels it samples: patches may
     * overlap, but every labelled cell belongs to exactly one, so no pixel is sampled twice.
     */
    private record Patch(PixelRegion region, int id, int[] owner, int columns) {
        /** Whether the pixel at tile coordinates (x, y) is sampled by this patch. */
        boolean owns(int x, int y) {
            return owner[(y / CELL) * columns + x / CELL] == id;
        }

        /** The tile's labels inside the patch, keeping only the cells this patch owns. */
        LabelRaster labels(LabelRaster tileLabels, PixelRegion tile) {
            LabelRaster out = LabelRaster.allocate(region.width(), region.height());
            byte[] from = tileLabels.data();
            byte[] to = out.data();
            int tw = tile.width();
            for (int y = 0; y < region.height(); y++) {
                int ty = region.y() - tile.y() + y;
                for (int x = 0; x < region.width(); x++) {
                    int tx = region.x() - tile.x() + x;
                    if (owns(tx, ty)) {
                        to[y * region.width() + x] = from[ty * tw + tx];
                    }
                }
            }
            return out;
        }
    }

    /**
     * The patches that cover the labelled pixels of a tile: 8-connected clusters of labelled cells,
     * then merged greedily while the haloed bounding box of two is no larger than theirs apart.
     */
    private List<Patch> labelledPatches(LabelRaster tileLabels, PixelRegion tile, int halo) {
        byte[] data = tileLabels.data();
        int w = tile.width(), h = tile.height();
        int columns = (w + CELL - 1) / CELL, rows = (h + CELL - 1) / CELL;
        // owner: -1 unlabelled cell, 0 labelled but not yet clustered, then cluster id + 1.
        int[] owner = new int[columns * rows];
        Arrays.fill(owner, -1);
        // One pass over the labels, row by row (most bytes are 0: a fast, predictable scan).
        for (int y = 0; y < h; y++) {
            int row = y * w;
            int cellRow = (y / CELL) * columns;
            for (int x = 0; x < w; x++) {
                if (data[row + x] != 0) {
                    owner[cellRow + x / CELL] = 0;
                }
            }
        }
        List<int[]> boxes = new ArrayList<>(); // cell rectangles: x0, y0, x1, y1 (inclusive)
        int[] stack = new int[owner.length];
        for (int start = 0; start < owner.length; start++) {
            if (owner[start] != 0) {
                continue;
            }
            int id = boxes.size() + 1;
            int[] box = {start % columns, start / columns, start % columns, start / columns};
            int top = 0;
            stack[top++] = start;
            owner[start] = id;
            while (top > 0) {
                int c = stack[--top];
                int cx = c % columns, cy = c / columns;
                box[0] = Math.min(box[0], cx);
                box[1] = Math.min(box[1], cy);
                box[2] = Math.max(box[2], cx);
                box[3] = Math.max(box[3], cy);
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = cx + dx, ny = cy + dy;
                        if (nx >= 0 && ny >= 0 && nx < columns && ny < rows && owner[ny * columns + nx] == 0) {
                            owner[ny * columns + nx] = id;
                            stack[top++] = ny * columns + nx;
                        }
                    }
                }
            }
            boxes.add(box);
        }
        // Merge while it saves feature pixels; a merged box keeps the lower id and takes the other's cells.
        int[] ids = new int[boxes.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i + 1;
        }
        // Passes over all pairs until one merges nothing; a box that grew is compared again with every
        // later box at once (a pass does not restart after each merge: that was cubic in the groups).
        boolean merged = boxes.size() <= MAX_GROUPS_TO_MERGE;
        while (merged) {
            merged = false;
            for (int i = 0; i < boxes.size(); i++) {
                for (int j = i + 1; j < boxes.size(); j++) {
                    int[] a = boxes.get(i), b = boxes.get(j);
                    int[] union = {Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])};
                    if (haloedArea(union, tile, halo) <= haloedArea(a, tile, halo) + haloedArea(b, tile, halo)) {
                        int keep = ids[i], gone = ids[j];
                        for (int c = 0; c < owner.length; c++) {
                            if (owner[c] == gone) {
                                owner[c] = keep;
                            }
                        }
                        boxes.set(i, union);
                        boxes.remove(j);
                        System.arraycopy(ids, j + 1, ids, j, boxes.size() - j);
                        merged = true;
                        j = i;
                    }
                }
            }
        }
        List<Patch> patches = new ArrayList<>(boxes.size());
        for (int i = 0; i < boxes.size(); i++) {
            patches.add(new Patch(cellRegion(boxes.get(i), tile), ids[i], owner, columns));
        }
        return patches;
    }

    /** The pixels of a rectangle of cells, clipped to the tile, in image coordinates. */
    private static PixelRegion cellRegion(int[] box, PixelRegion tile) {
        int x0 = tile.x() + box[0] * CELL, y0 = tile.y() + box[1] * CELL;
        int x1 = Math.min(tile.endX(), tile.x() + (box[2] + 1) * CELL);
        int y1 = Math.min(tile.endY(), tile.y() + (box[3] + 1) * CELL);
        return new PixelRegion(x0, y0, x1 - x0, y1 - y0);
    }

    /** Feature pixels a patch costs: its region grown by the halo (not clipped: a fair comparison). */
    private static long haloedArea(int[] box, PixelRegion tile, int halo) {
        long w = (long) (box[2] - box[0] + 1) * CELL + 2L * halo;
        long h = (long) (box[3] - box[1] + 1) * CELL + 2L * halo;
        return w * h;
    }

    /** The image's channel statistics, measured once (the same for every tile, as in prediction). */
    public synchronized ChannelStatistics statistics(FeatureBank bank) {
        if (statistics == null) {
            statistics = bank.measure(image);
        }
        return statistics;
    }

    /** All samples of this image, one tile after the other. */
    public List<TrainingSet> sampleAll(FeatureBank bank) {
        List<TrainingSet> sets = new ArrayList<>();
        for (PixelRegion tile : tiles()) {
            TrainingSet s = sample(bank, tile);
            if (s != null) {
                sets.add(s);
            }
        }
        return sets;
    }
}

package org.histodraw.service.preview;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import javax.imageio.ImageIO;
import org.histodraw.client.RemoteSlide;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.pipeline.TilePredictor;
import org.histodraw.engine.pipeline.TileResult;
import org.histodraw.engine.raster.PixelRegion;
import org.histodraw.engine.raster.Raster;
import org.histodraw.engine.tiles.TileSource;
import org.histodraw.service.errors.ClientError;
import org.histodraw.service.live.Workbench;
import org.histodraw.service.training.Trainer;

/**
 * The prediction of the current model as a Deep Zoom image of the slice, computed tile by tile
 * only when the viewer asks for a tile, at the resolution it shows: class colours, or the
 * uncertainty (where the forest hesitates: add regions there). Tiles of the three finest levels
 * are predicted from full-resolution pixels (exactly what a job would give there) and subsampled;
 * coarser tiles, whose full-resolution area would be large, are predicted from the downscaled
 * image: an approximation that keeps the overview fast. Recent tiles are kept per model version.
 */
public final class PreviewTiles {
    public static final int TILE = 256;
    /** Up to this downsampling (4 = 1024 x 1024 full-resolution pixels per tile) tiles are exact. */
    static final int EXACT_UP_TO = 4;

    public enum Kind { CLASSES, UNCERTAINTY }

    private final Workbench workbench;
    private final Trainer trainer;
    private final Semaphore working;
    private final Map<String, byte[]> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > 600;
        }
    };
    private final ThreadLocal<TilePredictor> predictors = new ThreadLocal<>();

    /** @param threads how many tiles may be predicted at the same time */
    public PreviewTiles(Workbench workbench, Trainer trainer, int threads) {
        this.workbench = workbench;
        this.trainer = trainer;
        this.working = new Semaphore(Math.max(1, threads));
    }

    /** The Deep Zoom descriptor of the preview of a slice (the slice's size, PNG tiles without overlap). */
    public String dzi(long sliceId) {
        RemoteSlide slide = trainer.slide(sliceId);
        return String.format(Locale.ROOT, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Image xmlns=\"http://schemas.microsoft.com/"
                + "deepzoom/2008\" TileSize=\"%d\" Overlap=\"0\" Format=\"png\"><Size Width=\"%d\" Height=\"%d\"/></Image>",
                TILE, slide.width(), slide.height());
    }

    static int maxLevel(int width, int height) {
        int side = Math.max(width, height);
        return side <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(side - 1);
    }

    /**
     * A PNG tile of the preview at a Deep Zoom level.
     *
     * @throws ClientError 409 before any model is trained, 404 for a tile outside the slice
     */
    public byte[] tile(long sliceId, int level, int column, int row, Kind kind) {
        Workbench.Current current = workbench.current();
        if (current == null) {
            throw ClientError.conflict("no model yet: train one first");
        }
        RemoteSlide slide = trainer.slide(sliceId);
        int max = maxLevel(slide.width(), slide.height());
        if (level < 0 || level > max || column < 0 || row < 0) {
            throw ClientError.notFound("no level " + level + " in a slice of " + (max + 1) + " levels");
        }
        long scale = 1L << (max - level);
        long x = column * TILE * scale, y = row * TILE * scale;
        if (x >= slide.width() || y >= slide.height()) {
            throw ClientError.notFound("tile " + column + "_" + row + " lies outside level " + level);
        }
        String key = current.version() + "/" + sliceId + "/" + kind + "/" + level + "/" + column + "/" + row;
        synchronized (cache) {
            byte[] hit = cache.get(key);
            if (hit != null) {
                return hit;
            }
        }
        PixelRegion full = new PixelRegion((int) x, (int) y, (int) Math.min(TILE * scale, slide.width() - x),
                (int) Math.min(TILE * scale, slide.height() - y));
        int outW = (int) ((full.width() + scale - 1) / scale), outH = (int) ((full.height() + scale - 1) / scale);
        working.acquireUninterruptibly();
        byte[] png;
        try {
            png = render(current.model(), slide, full, (int) scale, outW, outH, kind);
        } finally {
            working.release();
        }
        synchronized (cache) {
            cache.put(key, png);
        }
        return png;
    }

    private byte[] render(SegmentationModel model, RemoteSlide slide, PixelRegion full, int scale, int outW, int outH,
                          Kind kind) {
        TilePredictor predictor = predictor(model);
        ChannelStatistics stats = trainer.statistics(slide.slice().id(), model.features());
        boolean probabilities = kind == Kind.UNCERTAINTY;
        TileResult result;
        int step;
        if (scale <= EXACT_UP_TO) {
            result = predictor.predict(slide, stats, full, probabilities);
            step = scale;
        } else {
            Raster small = slide.scaled(full, outW, outH);
            TileSource source = TileSource.of(small);
            result = predictor.predict(source, stats, source.bounds(), probabilities);
            step = 1;
        }
        BufferedImage image = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_ARGB);
        int w = result.classes().width(), h = result.classes().height();
        float[] uncertainty = probabilities ? result.probabilities().plane(model.classes().size()) : null;
        int[] colours = new int[model.classes().size() + 1];
        for (ImageClass c : model.classes().classes()) {
            colours[c.index()] = 0xff000000 | c.rgb();
        }
        for (int oy = 0; oy < outH; oy++) {
            int sy = Math.min(h - 1, oy * step + step / 2);
            for (int ox = 0; ox < outW; ox++) {
                int sx = Math.min(w - 1, ox * step + step / 2);
                int argb;
                if (uncertainty != null) {
                    argb = UncertaintyRamp.argb(uncertainty[sy * w + sx]);
                } else {
                    argb = colours[result.classes().get(sx, sy)];
                }
                image.setRGB(ox, oy, argb);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One predictor per thread, renewed when the model changes (it holds the feature scratch). */
    private TilePredictor predictor(SegmentationModel model) {
        TilePredictor p = predictors.get();
        if (p == null || p.model() != model) {
            p = new TilePredictor(model);
            predictors.set(p);
        }
        return p;
    }
}

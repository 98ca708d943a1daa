package org.histodraw.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.broadcast.Broadcast;
import org.histodraw.engine.pipeline.ModelCodec;
import org.histodraw.engine.pipeline.SegmentationModel;

/**
 * The model as each executor JVM sees it: decoded once from the broadcast bytes and shared by all
 * tasks of that JVM (a model is immutable; the per-thread scratch lives in each task's
 * {@link org.histodraw.engine.pipeline.TilePredictor}).
 */
final class ModelCache {
    private static final Map<Long, SegmentationModel> MODELS = new ConcurrentHashMap<>();

    private ModelCache() {
    }

    static SegmentationModel get(Broadcast<byte[]> model) {
        return MODELS.computeIfAbsent(model.id(), id -> ModelCodec.read(model.value()));
    }
}

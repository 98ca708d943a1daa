package org.histodraw.service.live;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.histodraw.client.LiveSubscription;
import org.histodraw.client.ServerClient;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.service.models.ModelRef;
import org.histodraw.service.models.SavedModel;
import org.histodraw.service.training.Trainer;
import org.histodraw.service.training.TrainingReport;
import org.histodraw.service.training.TrainingRequest;

/**
 * The model being worked on: trained from chosen slices, retrained by itself when someone edits the
 * regions of those slices (a subscription to their live changes; edits are gathered for
 * {@code debounceMillis} so a stroke of edits costs one training), or a saved model brought back.
 * Every new model gets the next version number, which the page and the preview tiles key on.
 */
public final class Workbench implements AutoCloseable {
    /** The current model and how it came to be; {@code request} is null for a loaded model. */
    public record Current(int version, SegmentationModel model, TrainingReport report, TrainingRequest request,
                          ModelRef ref, boolean live, String lastError, long trainedAt) {
    }

    private final ServerClient server;
    private final Trainer trainer;
    private final long debounceMillis;
    private final ScheduledExecutorService debouncer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "histodraw-retrain");
        t.setDaemon(true);
        return t;
    });
    private final Map<Long, LiveSubscription> subscriptions = new HashMap<>();
    private final Set<Long> connectedOnce = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> pending;
    private volatile Current current;
    private int version;
    private volatile int retrainings;

    public Workbench(ServerClient server, Trainer trainer, long debounceMillis) {
        this.server = server;
        this.trainer = trainer;
        this.debounceMillis = debounceMillis;
    }

    /** The current model, or null before the first training. */
    public Current current() {
        return current;
    }

    /** How many trainings the live subscription has started (for the page and tests). */
    public int retrainings() {
        return retrainings;
    }

    /**
     * Trains on the request and makes the result current; with {@code live}, subscribes to the
     * training slices so edits retrain by themselves.
     */
    public synchronized Current train(TrainingRequest request, boolean live) {
        Trainer.Trained trained = trainer.train(request, "live");
        version++;
        current = new Current(version, trained.model(), trained.report(), request,
                new ModelRef("live", version, request.sliceIds()), live, null, System.currentTimeMillis());
        subscribe(live ? request.sliceIds() : List.of());
        return current;
    }

    /** Makes a saved model current; live retraining stops (its regions are a snapshot). */
    public synchronized Current use(SavedModel saved, SegmentationModel model) {
        version++;
        current = new Current(version, model, Trainer.report(model, null, null, saved.trainingSlices(), 0, 0, 0, 0), null,
                saved.ref(), false, null, System.currentTimeMillis());
        subscribe(List.of());
        return current;
    }

    private void subscribe(List<Long> sliceIds) {
        for (Long id : new ArrayList<>(subscriptions.keySet())) {
            if (!sliceIds.contains(id)) {
                subscriptions.remove(id).close();
                connectedOnce.remove(id);
            }
        }
        for (long id : sliceIds) {
            if (!subscriptions.containsKey(id)) {
                subscriptions.put(id, server.subscribe(id, message -> heard(id, message)));
            }
        }
    }

    /**
     * A message of a training slice: human region edits schedule a retraining, and so does a
     * snapshot after a reconnection (edits may have been missed meanwhile); the first snapshot of a
     * subscription only says it is registered.
     */
    private void heard(long sliceId, JsonNode message) {
        String type = message.path("type").asText();
        boolean relevant = switch (type) {
            case "change" -> isHuman(message.path("region"));
            case "reload", "resynced" -> true;
            case "snapshot" -> !connectedOnce.add(sliceId);
            default -> false; // cursors, generated layers
        };
        if (relevant) {
            scheduleRetraining();
        }
    }

    private static boolean isHuman(JsonNode region) {
        String layer = region.path("properties").path("layer").asText(Trainer.HUMAN_LAYER);
        return layer.equals(Trainer.HUMAN_LAYER);
    }

    /** Not under the workbench's lock: a training in progress must not hold up the websocket threads. */
    private void scheduleRetraining() {
        synchronized (debouncer) {
            if (pending != null) {
                pending.cancel(false);
            }
            pending = debouncer.schedule(this::retrain, debounceMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void retrain() {
        Current was = current;
        if (was == null || was.request() == null || !was.live()) {
            return;
        }
        retrainings++;
        try {
            train(was.request(), true);
        } catch (RuntimeException e) {
            // Keep the last good model and say why the new regions could not train one.
            synchronized (this) {
                Current now = current;
                current = new Current(now.version(), now.model(), now.report(), now.request(), now.ref(), now.live(),
                        e.getMessage(), now.trainedAt());
            }
        }
    }

    @Override
    public synchronized void close() {
        subscriptions.values().forEach(LiveSubscription::close);
        subscriptions.clear();
        debouncer.shutdownNow();
    }
}

package org.histodraw.service.training;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.histodraw.client.RemoteSlide;
import org.histodraw.client.ServerClient;
import org.histodraw.client.SliceInfo;
import org.histodraw.engine.classes.ClassList;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.features.ChannelStatistics;
import org.histodraw.engine.features.FeatureBank;
import org.histodraw.engine.features.FeatureSettings;
import org.histodraw.engine.features.Normalisation;
import org.histodraw.engine.forest.RandomForest;
import org.histodraw.engine.forest.TrainingSet;
import org.histodraw.engine.pipeline.FeatureChoice;
import org.histodraw.engine.pipeline.PolygonLabels;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.engine.pipeline.TrainingImage;
import org.histodraw.engine.pipeline.TrainingSnapshot;
import org.histodraw.engine.vector.ClassifiedPolygon;
import org.histodraw.service.errors.ClientError;
import org.histodraw.slides.pipeline.ModelTraining;
import org.histodraw.slides.pipeline.SlideStatistics;

/**
 * Trains a model on the human regions of chosen slices of the annotation server: fetches the
 * regions, then only the pixels the labelled tiles (and the slide's channel statistics) need,
 * samples features on the service's threads and grows the forest. Slices stay open between
 * trainings (their pixels never change), so retraining after an edit fetches only the regions.
 */
public final class Trainer {
    /** Regions are read from this layer: people's drawings. */
    public static final String HUMAN_LAYER = "human";
    private static final int TILE = 512;

    private final ServerClient server;
    private final ModelTraining training;
    private final int threads;
    private final Map<Long, RemoteSlide> slides = new ConcurrentHashMap<>();
    private final Map<String, ChannelStatistics> statistics = new ConcurrentHashMap<>();

    public Trainer(ServerClient server, int threads) {
        this.server = server;
        this.threads = threads;
        this.training = new ModelTraining(threads, TILE);
    }

    /** A trained model and its report. */
    public record Trained(SegmentationModel model, TrainingReport report) {
    }

    /**
     * The channel statistics of a slice for the given features, measured once: the slide does not
     * change, and measuring a large remote slide reads pixels from all over it.
     */
    public ChannelStatistics statistics(long sliceId, FeatureSettings features) {
        if (features.normalisation() == Normalisation.NONE) {
            return null;
        }
        return statistics.computeIfAbsent(sliceId + "|" + features.toText(),
                k -> SlideStatistics.measure(features, slide(sliceId), threads));
    }

    /** The slice as a tile source, opened once. */
    public RemoteSlide slide(long sliceId) {
        return slides.computeIfAbsent(sliceId, id -> new RemoteSlide(server, server.slice(id)));
    }

    /**
     * @throws ClientError when the regions cannot train a model (one class, no regions
     *                                  inside the slices...), with a message for the user
     */
    public Trained train(TrainingRequest request, String modelName) {
        long t0 = System.nanoTime();
        TrainingRegions regions = new TrainingRegions(request.classes());
        List<RemoteSlide> opened = new ArrayList<>();
        for (long id : request.sliceIds()) {
            opened.add(slide(id));
            regions.add(id, server.regions(id, HUMAN_LAYER));
        }
        ClassList classes = regions.classes();
        List<TrainingImage> images = new ArrayList<>();
        Map<TrainingImage, Long> sliceOf = new IdentityHashMap<>();
        for (RemoteSlide slide : opened) {
            SliceInfo info = slide.slice();
            List<ClassifiedPolygon> drawn = regions.regionsOf(info.id(), classes);
            PolygonLabels labels = new PolygonLabels(info.width(), info.height(), drawn);
            if (labels.labelledAreas().isEmpty()) {
                continue; // a slice without regions inside it teaches nothing
            }
            TrainingImage image = new TrainingImage(info.name(), slide, labels,
                    new TrainingSnapshot(info.name(), info.width(), info.height(), drawn));
            images.add(image);
            sliceOf.put(image, info.id());
        }
        if (images.isEmpty()) {
            throw ClientError.badRequest("no regions inside the training slices: draw regions of at least two classes");
        }
        long t1 = System.nanoTime();
        ModelTraining.Prepared prepared = training.prepare(request.features(), request.channels(), request.stainVectors(), images,
                (image, features) -> statistics(sliceOf.get(image), features));
        TrainingSet samples = prepared.samples();
        try {
            ModelTraining.requireEveryClass(samples, classes, "slices");
        } catch (IllegalArgumentException e) {
            throw ClientError.badRequest(e.getMessage()); // a class whose regions hold no pixel: the user's to fix
        }
        long t2 = System.nanoTime();
        RandomForest forest = training.grow(samples, request.forest());
        SegmentationModel model = SegmentationModel.of(modelName, System.currentTimeMillis(), prepared.choice().chosen(), classes,
                forest, images.stream().map(TrainingImage::snapshot).toList())
                .withFeatureChoice(prepared.choice().automatic() ? prepared.choice().reason() : "");
        if (request.overview() > 0) {
            // the same labelled pixels, with the features of the overview's levels (sampled and grown
            // here: its time counts as the forest's)
            model = training.withOverview(model, request.overview(), request.forest(), images, prepared.statistics());
        }
        long t3 = System.nanoTime();
        TrainingReport report = report(model, prepared.choice(), samples, request.sliceIds(), regions.skipped(),
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        return new Trained(model, report);
    }


    /**
     * The report of a model (also of a loaded one, whose samples and feature choice are unknown:
     * pass null for both).
     */
    public static TrainingReport report(SegmentationModel model, FeatureChoice.Result choice, TrainingSet samples,
                                        List<Long> slices, int skipped, double fetch, double features, double grow) {
        RandomForest forest = model.forest();
        double[] oob = forest.outOfBagAccuracyPerClass();
        int[] counts = samples == null ? new int[0] : samples.classCounts();
        List<TrainingReport.ClassReport> classes = new ArrayList<>();
        for (ImageClass c : model.classes().classes()) {
            classes.add(new TrainingReport.ClassReport(c.index(), c.name(), hex(c.rgb()), oob[c.index() - 1],
                    c.index() - 1 < counts.length ? counts[c.index() - 1] : 0));
        }
        double[] importance = forest.featureImportances();
        List<String> names = new FeatureBank(model.features()).featureNames();
        List<TrainingReport.FeatureImportance> ranked = new ArrayList<>();
        for (int i = 0; i < importance.length; i++) {
            ranked.add(new TrainingReport.FeatureImportance(names.get(i), importance[i]));
        }
        ranked.sort(Comparator.comparingDouble(TrainingReport.FeatureImportance::share).reversed());
        return new TrainingReport(model.id(), classes, forest.outOfBagAccuracy(), ranked,
                samples == null ? 0 : samples.sampleCount(), forest.featureCount(), slices, skipped, fetch, features, grow,
                model.features().toText(), choice != null ? choice.describe() : model.featureChoice().isEmpty()
                        ? "the saved model's" : "features chosen from the training images: " + model.features().toText()
                        + " (" + model.featureChoice() + ")",
                model.overview() == null ? 0 : model.overview().resolution(),
                model.overview() == null ? 0 : model.overview().forest().outOfBagAccuracy());
    }

    public static String hex(int rgb) {
        return String.format(Locale.ROOT, "#%06x", rgb & 0xffffff);
    }
}

package org.histodraw.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a cohort told its watcher, kept for the tests to look at. */
final class RecordedProgress implements CohortProgress {
    final List<String> slides = new ArrayList<>();
    final List<Integer> opening = new ArrayList<>();
    final Map<Integer, Integer> planned = new HashMap<>();
    final List<Integer> predicting = new ArrayList<>();
    final Map<Integer, Integer> predicted = new HashMap<>();
    final List<Integer> written = new ArrayList<>();
    final List<SlideOutcome> failed = new ArrayList<>();
    final List<String> lostExecutors = new ArrayList<>();
    CohortReport report;

    @Override
    public synchronized void started(List<String> names) {
        slides.addAll(names);
    }

    @Override
    public synchronized void opening(int opened, int total) {
        opening.add(opened);
        opening.add(total);
    }

    @Override
    public synchronized void planned(int slide, int tiles) {
        planned.put(slide, tiles);
    }

    @Override
    public synchronized void failed(SlideOutcome outcome) {
        failed.add(outcome);
    }

    @Override
    public synchronized void predicting(int slide) {
        predicting.add(slide);
    }

    @Override
    public synchronized void predicted(int slide, int tiles) {
        predicted.merge(slide, tiles, Integer::sum);
    }

    @Override
    public synchronized void written(int slide) {
        written.add(slide);
    }

    @Override
    public synchronized void executorLost(String executor, String reason) {
        lostExecutors.add(executor + ": " + reason);
    }

    @Override
    public synchronized void finished(List<SlideOutcome> outcomes, CohortReport finished) {
        report = finished;
    }
}

package org.histodraw.spark;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.storage.RDDInfo;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Turns Spark's task events on the driver into the cohort's progress. The job names the RDD of
 * each stage ({@link #OPEN}, {@link #PREDICT}, {@link #WRITE}) and gives one element per partition,
 * so a finished task says which slides it opened, which band of tiles it predicted or which slide
 * it wrote. Works the same for local and cluster masters (tasks report to the driver wherever they
 * ran). A partition counts once: a task run again after a lost executor, or a speculative copy,
 * does not advance the progress twice.
 */
final class CohortListener extends SparkListener {
    static final String OPEN = "histodraw-open";
    static final String PREDICT = "histodraw-predict";
    static final String WRITE = "histodraw-write";

    private final CohortProgress progress;
    private final Map<Integer, String> stageKinds = new HashMap<>();
    private final Map<String, BitSet> done = new HashMap<>();
    private final BitSet slidesStarted = new BitSet();
    private int[] slidesPerOpenTask = new int[0];
    private int openTotal;
    private int opened;
    private int[] slideOfBand = new int[0];
    private int[] tilesOfBand = new int[0];
    private int[] slideOfWriteTask = new int[0];
    private int toWrite;

    CohortListener(CohortProgress progress) {
        this.progress = progress;
    }

    /** The open stage's partitions: the slides of each. */
    synchronized void opening(List<List<SlideOpening.Request>> groups) {
        slidesPerOpenTask = groups.stream().mapToInt(List::size).toArray();
        openTotal = groups.stream().mapToInt(List::size).sum();
        opened = 0;
    }

    /** The prediction stage's partitions: each band's slide and tile count. */
    synchronized void predicting(List<TileBand> bands, Map<Integer, SlidePlan> plans, int tileSize) {
        slideOfBand = bands.stream().mapToInt(TileBand::slide).toArray();
        tilesOfBand = bands.stream().mapToInt(b -> b.rows() * plans.get(b.slide()).grid(tileSize).columns()).toArray();
    }

    /** The writing stage's partitions: partition p writes the planned slide p (no other has tiles). */
    synchronized void writing(int partitions, Map<Integer, SlidePlan> plans) {
        slideOfWriteTask = new int[partitions];
        for (int p = 0; p < partitions; p++) {
            slideOfWriteTask[p] = plans.containsKey(p) ? p : -1;
        }
        toWrite = plans.size();
    }

    /**
     * Waits (at most {@code millis}) until Spark's listener thread has passed on the end of every
     * writing task: it runs behind the job, and the last slides' progress would be lost otherwise.
     */
    synchronized void awaitWritten(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        for (long left = millis; toWrite > 0 && left > 0; left = (end - System.nanoTime()) / 1_000_000) {
            wait(left);
        }
    }

    @Override
    public synchronized void onStageSubmitted(SparkListenerStageSubmitted submitted) {
        for (RDDInfo rdd : CollectionConverters.asJava(submitted.stageInfo().rddInfos())) {
            if (List.of(OPEN, PREDICT, WRITE).contains(rdd.name())) {
                stageKinds.put(submitted.stageInfo().stageId(), rdd.name());
            }
        }
    }

    @Override
    public synchronized void onTaskStart(SparkListenerTaskStart start) {
        int p = start.taskInfo().partitionId();
        if (PREDICT.equals(stageKinds.get(start.stageId())) && p < slideOfBand.length && !slidesStarted.get(slideOfBand[p])) {
            slidesStarted.set(slideOfBand[p]);
            progress.predicting(slideOfBand[p]);
        }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        String kind = stageKinds.get(end.stageId());
        if (kind == null || !end.taskInfo().successful()) {
            return;
        }
        int p = end.taskInfo().partitionId();
        BitSet counted = done.computeIfAbsent(kind + end.stageId(), k -> new BitSet());
        if (counted.get(p)) {
            return;
        }
        counted.set(p);
        switch (kind) {
            case OPEN -> {
                opened += p < slidesPerOpenTask.length ? slidesPerOpenTask[p] : 0;
                progress.opening(opened, openTotal);
            }
            case PREDICT -> {
                if (p < slideOfBand.length) {
                    progress.predicted(slideOfBand[p], tilesOfBand[p]);
                }
            }
            default -> {
                if (p < slideOfWriteTask.length && slideOfWriteTask[p] >= 0) {
                    progress.written(slideOfWriteTask[p]);
                    toWrite--;
                    notifyAll();
                }
            }
        }
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        progress.executorLost(removed.executorId(), removed.reason());
    }
}

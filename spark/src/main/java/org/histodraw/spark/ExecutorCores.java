package org.histodraw.spark;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkConf;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;

/**
 * The cores an application's executors had, from what each executor says when it registers (the
 * one executor of a {@code local[N]} master says N). Spark's default parallelism is no count of
 * cores: on a cluster it is at least 2, so a job on one core reported "2 cores".
 *
 * <p>Registered through {@code spark.extraListeners} ({@link CohortJob#configure}), so Spark
 * creates it before any executor registers: a listener added to a running context would not hear
 * of the executors already there (the local master's among them). One per application, found by
 * its id.
 */
public final class ExecutorCores extends SparkListener {
    private static final Map<String, ExecutorCores> APPLICATIONS = new ConcurrentHashMap<>();

    private final String application;
    private final Map<String, Integer> alive = new HashMap<>();
    private int most;

    /** Spark's way of creating an extra listener: with the context's configuration, which names the application. */
    public ExecutorCores(SparkConf conf) {
        this.application = conf.get("spark.app.id", "");
        APPLICATIONS.put(application, this);
    }

    /**
     * The most cores the executors of the application had at once, as far as Spark's listener
     * thread has passed on their registrations; empty when no such listener was registered.
     */
    static OptionalInt most(String applicationId) {
        ExecutorCores cores = APPLICATIONS.get(applicationId);
        return cores == null ? OptionalInt.empty() : cores.most();
    }

    synchronized OptionalInt most() {
        return most == 0 ? OptionalInt.empty() : OptionalInt.of(most);
    }

    @Override
    public synchronized void onExecutorAdded(SparkListenerExecutorAdded added) {
        alive.put(added.executorId(), added.executorInfo().totalCores());
        most = Math.max(most, alive.values().stream().mapToInt(Integer::intValue).sum());
    }

    @Override
    public synchronized void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        alive.remove(removed.executorId());
    }

    @Override
    public void onApplicationEnd(SparkListenerApplicationEnd end) {
        APPLICATIONS.remove(application, this);
    }
}

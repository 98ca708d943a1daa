package org.histodraw.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.SparkConf;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.cluster.ExecutorInfo;
import org.junit.jupiter.api.Test;

/**
 * The cores of the closing line: what the executors registered with, the most at once. (Spark's
 * default parallelism said 2 for one executor of one core on a cluster.)
 */
class ExecutorCoresTest {
    private static SparkListenerExecutorAdded added(String id, int cores) {
        return new SparkListenerExecutorAdded(0, id, new ExecutorInfo("127.0.0.1", cores, scala.collection.immutable.Map$.MODULE$.empty()));
    }

    @Test
    void oneExecutorOfOneCoreIsOneCore() {
        ExecutorCores cores = new ExecutorCores(new SparkConf(false).set("spark.app.id", "app-one"));
        cores.onExecutorAdded(added("0", 1));
        assertThat(ExecutorCores.most("app-one")).hasValue(1);
        cores.onApplicationEnd(new SparkListenerApplicationEnd(0, scala.Option.empty()));
        assertThat(ExecutorCores.most("app-one")).isEmpty();
    }

    @Test
    void theMostCoresAtOnceCountAndALostExecutorsReplacementDoesNotAddUp() {
        ExecutorCores cores = new ExecutorCores(new SparkConf(false).set("spark.app.id", "app-two"));
        cores.onExecutorAdded(added("0", 4));
        cores.onExecutorAdded(added("1", 4));
        cores.onExecutorRemoved(new SparkListenerExecutorRemoved(0, "1", "worker lost"));
        cores.onExecutorAdded(added("2", 4));
        assertThat(ExecutorCores.most("app-two")).hasValue(8);
        assertThat(ExecutorCores.most("another-app")).isEmpty();
        cores.onApplicationEnd(new SparkListenerApplicationEnd(0, scala.Option.empty()));
    }
}

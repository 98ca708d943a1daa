package org.histodraw.spark;

import org.apache.spark.launcher.JavaModuleOptions;

/**
 * Prints the JVM options Spark's own launcher gives the JVMs it starts (the JDK's internals opened
 * for Spark, native access for the slide readers), for starting Spark's classes with plain
 * {@code java} where no {@code spark-submit} script is at hand:
 * {@code java $(java -cp CLUSTER_JAR:SPARK_CLASSPATH org.histodraw.spark.SparkJvmOptions) -cp SPARK_CLASSPATH
 * org.apache.spark.deploy.SparkSubmit ...} (spark/README.md).
 */
public final class SparkJvmOptions {
    private SparkJvmOptions() {
    }

    public static void main(String[] args) {
        System.out.println(JavaModuleOptions.defaultModuleOptions());
    }
}

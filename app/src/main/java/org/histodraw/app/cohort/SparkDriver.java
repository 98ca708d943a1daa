package org.histodraw.app.cohort;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;
import org.histodraw.app.console.UserError;
import org.histodraw.spark.CohortArguments;
import org.histodraw.spark.ProgressEvents;

/**
 * The JVM that runs a cohort for {@code histodraw cohort}: a Spark driver (with its executors
 * inside it on a {@code local[N]} master), started from the cluster jar the spark module builds and
 * the Spark libraries it lists in {@code spark/target/spark-classpath.txt}. Spark stays out of the
 * app's own classpath, so the other commands start as fast as before, and its Servlet and Jackson
 * versions never meet the server's.
 *
 * <p>The JVM gets the options Spark's own launcher gives a driver ({@link JavaModuleOptions}: the
 * JDK's internals opened, native access for the slide readers), the app's own {@code -X} options
 * ({@code HISTODRAW_JAVA_OPTS}, transparent huge pages), a quiet log configuration, and the
 * property that makes it print its progress as events.
 */
final class SparkDriver {
    static final String LOG_CONFIG = "org/histodraw/spark/log4j2-cohort.properties";
    private static final String BUILD = "./mvnw -B -ntp -pl spark -am package -DskipTests";

    private final Path clusterJar;
    private final String sparkClasspath;

    private SparkDriver(Path clusterJar, String sparkClasspath) {
        this.clusterJar = clusterJar;
        this.sparkClasspath = sparkClasspath;
    }

    /**
     * The spark module's build output: {@code histodraw.spark.target} when set, else
     * {@code spark/target} of the checkout the app was built in.
     */
    static SparkDriver locate() {
        Path target = System.getProperty("histodraw.spark.target") != null
                ? Path.of(System.getProperty("histodraw.spark.target")) : checkout().resolve("spark").resolve("target");
        Path classpath = target.resolve("spark-classpath.txt");
        Path jar = clusterJar(target);
        if (jar == null || !Files.isRegularFile(classpath)) {
            throw new UserError("the Spark job is not built in " + target + ": run " + BUILD
                    + " (./histodraw builds it on its first run)");
        }
        try {
            return new SparkDriver(jar, Files.readString(classpath).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + classpath + ": " + e.getMessage(), e);
        }
    }

    /** The java command that runs the cohort job's driver with these arguments. */
    List<String> command(List<String> jobArguments) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("-X")).forEach(cmd::add);
        cmd.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()));
        if (Runtime.version().feature() >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow"); // Spark's off-heap code; JDK 23+ warns at every start
        }
        cmd.add("-Dlog4j2.configurationFile=" + LOG_CONFIG);
        cmd.add("-D" + ProgressEvents.PROPERTY + "=events");
        cmd.add("-cp");
        cmd.add(clusterJar + File.pathSeparator + sparkClasspath);
        cmd.add(CohortArguments.MAIN_CLASS);
        cmd.addAll(jobArguments);
        return cmd;
    }

    private static Path clusterJar(Path target) {
        if (!Files.isDirectory(target)) {
            return null;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "histodraw-spark-*-cluster.jar")) {
            for (Path jar : jars) {
                return jar;
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The checkout the app runs from: three folders above its jar (or classes folder) in app/target. */
    private static Path checkout() {
        try {
            Path location = Path.of(SparkDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.toAbsolutePath().getParent().getParent().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

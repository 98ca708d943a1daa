package org.histodraw.spark;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Spark standalone cluster on this machine, made of Spark's own jars: a Master and Workers,
 * each a JVM of its own bound to 127.0.0.1, launching executors as further JVMs, as on a cluster.
 * Its SPARK_HOME is assembled in a temporary folder: a {@code jars} folder linking the jars of the
 * spark module's {@code spark-classpath.txt} (what a Spark 4.1 installation holds), which is all a
 * Worker needs to build an executor's command ({@code SPARK_SCALA_VERSION} saves it looking for a
 * source build). The JVMs get Spark's own module options (JDK internals opened, native access);
 * Workers add them to their executors by themselves. Master and Worker web UIs cannot be switched
 * off in Spark 4.1: they listen on free ports of 127.0.0.1.
 */
final class StandaloneCluster implements AutoCloseable {
    private static final Pattern MASTER_URL = Pattern.compile("Starting Spark master at (spark://\\S+)");

    private final Path home;
    private final Path dir;
    private final Process master;
    private final String url;
    private final List<Process> workers = new ArrayList<>();

    private StandaloneCluster(Path home, Path dir, Process master, String url) {
        this.home = home;
        this.dir = dir;
        this.master = master;
        this.url = url;
    }

    /**
     * Starts a Master and {@code workers} Workers of {@code cores} cores and {@code memory} (e.g. "1g")
     * each; the Workers start side by side (each JVM start is seconds on a loaded machine).
     */
    static StandaloneCluster start(Path dir, int workers, int cores, String memory) throws IOException, InterruptedException {
        Path home = sparkHome(dir.resolve("spark-home"));
        Process master = launch(home, dir.resolve("master.log"), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", "0", "--webui-port", "0");
        String url = await(master, dir.resolve("master.log"), MASTER_URL, "the master to start");
        StandaloneCluster cluster = new StandaloneCluster(home, dir, master, url);
        try {
            for (int i = 0; i < workers; i++) {
                cluster.launchWorker(cores, memory);
            }
            for (int i = 0; i < workers; i++) {
                cluster.awaitWorker(i);
            }
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The master's URL, {@code spark://127.0.0.1:PORT}. */
    String url() {
        return url;
    }

    Process worker(int i) {
        return workers.get(i);
    }

    /** Adds a Worker, numbered from 1 (its log {@code worker-N.log}, its folder {@code work-N}). */
    private void launchWorker(int cores, String memory) throws IOException {
        int n = workers.size() + 1;
        Path work = Files.createDirectories(dir.resolve("work-" + n));
        workers.add(launch(home, workerLog(n), "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", "0",
                "--webui-port", "0", "--cores", Integer.toString(cores), "--memory", memory, "--work-dir", work.toString(), url));
    }

    /** Waits until the master has registered Worker {@code i} (from 0). */
    private void awaitWorker(int i) throws IOException, InterruptedException {
        await(workers.get(i), workerLog(i + 1), Pattern.compile("(Successfully registered with master)"), "worker " + (i + 1) + " to register");
    }

    private Path workerLog(int n) {
        return dir.resolve("worker-" + n + ".log");
    }

    /**
     * Submits an application as {@code spark-submit} does, through Spark's {@code SparkSubmit} in a
     * driver JVM of its own (client mode, so the driver's output is this process's), with the
     * cluster jar as the application; its output goes to {@code log}.
     */
    Process submit(Path applicationJar, String mainClass, Map<String, String> conf, List<String> args, Path log,
                   Map<String, String> properties) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit", "--master", url, "--class", mainClass));
        conf.forEach((k, v) -> cmd.addAll(List.of("--conf", k + "=" + v)));
        cmd.add(applicationJar.toString());
        cmd.addAll(args);
        List<String> jvm = new ArrayList<>();
        properties.forEach((k, v) -> jvm.add("-D" + k + "=" + v));
        return builder(home, jvm, cmd).redirectError(log.toFile()).start();
    }

    /** Stops every process of the cluster: the executors the workers started, the workers, the master. */
    @Override
    public void close() {
        for (Process worker : workers) {
            worker.descendants().forEach(ProcessHandle::destroyForcibly);
            worker.destroyForcibly();
        }
        master.destroyForcibly();
        for (Process p : workers) {
            waitFor(p);
        }
        waitFor(master);
    }

    /** SPARK_HOME with {@code jars} linking Spark's libraries (no copies: they are hundreds of megabytes). */
    private static Path sparkHome(Path home) throws IOException {
        Path list = Path.of(System.getProperty("histodraw.spark.classpath", "target/spark-classpath.txt"));
        Assumptions.assumeTrue(Files.exists(list), "package the spark module first (target/spark-classpath.txt is missing)");
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("conf"));
        for (String entry : Files.readString(list).strip().split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
        }
        return home;
    }

    private static Process launch(Path home, Path log, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(mainClass));
        cmd.addAll(Arrays.asList(args));
        return builder(home, List.of("-Xmx256m"), cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static ProcessBuilder builder(Path home, List<String> jvmOptions, List<String> mainAndArgs) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", home.resolve("jars") + "/*"));
        cmd.addAll(mainAndArgs);
        ProcessBuilder b = new ProcessBuilder(cmd);
        b.environment().put("SPARK_HOME", home.toString());
        b.environment().put("SPARK_SCALA_VERSION", "2.13");
        b.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        b.environment().put("SPARK_CONF_DIR", home.resolve("conf").toString());
        return b;
    }

    /** Waits (at most 120 s) for a line of the process's log to match; its first group. */
    private static String await(Process p, Path log, Pattern pattern, String what) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < end) {
            if (Files.exists(log)) {
                Matcher m = pattern.matcher(Files.readString(log));
                if (m.find()) {
                    return m.group(1);
                }
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("gave up waiting for " + what + ": it ended; its log " + log + ":\n"
                        + Files.readString(log));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("gave up waiting for " + what + " after 120 s; see " + log);
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

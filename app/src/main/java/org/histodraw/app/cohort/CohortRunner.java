package org.histodraw.app.cohort;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.histodraw.app.console.Terminal;
import org.histodraw.app.console.UserError;
import org.histodraw.spark.CohortArguments;
import org.histodraw.spark.CohortReport;
import org.histodraw.spark.ProgressEvents;

/**
 * Does the work of {@code histodraw cohort}: starts the Spark driver in a JVM of its own
 * ({@link SparkDriver}), draws its progress events ({@link CohortBoard}) and keeps its log (Spark's
 * warnings and errors, anything else it prints) in {@code OUT/}{@value #LOG}. Stopping the app
 * (Ctrl-C) stops the driver; a driver that fails is reported in one line with the log's place.
 */
public class CohortRunner {
    static final String LOG = "cohort.log";
    private static final String DRIVER_ERROR = "histodraw cohort: error: ";

    /** Runs the cohort; returns 0 when every slide succeeded, {@value CohortReport#SOME_FAILED} when some failed. */
    public int run(CohortRequest request, Terminal terminal) {
        SparkDriver driver = SparkDriver.locate();
        Path log = request.out().resolve(LOG);
        ProcessBuilder builder = new ProcessBuilder(driver.command(request.jobArguments()));
        request.token().ifPresent(t -> builder.environment().put(CohortArguments.TOKEN_VARIABLE, t));
        if (request.local()) {
            builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1"); // no look-up of the machine's other addresses
        }
        Process process;
        try {
            Files.createDirectories(request.out());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Spark driver: " + e.getMessage(), e);
        }
        Thread stop = new Thread(() -> process.destroy(), "histodraw-cohort-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try (BufferedWriter logFile = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            AtomicReference<String> error = new AtomicReference<>();
            Thread errors = Thread.ofPlatform().name("histodraw-cohort-log").start(() -> keepLog(process, logFile, terminal,
                    request.debug(), error));
            CohortBoard board = new CohortBoard(terminal);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (!ProgressEvents.decode(line, board)) {
                        write(logFile, line);
                    }
                }
            }
            int exit = process.waitFor();
            errors.join();
            board.close();
            return outcome(exit, error.get(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the driver's log " + log + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new UserError("interrupted; the Spark driver was stopped");
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException e) {
                // already shutting down: the hook stops the driver
            }
        }
    }

    /** The exit code for the app, or the driver's failure as a one-line error. */
    private static int outcome(int exit, String error, Path log) {
        if (exit == 0 || exit == CohortReport.SOME_FAILED) {
            return exit;
        }
        if (error != null) {
            throw new UserError(error + " (Spark's log: " + log + ")");
        }
        throw new UserError("the Spark driver ended with exit code " + exit + "; see its log " + log);
    }

    /** Copies the driver's stderr into the log (and to the terminal with --debug), noting its error line. */
    private static void keepLog(Process process, BufferedWriter log, Terminal terminal, boolean debug, AtomicReference<String> error) {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null; ) {
                write(log, line);
                if (line.startsWith(DRIVER_ERROR)) {
                    error.set(line.substring(DRIVER_ERROR.length()));
                }
                if (debug) {
                    terminal.err().println(line);
                    terminal.err().flush();
                }
            }
        } catch (IOException e) {
            // the driver ended; what it wrote is in the log
        }
    }

    private static void write(BufferedWriter log, String line) {
        synchronized (log) {
            try {
                log.write(line);
                log.newLine();
                log.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

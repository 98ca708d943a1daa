package org.histodraw.app.console;

import java.io.Console;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

/**
 * Where a command talks to the user: results on {@code out}, progress and errors on {@code err}.
 *
 * @param interactive true when {@code err} is a terminal that understands carriage returns
 */
public record Terminal(PrintWriter out, PrintWriter err, boolean interactive) {

    /** A progress bar on {@code err}, redrawn in place when interactive. */
    public ProgressBar progress(String label, long total, String unit) {
        return new ProgressBar(err, label, total, unit, interactive, System::nanoTime);
    }

    /** Waits until the user stops the process (Ctrl-C, or a TERM signal): what a server does after starting. */
    public void untilStopped() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "histodraw-stop"));
        stopped.await();
    }

    /**
     * Whether the process talks to a terminal. Since JDK 22 {@link System#console()} is non-null even
     * when output is redirected, so {@code Console.isTerminal()} (JDK 22+) is asked when it exists;
     * {@code TERM=dumb} and CI environments count as not interactive.
     */
    public static boolean detectInteractive() {
        String term = System.getenv("TERM");
        if (System.getenv("CI") != null || "dumb".equals(term)) {
            return false;
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only for a terminal
        }
    }
}

package org.histodraw.app.console;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Several progress bars at once, for work done side by side (the slides of a cohort). On a
 * terminal the bars still running are redrawn in place, at most ten times a second, below the lines
 * already final (finished bars and messages), which scroll up as a log would; at most
 * {@value #MAX_SHOWN} running bars are shown, and a line counts the others. Without a terminal
 * (logs, CI) nothing is redrawn: messages and the final line of each finished bar are printed as
 * they come, and a bar made with {@code tenths} also prints a line at each tenth of its work.
 */
public final class ProgressBoard {
    static final int MAX_SHOWN = 12;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean interactive;
    private final LongSupplier clock;
    private final List<ProgressBar> running = new ArrayList<>();
    private final List<Integer> tenthsPrinted = new ArrayList<>();
    private final List<Boolean> tenths = new ArrayList<>();
    private int linesDrawn;
    private long lastDraw;

    public ProgressBoard(PrintWriter err, boolean interactive, LongSupplier clock) {
        this.err = err;
        this.interactive = interactive;
        this.clock = clock;
        this.lastDraw = clock.getAsLong() - REDRAW_NANOS;
    }

    /** A new running bar, shown below the others; with {@code tenths}, logs get a line at each tenth. */
    public synchronized ProgressBar add(String label, long total, String unit, boolean tenths) {
        ProgressBar bar = ProgressBar.counter(label, total, unit, clock);
        running.add(bar);
        this.tenths.add(tenths);
        tenthsPrinted.add(0);
        draw(true);
        return bar;
    }

    /** Counts {@code n} more units of a bar of this board. */
    public synchronized void advance(ProgressBar bar, long n) {
        bar.advance(n);
        int i = running.indexOf(bar);
        if (!interactive && i >= 0 && tenths.get(i)) {
            int tenth = bar.total() == 0 ? 10 : (int) Math.min(10, bar.done() * 10 / bar.total());
            if (tenth > tenthsPrinted.get(i) && tenth < 10) {
                tenthsPrinted.set(i, tenth);
                err.println(bar.text());
                err.flush();
            }
        }
        draw(false);
    }

    /** Ends a bar: its last state becomes a line above the running bars. */
    public synchronized void finish(ProgressBar bar) {
        int i = running.indexOf(bar);
        if (i < 0) {
            return;
        }
        bar.finish();
        running.remove(i);
        tenths.remove(i);
        tenthsPrinted.remove(i);
        print(bar.text());
    }

    /** A line of its own above the running bars (a failure, a lost executor...). */
    public synchronized void message(String line) {
        print(line);
    }

    /** Ends every bar still running and leaves the cursor below the last line. */
    public synchronized void close() {
        for (ProgressBar bar : List.copyOf(running)) {
            finish(bar);
        }
    }

    private void print(String line) {
        if (interactive) {
            erase();
            err.println(line);
            draw(true);
        } else {
            err.println(line);
            err.flush();
        }
    }

    /** Redraws the running bars in place (on a terminal), at most ten times a second unless {@code now}. */
    private void draw(boolean now) {
        if (!interactive) {
            return;
        }
        long t = clock.getAsLong();
        if (!now && t - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = t;
        erase();
        StringBuilder block = new StringBuilder();
        int shown = Math.min(MAX_SHOWN, running.size());
        for (int i = 0; i < shown; i++) {
            block.append(running.get(i).text()).append('\n');
        }
        if (running.size() > shown) {
            block.append("... and ").append(running.size() - shown).append(" more running\n");
        }
        linesDrawn = shown + (running.size() > shown ? 1 : 0);
        err.print(block);
        err.flush();
    }

    /** Moves the cursor up over the bars drawn last and clears them (ANSI: cursor up, erase below). */
    private void erase() {
        if (linesDrawn > 0) {
            err.print("\u001b[" + linesDrawn + "A\r\u001b[J");
            linesDrawn = 0;
        }
    }
}

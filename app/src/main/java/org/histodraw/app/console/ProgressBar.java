package org.histodraw.app.console;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A text progress bar for long jobs:
 * {@code segment 01.png [#########...............]  45/100 tiles  45%  12.3 tiles/s  ETA 0:04}.
 *
 * <p>On a terminal the line is redrawn in place with a carriage return, at most ten times a second;
 * otherwise (logs, CI) a plain line is printed each time another tenth of the work is done, so a log
 * gets at most ten lines per bar. {@link #advance} is thread-safe and cheap: tiles finishing on many
 * threads call it, and a thread that finds another one drawing does not wait. A bar made by
 * {@link #counter} draws nothing itself: a {@link ProgressBoard} shows its {@link #text()} with others.
 */
public final class ProgressBar {
    private static final int BAR_WIDTH = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final String label;
    private final long total;
    private final String unit;
    private final boolean interactive;
    private final LongSupplier clock;
    private final long start;
    private final AtomicLong done = new AtomicLong();
    private final ReentrantLock drawing = new ReentrantLock();
    private long lastDraw;
    private long lastTenth;
    private int lastLength;
    private boolean finished;
    private volatile long finishedAt = -1;

    /**
     * @param clock nanoseconds, {@code System::nanoTime} outside tests
     */
    public ProgressBar(PrintWriter err, String label, long total, String unit, boolean interactive, LongSupplier clock) {
        if (total < 0) {
            throw new IllegalArgumentException("total must not be negative: " + total);
        }
        this.err = err;
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.interactive = interactive;
        this.clock = clock;
        this.start = clock.getAsLong();
        this.lastDraw = start - REDRAW_NANOS; // the first advance draws
    }

    /** A bar that only counts; whoever shows it asks for its {@link #text()}. */
    public static ProgressBar counter(String label, long total, String unit, LongSupplier clock) {
        return new ProgressBar(null, label, total, unit, false, clock);
    }

    /** Counts {@code n} more units done; may redraw. */
    public void advance(long n) {
        long now = done.addAndGet(n);
        if (err == null || !drawing.tryLock()) {
            return;
        }
        try {
            if (finished) {
                return;
            }
            long t = clock.getAsLong();
            if (interactive) {
                if (t - lastDraw >= REDRAW_NANOS || now >= total) {
                    redraw(line(now, t - start));
                    lastDraw = t;
                }
            } else {
                long tenth = total == 0 ? 10 : Math.min(10, now * 10 / total);
                if (tenth > lastTenth) {
                    lastTenth = tenth;
                    err.println(line(now, t - start));
                    err.flush();
                }
            }
        } finally {
            drawing.unlock();
        }
    }

    public long done() {
        return done.get();
    }

    public long total() {
        return total;
    }

    /** The bar as it stands now, or as it ended once finished. */
    public String text() {
        long end = finishedAt;
        return line(done.get(), (end >= 0 ? end : clock.getAsLong()) - start);
    }

    /** Draws the final state and ends the line; later calls do nothing. */
    public void finish() {
        drawing.lock();
        try {
            if (finished) {
                return;
            }
            finished = true;
            finishedAt = clock.getAsLong();
            if (err == null) {
                return;
            }
            String last = line(done.get(), finishedAt - start);
            if (interactive) {
                redraw(last);
                err.println();
            } else if (lastTenth < 10 || total == 0) {
                err.println(last);
            }
            err.flush();
        } finally {
            drawing.unlock();
        }
    }

    private void redraw(String line) {
        StringBuilder sb = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < lastLength; i++) {
            sb.append(' '); // wipe the tail of a longer previous line
        }
        lastLength = line.length();
        err.print(sb);
        err.flush();
    }

    /** The text of the bar for {@code count} units done after {@code elapsedNanos}. */
    String line(long count, long elapsedNanos) {
        double fraction = total == 0 ? 1 : Math.min(1, (double) count / total);
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        double seconds = elapsedNanos / 1e9;
        double rate = seconds > 0 ? count / seconds : 0;
        StringBuilder sb = new StringBuilder(label).append(" [")
                .append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("]  ")
                .append(count).append('/').append(total).append(' ').append(unit)
                .append("  ").append((int) Math.floor(fraction * 100)).append('%');
        if (seconds > 0) {
            sb.append("  ").append(rate >= 100 ? String.valueOf(Math.round(rate)) : String.format(Locale.ROOT, "%.1f", rate))
                    .append(' ').append(unit).append("/s");
        }
        if (count >= total) {
            sb.append("  in ").append(duration(seconds));
        } else if (rate > 0) {
            sb.append("  ETA ").append(duration((total - count) / rate));
        } else {
            sb.append("  ETA --");
        }
        return sb.toString();
    }

    /** 0:04, 12:30, 1:02:03. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec) : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }
}

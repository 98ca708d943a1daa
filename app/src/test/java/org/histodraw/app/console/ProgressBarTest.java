package org.histodraw.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;


class ProgressBarTest {
    private final StringWriter text = new StringWriter();
    private final AtomicLong clock = new AtomicLong();

    private ProgressBar bar(long total, boolean interactive) {
        return new ProgressBar(new PrintWriter(text), "segment 01.png", total, "tiles", interactive, clock::get);
    }

    @Test
    void lineShowsCountPercentRateAndEta() {
        ProgressBar bar = bar(100, false);
        assertThat(bar.line(45, 3_000_000_000L))
                .isEqualTo("segment 01.png [###########.............]  45/100 tiles  45%  15.0 tiles/s  ETA 0:04");
        assertThat(bar.line(0, 0)).endsWith("0/100 tiles  0%  ETA --");
        assertThat(bar.line(100, 7_000_000_000L)).endsWith("100/100 tiles  100%  14.3 tiles/s  in 0:07");
        assertThat(ProgressBar.duration(3723)).isEqualTo("1:02:03");
    }

    @Test
    void withoutATerminalAtMostTenPlainLinesArePrinted() {
        ProgressBar bar = bar(1000, false);
        for (int i = 0; i < 1000; i++) {
            clock.addAndGet(10_000_000L);
            bar.advance(1);
        }
        bar.finish();

        List<String> lines = text.toString().lines().toList();
        assertThat(lines).hasSize(10);
        assertThat(text.toString()).doesNotContain("\r");
        assertThat(lines.get(0)).contains("100/1000 tiles  10%");
        assertThat(lines.get(9)).contains("1000/1000 tiles  100%", "in 0:10");
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlaceAndEndedOnce() {
        ProgressBar bar = bar(20, true);
        for (int i = 0; i < 20; i++) {
            clock.addAndGet(50_000_000L); // 50 ms: every other advance redraws
            bar.advance(1);
        }
        bar.finish();

        String s = text.toString();
        assertThat(s).startsWith("\r").endsWith(System.lineSeparator());
        assertThat(s.chars().filter(c -> c == '\n').count()).isEqualTo(1); // one line, ended once
        long redraws = s.chars().filter(c -> c == '\r').count();
        assertThat(redraws).isBetween(10L, 12L);
        assertThat(s).contains("20/20 tiles  100%");
    }

    @Test
    void advancesFromManyThreadsAreAllCounted() throws InterruptedException {
        ProgressBar bar = new ProgressBar(new PrintWriter(text), "tiles", 4000, "tiles", true, System::nanoTime);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 1000; i++) {
                    bar.advance(1);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        bar.finish();

        assertThat(bar.done()).isEqualTo(4000);
        assertThat(text.toString()).contains("4000/4000 tiles  100%");
    }
}

package org.histodraw.server.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.histodraw.server.store.Busy;
import org.junit.jupiter.api.Test;

class ImportGateTest {
    @Test
    void anImportBeyondThePermitsIsRefusedAsBusyAndTheNextOneRunsOnceAPermitIsBack() throws Exception {
        ImportGate gate = new ImportGate(1, 0);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> gate.oneAtATime(() -> {
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "first";
        }));
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> gate.oneAtATime(() -> "second")).isInstanceOf(Busy.class).hasMessageContaining("importing 1 files");
        release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(gate.oneAtATime(() -> "third")).isEqualTo("third");
    }

    @Test
    void aFailingImportGivesItsPermitBack() {
        ImportGate gate = new ImportGate(1, 0);
        assertThatThrownBy(() -> gate.oneAtATime(() -> {
            throw new IllegalStateException("broken file");
        })).hasMessage("broken file");
        assertThat(gate.oneAtATime(() -> "next")).isEqualTo("next");
    }
}

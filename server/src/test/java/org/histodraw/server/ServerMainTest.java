package org.histodraw.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.histodraw.server.collab.LiveHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerMainTest {

    @Test
    void aServerWithALiveViewerPingsItAndEndsWhenItsInputCloses(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start(dir.resolve("data"), Map.of())) {
            Client admin = Client.login(server.port, ServerMain.ADMIN, ServerMain.ADMIN_PASSWORD);
            long series = admin.newSeries("Pings", "S");
            Client.Response up = admin.upload("/api/v1/series/" + series + "/slices", "tiny.png", AccessMatrixTest.tinyPng(), Map.of());
            long slice = admin.awaitJob(up.json().get("jobId").asText()).get("sliceId").asLong();
            LiveSocket viewer = LiveSocket.connect(admin, slice, null);
            viewer.next("snapshot");

            viewer.pinged.get(LiveHub.PING_SECONDS + 5, TimeUnit.SECONDS);
            // Javalin's own pings ran on a thread nothing stops: the process outlived its input.
            assertThat(server.endsWhenItsInputCloses(20)).as("the server process ended").isTrue();
        }
    }
}

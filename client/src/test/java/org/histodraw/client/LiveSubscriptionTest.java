package org.histodraw.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A slice's live changes over the server's websocket, as the segmentation service follows them. */
class LiveSubscriptionTest {
    private static final String LAYER = """
            {"type": "FeatureCollection", "provenance": {"service": "live-test", "model": "m"},
             "features": [{"type": "Feature", "properties": {"classification": {"name": "Nucleus"}},
               "geometry": {"type": "Polygon", "coordinates": [[[1, 1], [9, 1], [9, 9], [1, 1]]]}}]}""";

    @Test
    void changesCommittedAfterSubscribingArriveAndNoneAfterClosing() throws Exception {
        AnnotatedProject project = AnnotatedProject.shared();
        ServerClient client = project.client(project.writeToken);
        long slice = project.slices.get(0); // the other tests change the generated layer of slice 1
        BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        LiveSubscription live = client.subscribe(slice, messages::add);
        try {
            assertThat(messages.poll(10, TimeUnit.SECONDS).path("type").asText()).as("first message").isEqualTo("snapshot");
            client.putLayer(slice, "generated", LAYER, null);
            JsonNode change = next(messages, "layer");
            assertThat(change.path("layer").asText()).isEqualTo("generated");
            assertThat(change.path("seq").asLong()).isPositive();
        } finally {
            live.close();
        }
        messages.clear();
        client.putLayer(slice, "generated", LAYER.replace("Nucleus", "Stroma"), null);
        assertThat(messages.poll(1, TimeUnit.SECONDS)).as("a message after close").isNull();
    }

    /** The next message of the given type (others, such as cursors, pass by). */
    private static JsonNode next(BlockingQueue<JsonNode> messages, String type) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            JsonNode m = messages.poll(100, TimeUnit.MILLISECONDS);
            if (m != null && type.equals(m.path("type").asText())) {
                return m;
            }
        }
        throw new AssertionError("no \"" + type + "\" message within 10 s");
    }
}

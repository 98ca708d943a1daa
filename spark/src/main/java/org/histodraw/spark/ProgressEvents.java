package org.histodraw.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A cohort's progress as lines of text between two processes: the Spark driver that
 * {@code histodraw cohort} starts writes one line per event on its standard output
 * ({@code @histodraw {"event": "predicted", "slide": 3, "tiles": 64}}), and the app reads them
 * back into calls of its own {@link CohortProgress}. Both ends are this class, so the format has one
 * definition. Lines without the prefix (anything else a library prints) are not events.
 */
public final class ProgressEvents implements CohortProgress {
    /**
     * The system property {@code histodraw cohort} sets to {@code events} on the driver's JVM: the
     * driver then prints its progress as these lines instead of the lines for a person.
     */
    public static final String PROPERTY = "histodraw.cohort.progress";
    static final String PREFIX = "@histodraw ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;

    public ProgressEvents(PrintStream out) {
        this.out = out;
    }

    @Override
    public void started(List<String> slides) {
        ObjectNode e = event("started");
        slides.forEach(e.putArray("slides")::add);
        emit(e);
    }

    @Override
    public void opening(int opened, int total) {
        emit(event("opening").put("opened", opened).put("total", total));
    }

    @Override
    public void planned(int slide, int tiles) {
        emit(event("planned").put("slide", slide).put("tiles", tiles));
    }

    @Override
    public void failed(SlideOutcome outcome) {
        ObjectNode e = event("failed");
        e.set("outcome", outcome(outcome));
        emit(e);
    }

    @Override
    public void predicting(int slide) {
        emit(event("predicting").put("slide", slide));
    }

    @Override
    public void predicted(int slide, int tiles) {
        emit(event("predicted").put("slide", slide).put("tiles", tiles));
    }

    @Override
    public void written(int slide) {
        emit(event("written").put("slide", slide));
    }

    @Override
    public void executorLost(String executor, String reason) {
        emit(event("executorLost").put("executor", executor).put("reason", reason));
    }

    @Override
    public void finished(List<SlideOutcome> outcomes, CohortReport report) {
        ObjectNode e = event("finished").put("seconds", report.seconds()).put("cores", report.cores())
                .put("summary", report.summary().toString());
        ArrayNode list = e.putArray("outcomes");
        outcomes.forEach(o -> list.add(outcome(o)));
        emit(e);
    }

    /**
     * Reads one line: when it is an event, calls the matching method of {@code target} and returns
     * true; returns false for any other line.
     */
    public static boolean decode(String line, CohortProgress target) {
        if (!line.startsWith(PREFIX)) {
            return false;
        }
        JsonNode e;
        try {
            e = JSON.readTree(line.substring(PREFIX.length()));
        } catch (JsonProcessingException ex) {
            return false;
        }
        switch (e.path("event").asText()) {
            case "started" -> {
                List<String> slides = new ArrayList<>();
                e.path("slides").forEach(s -> slides.add(s.asText()));
                target.started(slides);
            }
            case "opening" -> target.opening(e.path("opened").asInt(), e.path("total").asInt());
            case "planned" -> target.planned(e.path("slide").asInt(), e.path("tiles").asInt());
            case "failed" -> target.failed(outcome(e.path("outcome")));
            case "predicting" -> target.predicting(e.path("slide").asInt());
            case "predicted" -> target.predicted(e.path("slide").asInt(), e.path("tiles").asInt());
            case "written" -> target.written(e.path("slide").asInt());
            case "executorLost" -> target.executorLost(e.path("executor").asText(), e.path("reason").asText());
            case "finished" -> {
                List<SlideOutcome> outcomes = new ArrayList<>();
                e.path("outcomes").forEach(o -> outcomes.add(outcome(o)));
                target.finished(outcomes, new CohortReport(outcomes, e.path("seconds").asDouble(), e.path("cores").asInt(),
                        Path.of(e.path("summary").asText())));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static ObjectNode event(String name) {
        return JSON.createObjectNode().put("event", name);
    }

    private void emit(ObjectNode event) {
        synchronized (out) {
            out.println(PREFIX + event);
            out.flush();
        }
    }

    private static ObjectNode outcome(SlideOutcome o) {
        ObjectNode n = JSON.createObjectNode().put("index", o.index()).put("slide", o.slide()).put("status", o.status())
                .put("message", o.message()).put("width", o.width()).put("height", o.height()).put("tiles", o.tiles())
                .put("seconds", o.seconds());
        ArrayNode pixels = n.putArray("pixelsPerClass");
        for (long p : o.pixelsPerClass()) {
            pixels.add(p);
        }
        if (o.pixelSize().isPresent()) {
            n.put("micronsPerPixel", o.micronsPerPixel());
        }
        return n;
    }

    private static SlideOutcome outcome(JsonNode n) {
        long[] pixels = new long[n.path("pixelsPerClass").size()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = n.path("pixelsPerClass").get(i).asLong();
        }
        return new SlideOutcome(n.path("index").asInt(), n.path("slide").asText(), n.path("status").asText(),
                n.path("message").asText(), n.path("width").asInt(), n.path("height").asInt(), n.path("tiles").asInt(),
                n.path("seconds").asDouble(), pixels, n.path("micronsPerPixel").asDouble(Double.NaN));
    }
}

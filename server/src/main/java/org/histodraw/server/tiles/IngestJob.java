package org.histodraw.server.tiles;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.histodraw.server.store.IngestJobRecord;

/**
 * One slide being turned into a pyramid, as pollers see it. A running job lives in memory (its
 * fields are read by pollers while the worker writes them) and in the database, which keeps its
 * outcome after it ends and across restarts.
 */
public final class IngestJob {
    public enum State { RUNNING, DONE, FAILED }

    private final String id;
    private final long seriesId;
    private final long projectId;
    private final String name;
    private final String storageKey;
    private volatile State state;
    private volatile double progress;
    private volatile String message;
    private volatile Long sliceId;

    IngestJob(String id, long seriesId, long projectId, String name, String storageKey) {
        this(id, seriesId, projectId, name, storageKey, State.RUNNING, 0, "queued", null);
    }

    private IngestJob(String id, long seriesId, long projectId, String name, String storageKey, State state,
                      double progress, String message, Long sliceId) {
        this.id = id;
        this.seriesId = seriesId;
        this.projectId = projectId;
        this.name = name;
        this.storageKey = storageKey;
        this.state = state;
        this.progress = progress;
        this.message = message;
        this.sliceId = sliceId;
    }

    static IngestJob of(IngestJobRecord r) {
        return new IngestJob(r.id(), r.seriesId(), r.projectId(), r.name(), r.storageKey(),
                State.valueOf(r.state().toUpperCase(Locale.ROOT)), r.progress(), r.message(), r.sliceId());
    }

    public String id() {
        return id;
    }

    public long seriesId() {
        return seriesId;
    }

    public long projectId() {
        return projectId;
    }

    public String name() {
        return name;
    }

    String storageKey() {
        return storageKey;
    }

    /** The slice recorded, once done. */
    public Long sliceId() {
        return sliceId;
    }

    public State state() {
        return state;
    }

    public double progress() {
        return progress;
    }

    public String message() {
        return message;
    }

    void progress(double fraction, String text) {
        progress = fraction;
        message = text;
    }

    void done(long slice) {
        sliceId = slice;
        progress = 1;
        message = "done";
        state = State.DONE;
    }

    void failed(String why) {
        message = why;
        state = State.FAILED;
    }

    /** {@code {jobId, state, progress, message, sliceId, name}} as the API shows it. */
    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobId", id);
        m.put("state", state.name().toLowerCase(Locale.ROOT));
        m.put("progress", progress);
        m.put("message", message);
        m.put("sliceId", sliceId);
        m.put("seriesId", seriesId);
        m.put("name", name);
        return m;
    }
}

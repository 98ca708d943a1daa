package org.histodraw.server.tiles;

import java.util.LinkedHashMap;
import java.util.Map;

/** One slide being turned into a pyramid; its fields are read by pollers while the worker writes them. */
public final class IngestJob {
    public enum State { RUNNING, DONE, FAILED }

    private final String id;
    private final long seriesId;
    private final long projectId;
    private volatile State state = State.RUNNING;
    private volatile double progress;
    private volatile String message = "queued";
    private volatile Long sliceId;

    IngestJob(String id, long seriesId, long projectId) {
        this.id = id;
        this.seriesId = seriesId;
        this.projectId = projectId;
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

    public State state() {
        return state;
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

    /** {@code {jobId, state, progress, message, sliceId}} as the API shows it. */
    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobId", id);
        m.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
        m.put("progress", progress);
        m.put("message", message);
        m.put("sliceId", sliceId);
        return m;
    }
}

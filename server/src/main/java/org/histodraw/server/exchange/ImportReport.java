package org.histodraw.server.exchange;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import did with every feature of a file: counts, and one entry for each feature that was
 * skipped (with why) or changed on the way in (repaired, something left out), so that no feature
 * vanishes without a word. Features stored as they came are counted, not listed.
 */
public final class ImportReport {
    /** Entries listed at most; beyond that they are counted in {@code notListed}. */
    public static final int MAX_LISTED = 1000;

    private int created;
    private int updated;
    private int unchanged;
    private int skipped;
    private int changedOnTheWay;
    private int notListed;
    private final List<Map<String, Object>> features = new ArrayList<>();

    void created() {
        created++;
    }

    void updated() {
        updated++;
    }

    void unchanged() {
        unchanged++;
    }

    /** A feature that gave no region. */
    public void skipped(String at, String id, String reason) {
        skipped++;
        Map<String, Object> m = entry(at, id, "skipped");
        m.put("reason", reason);
        list(m);
    }

    /** A feature stored with changes (repaired outline, parts or values left out). */
    void changed(String at, String id, long regionId, List<String> notes) {
        changedOnTheWay++;
        Map<String, Object> m = entry(at, id, "imported");
        m.put("regionId", regionId);
        m.put("notes", notes);
        list(m);
    }

    public int stored() {
        return created + updated + unchanged;
    }

    public int skippedCount() {
        return skipped;
    }

    /** The report as JSON-ready values; the caller adds what it knows (seq, classes added). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("imported", stored());
        m.put("created", created);
        m.put("updated", updated);
        m.put("unchanged", unchanged);
        m.put("skipped", skipped);
        m.put("changed", changedOnTheWay);
        m.put("features", features);
        if (notListed > 0) {
            m.put("notListed", notListed);
        }
        return m;
    }

    private static Map<String, Object> entry(String at, String id, String outcome) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("feature", at);
        if (id != null) {
            m.put("id", id);
        }
        m.put("outcome", outcome);
        return m;
    }

    private void list(Map<String, Object> entry) {
        if (features.size() < MAX_LISTED) {
            features.add(entry);
        } else {
            notListed++;
        }
    }
}

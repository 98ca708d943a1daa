package org.histodraw.app.microdraw;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.histodraw.engine.geojson.Json;

/**
 * MicroDraw's annotation documents, as its database keeps them (one per region and save:
 * {@code {_id, fileID: "SOURCE&slice=N", user, project, Hash, annotation: {path, name, uid}, backup?}})
 * and as they leave it: {@code GET /api?source=&slice=&backup} (a JSON array) or {@code mongoexport}
 * of the annotations collection (one document a line, or {@code --jsonArray}; {@code _id} as
 * {@code {"$oid": ...}}). A save of a slice inserted the slice's whole state and marked the state
 * before as {@code backup}; so the documents of one save share their Hash and user and lie next to
 * each other in {@code _id} order, which is the order they were made in.
 */
public final class MicroDrawDocuments {
    /** One document. {@code order}: its place by {@code _id} (creation), else in the files. */
    public record Document(String id, long order, String source, String slice, String user, String project, String hash,
                           boolean backup, Map<String, Object> annotation) {
        /** Seconds since 1970 from a MongoDB ObjectId, or -1. */
        public long seconds() {
            return id != null && id.matches("[0-9a-fA-F]{24}") ? Long.parseLong(id.substring(0, 8), 16) : -1;
        }
    }

    /** One save: the slice's annotations after it, who saved and when (seconds, or -1). */
    public record Save(String user, String hash, long seconds, List<Document> documents) {
    }

    private MicroDrawDocuments() {
    }

    /**
     * Reads the documents of one file (a JSON array or JSON lines); {@code offset} continues the file
     * order across files. Fails with what and where when a document is not MicroDraw's.
     */
    public static List<Document> read(String text, String file, long offset) {
        String t = text.strip();
        List<Object> values = new ArrayList<>();
        if (t.startsWith("[")) {
            if (!(Json.parse(t) instanceof List<?> list)) {
                throw new IllegalArgumentException(file + ": not a JSON array");
            }
            values.addAll(list);
        } else {
            String[] lines = t.split("\r?\n");
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    try {
                        values.add(Json.parse(lines[i]));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(file + ", line " + (i + 1) + ": " + e.getMessage());
                    }
                }
            }
        }
        List<Document> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            out.add(document(values.get(i), file + ", document " + i, offset + i));
        }
        return out;
    }

    private static Document document(Object value, String where, long order) {
        if (!(value instanceof Map<?, ?> doc) || !(doc.get("annotation") instanceof Map<?, ?> annotation)
                || !(doc.get("fileID") instanceof String fileID)) {
            throw new IllegalArgumentException(where + ": not a MicroDraw annotation document ({fileID, user, annotation, ...})");
        }
        int at = fileID.lastIndexOf("&slice=");
        if (at < 0) {
            throw new IllegalArgumentException(where + ": fileID " + fileID + " does not end in &slice=N");
        }
        Object id = doc.get("_id");
        if (id instanceof Map<?, ?> oid) {
            id = oid.get("$oid");
        }
        Map<String, Object> a = new LinkedHashMap<>();
        annotation.forEach((k, v) -> a.put(String.valueOf(k), v));
        return new Document(id instanceof String s ? s : null, order, fileID.substring(0, at), fileID.substring(at + 7),
                doc.get("user") instanceof String u ? u : "anyone", doc.get("project") instanceof String p ? p : "",
                doc.get("Hash") == null ? "" : String.valueOf(doc.get("Hash")), Boolean.TRUE.equals(doc.get("backup")), a);
    }

    /**
     * The saves of one slice in the order they were made: documents sorted by {@code _id} (file
     * order without ids), runs of the same Hash and user being one save.
     */
    public static List<Save> saves(List<Document> documents) {
        List<Document> sorted = new ArrayList<>(documents);
        boolean ids = sorted.stream().allMatch(d -> d.seconds() >= 0);
        sorted.sort(ids ? Comparator.comparing((Document d) -> d.id().toLowerCase(java.util.Locale.ROOT)) : Comparator.comparingLong(Document::order));
        List<Save> saves = new ArrayList<>();
        List<Document> run = new ArrayList<>();
        for (Document d : sorted) {
            if (!run.isEmpty() && (!run.get(0).hash().equals(d.hash()) || !run.get(0).user().equals(d.user()))) {
                saves.add(new Save(run.get(0).user(), run.get(0).hash(), run.get(0).seconds(), run));
                run = new ArrayList<>();
            }
            run.add(d);
        }
        if (!run.isEmpty()) {
            saves.add(new Save(run.get(0).user(), run.get(0).hash(), run.get(0).seconds(), run));
        }
        return saves;
    }
}

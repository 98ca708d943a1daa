package org.histodraw.engine.geojson;

import java.util.List;
import java.util.Map;

/** Typed access to parsed JSON values for the GeoJSON and MicroDraw readers, with errors that say where and what. */
final class JsonValues {
    private JsonValues() {
    }

    static IllegalArgumentException fail(String where, String problem) {
        return new IllegalArgumentException(where + ": " + problem);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String where, String what) {
        if (!(value instanceof Map)) {
            throw fail(where, what + " must be a JSON object, got " + describe(value));
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> array(Object value, String where, String what) {
        if (!(value instanceof List)) {
            throw fail(where, what + " must be a JSON array, got " + describe(value));
        }
        return (List<Object>) value;
    }

    static double number(Object value, String where, String what) {
        if (!(value instanceof Double d)) {
            throw fail(where, what + " must be a number, got " + describe(value));
        }
        return d;
    }

    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        if (value instanceof Double d) {
            return "the number " + JsonWriter.number(d);
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof List<?> l) {
            return "an array of " + l.size();
        }
        return "an object";
    }
}

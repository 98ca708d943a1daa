package org.histodraw.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.Locale;
import org.histodraw.server.store.Jackson;

/** Reading JSON request bodies, with errors (400) that name the field and what was wrong with it. */
public final class JsonBody {
    private JsonBody() {
    }

    /** The request body as a JSON object, or 400 naming what is wrong with it. */
    public static ObjectNode object(Context ctx) {
        JsonNode node = parse(ctx.body());
        if (!(node instanceof ObjectNode o)) {
            throw ApiError.badRequest("request body must be a JSON object, got " + kind(node));
        }
        return o;
    }

    public static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            throw ApiError.badRequest("request body is empty; expected JSON");
        }
        try {
            return Jackson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("malformed JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        }
    }

    public static String text(JsonNode o, String field, boolean required) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiError.badRequest("missing field \"" + field + "\"");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.badRequest("field \"" + field + "\" must be a string, got " + kind(v));
        }
        return v.asText();
    }

    public static Long whole(JsonNode o, String field, boolean required) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiError.badRequest("missing field \"" + field + "\"");
            }
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiError.badRequest("field \"" + field + "\" must be a whole number, got " + v);
        }
        return v.asLong();
    }

    /** A finite number, or null when absent; NaN, the infinities and numbers beyond a double are refused. */
    public static Double number(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw ApiError.badRequest("field \"" + field + "\" must be a finite number, got " + v);
        }
        return v.asDouble();
    }

    public static Boolean bool(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw ApiError.badRequest("field \"" + field + "\" must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    public static String kind(JsonNode n) {
        if (n == null || n.isNull()) {
            return "null";
        }
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> n.getNodeType().toString().toLowerCase(Locale.ROOT);
        };
    }
}

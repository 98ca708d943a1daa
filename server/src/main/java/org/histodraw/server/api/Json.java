package org.histodraw.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import org.histodraw.server.auth.ApiError;

/** The one ObjectMapper, and reading request bodies with errors that name the field. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

    /** For reading one value after another from a stream (no check for what follows each value). */
    public static final ObjectMapper STREAMING = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {
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
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("malformed JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
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

    public static Double number(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw ApiError.badRequest("field \"" + field + "\" must be a number, got " + v);
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
            default -> n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}

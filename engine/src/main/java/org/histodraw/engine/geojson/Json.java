package org.histodraw.engine.geojson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader (RFC 8259) and tree writer; the engine has no dependencies, so it
 * carries its own.
 *
 * <p>{@link #parse} gives {@code Map<String, Object>} (keys in document order), {@code List<Object>},
 * {@code String}, {@code Double}, {@code Boolean} or {@code null}. It rejects what RFC 8259 rejects
 * (comments, trailing commas, single quotes, leading zeros, NaN, unescaped control characters),
 * plus duplicate keys in an object, numbers beyond the range of a double, and nesting deeper than
 * {@value #MAX_DEPTH}; errors are {@link JsonException}s with line and column.
 *
 * <p>{@link #write} streams a tree of those types (also {@code Integer}, {@code Long},
 * {@code Float}, {@code double[]}, {@code int[]} and any {@code Iterable}) compactly; see
 * {@link JsonWriter} for writing without building a tree.
 */
public final class Json {
    public static final int MAX_DEPTH = 512;

    private final String text;
    private int pos;
    private int depth;

    private Json(String text) {
        this.text = text;
    }

    public static Object parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("JSON text is null");
        }
        Json p = new Json(text);
        p.skipWhitespace();
        Object value = p.readValue();
        p.skipWhitespace();
        if (p.pos < text.length()) {
            throw p.error("unexpected " + p.describe(p.pos) + " after the end of the JSON value");
        }
        return value;
    }

    /** The value as compact JSON text. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /** Streams the value as compact JSON; I/O errors of the Appendable come out as UncheckedIOException. */
    public static void write(Object value, Appendable out) {
        JsonWriter w = new JsonWriter(out);
        w.value(value);
        w.requireComplete();
    }

    private Object readValue() {
        if (pos >= text.length()) {
            throw error("unexpected end of text, expected a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return readObject();
            case '[':
                return readArray();
            case '"':
                return readString();
            case 't':
                return readWord("true", Boolean.TRUE);
            case 'f':
                return readWord("false", Boolean.FALSE);
            case 'n':
                return readWord("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return readNumber();
                }
                throw error("unexpected " + describe(pos) + ", expected a value");
        }
    }

    private Map<String, Object> readObject() {
        enter();
        pos++; // {
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a key in double quotes but found " + describe(pos));
            }
            int keyStart = pos;
            String key = readString();
            if (map.containsKey(key)) {
                pos = keyStart;
                throw error("duplicate key \"" + key + "\"");
            }
            skipWhitespace();
            expect(':', "':' after key \"" + key + "\"");
            skipWhitespace();
            map.put(key, readValue());
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                depth--;
                return map;
            } else {
                throw error("expected ',' or '}' but found " + describe(pos));
            }
        }
    }

    private List<Object> readArray() {
        enter();
        pos++; // [
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(readValue());
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                depth--;
                return list;
            } else {
                throw error("expected ',' or ']' but found " + describe(pos));
            }
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    private String readString() {
        int start = ++pos; // after the opening quote
        StringBuilder sb = null;
        while (true) {
            if (pos >= text.length()) {
                pos = start - 1;
                throw error("string is not closed");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String s = sb == null ? text.substring(start, pos) : sb.append(text, start, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw error("control character " + describe(pos) + " must be escaped in a string");
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(text, start, pos);
                pos++;
                if (pos >= text.length()) {
                    throw error("string is not closed");
                }
                char e = text.charAt(pos);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 >= text.length()) {
                            throw error("incomplete \\u escape");
                        }
                        int code = 0;
                        for (int i = 1; i <= 4; i++) {
                            int digit = Character.digit(text.charAt(pos + i), 16);
                            if (digit < 0) {
                                pos += i;
                                throw error("\\u escape needs 4 hex digits, found " + describe(pos));
                            }
                            code = code * 16 + digit;
                        }
                        sb.append((char) code);
                        pos += 4;
                    }
                    default -> throw error("unknown escape \\" + e);
                }
                pos++;
                start = pos;
                continue;
            }
            pos++;
        }
    }

    private Double readNumber() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (Character.isDigit(peek())) {
                throw error("numbers must not have leading zeros");
            }
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                pos++;
            }
        } else {
            throw error("expected a digit but found " + describe(pos));
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw error("expected a digit after the decimal point but found " + describe(pos));
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("expected a digit in the exponent but found " + describe(pos));
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        double d = Double.parseDouble(text.substring(start, pos));
        if (Double.isInfinite(d)) {
            pos = start;
            throw error("number " + text.substring(start, Math.min(text.length(), start + 30)) + " is out of range");
        }
        return d;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object readWord(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected " + describe(pos) + ", expected a value");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c, String what) {
        if (peek() != c) {
            throw error("expected " + what + " but found " + describe(pos));
        }
        pos++;
    }

    /** The current character, or 0 at the end (0 is never valid there, so callers report it). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                return;
            }
        }
    }

    private String describe(int at) {
        if (at >= text.length()) {
            return "end of text";
        }
        char c = text.charAt(at);
        if (c < 0x20) {
            return "U+" + hex4(c);
        }
        return "'" + c + "'";
    }

    static String hex4(char c) {
        String h = Integer.toHexString(c).toUpperCase();
        return "0000".substring(h.length()) + h;
    }

    private JsonException error(String problem) {
        int line = 1;
        int column = 1;
        int end = Math.min(pos, text.length());
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                column = 1;
            } else if (c == '\r') {
                if (i + 1 < end && text.charAt(i + 1) == '\n') {
                    continue; // CRLF counts once, at the LF
                }
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new JsonException(problem, line, column);
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException("writing JSON failed: " + e.getMessage(), e);
    }
}

package org.histodraw.engine.geojson;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes compact JSON to an {@link Appendable} as it goes, so a FeatureCollection of a whole slide
 * never has to sit in memory. Calls must nest properly ({@code name} only inside objects, every
 * begin matched by an end); misuse fails at once with an IllegalStateException. I/O errors of the
 * Appendable come out as {@link java.io.UncheckedIOException}.
 *
 * <p>Numbers are written in their shortest form: integral values without a decimal point
 * ({@code 12}, not {@code 12.0}), others as {@link Double#toString} gives them (which is valid JSON,
 * e.g. {@code 0.5} or {@code 1.0E-5}). NaN and infinities are rejected. Strings escape quotes,
 * backslashes, control characters and U+2028/U+2029 (so the text is also safe inside JavaScript).
 */
public final class JsonWriter {
    private static final byte TOP = 0;
    private static final byte ARRAY = 1;
    private static final byte OBJECT = 2;

    private final Appendable out;
    private byte[] kind = new byte[16];
    private int[] count = new int[16];
    private boolean nameWritten;
    private int level;

    public JsonWriter(Appendable out) {
        this.out = out;
    }

    public JsonWriter beginObject() {
        beforeValue();
        push(OBJECT);
        return raw('{');
    }

    public JsonWriter endObject() {
        if (kind[level] != OBJECT || nameWritten) {
            throw new IllegalStateException(nameWritten ? "a name needs a value before '}'" : "no object to end");
        }
        level--;
        return raw('}');
    }

    public JsonWriter beginArray() {
        beforeValue();
        push(ARRAY);
        return raw('[');
    }

    public JsonWriter endArray() {
        if (kind[level] != ARRAY) {
            throw new IllegalStateException("no array to end");
        }
        level--;
        return raw(']');
    }

    public JsonWriter name(String name) {
        if (kind[level] != OBJECT || nameWritten) {
            throw new IllegalStateException("a name is only allowed inside an object, before its value: " + name);
        }
        if (count[level]++ > 0) {
            raw(',');
        }
        string(name);
        nameWritten = true;
        return raw(':');
    }

    public JsonWriter value(String s) {
        if (s == null) {
            return nullValue();
        }
        beforeValue();
        string(s);
        return this;
    }

    public JsonWriter value(double d) {
        beforeValue();
        return raw(number(d));
    }

    public JsonWriter value(long n) {
        beforeValue();
        return raw(Long.toString(n));
    }

    public JsonWriter value(boolean b) {
        beforeValue();
        return raw(b ? "true" : "false");
    }

    public JsonWriter nullValue() {
        beforeValue();
        return raw("null");
    }

    /**
     * Writes a tree: Map (String keys), Iterable, double[], int[], String, Number, Boolean or null.
     */
    public JsonWriter value(Object value) {
        if (value == null) {
            return nullValue();
        } else if (value instanceof String s) {
            return value(s);
        } else if (value instanceof Boolean b) {
            return value(b.booleanValue());
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return value(((Number) value).longValue());
        } else if (value instanceof Number n) {
            return value(n.doubleValue());
        } else if (value instanceof Map<?, ?> map) {
            beginObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
                }
                name(key);
                value(e.getValue());
            }
            return endObject();
        } else if (value instanceof Iterable<?> list) {
            beginArray();
            for (Object o : list) {
                value(o);
            }
            return endArray();
        } else if (value instanceof double[] a) {
            beginArray();
            for (double d : a) {
                value(d);
            }
            return endArray();
        } else if (value instanceof int[] a) {
            beginArray();
            for (int i : a) {
                value((long) i);
            }
            return endArray();
        }
        throw new IllegalArgumentException("cannot write a " + value.getClass().getSimpleName() + " as JSON");
    }

    /** Fails unless exactly one complete value has been written. */
    public void requireComplete() {
        if (level != 0 || count[0] != 1) {
            throw new IllegalStateException(level != 0 ? level + " unclosed arrays or objects" : "no value written");
        }
    }

    /** The shortest JSON text for a finite number. */
    public static String number(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no " + d);
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d); // -0.0 becomes 0 too
        }
        return Double.toString(d);
    }

    private void beforeValue() {
        if (kind[level] == OBJECT) {
            if (!nameWritten) {
                throw new IllegalStateException("a value inside an object needs a name first");
            }
            nameWritten = false;
        } else if (kind[level] == ARRAY) {
            if (count[level]++ > 0) {
                raw(',');
            }
        } else if (count[level]++ > 0) {
            throw new IllegalStateException("only one top-level value may be written");
        }
    }

    private void push(byte k) {
        if (++level == kind.length) {
            kind = Arrays.copyOf(kind, level * 2);
            count = Arrays.copyOf(count, level * 2);
        }
        kind[level] = k;
        count[level] = 0;
    }

    private void string(String s) {
        try {
            out.append('"');
            int start = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                String escape = null;
                if (c == '"') {
                    escape = "\\\"";
                } else if (c == '\\') {
                    escape = "\\\\";
                } else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                    escape = switch (c) {
                        case '\n' -> "\\n";
                        case '\r' -> "\\r";
                        case '\t' -> "\\t";
                        case '\b' -> "\\b";
                        case '\f' -> "\\f";
                        default -> "\\u" + Json.hex4(c).toLowerCase();
                    };
                }
                if (escape != null) {
                    out.append(s, start, i).append(escape);
                    start = i + 1;
                }
            }
            out.append(s, start, s.length()).append('"');
        } catch (IOException e) {
            throw Json.unchecked(e);
        }
    }

    private JsonWriter raw(char c) {
        try {
            out.append(c);
        } catch (IOException e) {
            throw Json.unchecked(e);
        }
        return this;
    }

    private JsonWriter raw(String s) {
        try {
            out.append(s);
        } catch (IOException e) {
            throw Json.unchecked(e);
        }
        return this;
    }
}

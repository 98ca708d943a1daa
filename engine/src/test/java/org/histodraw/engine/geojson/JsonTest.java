package org.histodraw.engine.geojson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() {
        Object v = Json.parse(" {\"a\": [1, -2.5, 3e2, true, false, null], \"b\": {\"c\": \"d\"}, \"e\": \"\"}\n");
        assertThat(v).isEqualTo(Map.of(
                "a", java.util.Arrays.asList(1.0, -2.5, 300.0, true, false, null),
                "b", Map.of("c", "d"),
                "e", ""));
    }

    @Test
    void keysKeepTheirOrder() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse("{\"z\":1,\"a\":2,\"m\":3}");
        assertThat(m.keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void decodesEscapes() {
        assertThat(Json.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\uD83D\\uDE00\""))
                .isEqualTo("q\" b\\ s/ \b\f\n\r\t é😀");
    }

    @Test
    void rejectsWhatTheRfcRejects() {
        String[] bad = {"", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "+1", "1e", "'x'", "tru", "nul",
            "[1 2]", "{\"a\" 1}", "{a:1}", "\"tab\there\"", "\"\\x\"", "\"\\u12G4\"", "NaN", "Infinity",
            "// c\n1", "1 2", "[", "\"open", "1e400"};
        for (String s : bad) {
            assertThatThrownBy(() -> Json.parse(s)).as(s).isInstanceOf(JsonException.class);
        }
    }

    @Test
    void errorsSayWhereWithLineAndColumn() {
        assertThatThrownBy(() -> Json.parse("{\n  \"a\": 1,\n  \"b\" 2\n}"))
                .isInstanceOf(JsonException.class)
                .hasMessage("JSON error at line 3, column 7: expected ':' after key \"b\" but found '2'")
                .satisfies(e -> {
                    assertThat(((JsonException) e).line()).isEqualTo(3);
                    assertThat(((JsonException) e).column()).isEqualTo(7);
                });
        assertThatThrownBy(() -> Json.parse("[1,\r\n 2,,3]")).hasMessageContaining("line 2, column 4");
    }

    @Test
    void duplicateKeysAreAnError() {
        assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("duplicate key \"a\"")
                .hasMessageContaining("column 8");
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> Json.parse(deep)).isInstanceOf(JsonException.class).hasMessageContaining("nesting");
        String fine = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertThat(Json.parse(fine)).isInstanceOf(List.class);
    }

    @Test
    void writesCompactlyWithShortNumbers() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("int", 12.0);
        m.put("neg", -3);
        m.put("half", 0.5);
        m.put("tiny", 1e-7);
        m.put("zero", -0.0);
        m.put("list", List.of(1, 2.25, "x"));
        m.put("coords", new double[] {1, 2.5});
        m.put("none", null);
        m.put("yes", true);
        assertThat(Json.write(m)).isEqualTo(
                "{\"int\":12,\"neg\":-3,\"half\":0.5,\"tiny\":1.0E-7,\"zero\":0,\"list\":[1,2.25,\"x\"],"
                        + "\"coords\":[1,2.5],\"none\":null,\"yes\":true}");
    }

    @Test
    void escapesWhatMustBeEscaped() {
        String s = "quote\" back\\ nl\n tab\t bell\u0007 line\u2028 é😀 /";
        String json = Json.write(s);
        assertThat(json).isEqualTo("\"quote\\\" back\\\\ nl\\n tab\\t bell\\u0007 line\\u2028 é😀 /\"");
        assertThat(Json.parse(json)).isEqualTo(s);
    }

    @Test
    void whatIsWrittenReadsBackTheSame() {
        Object tree = Json.parse("{\"type\":\"FeatureCollection\",\"features\":[{\"a\":[0.1,1e21,-7,1.5e-300]},"
                + "{\"b\":{\"c\":[[]],\"d\":\"\\u0000\"}}]}");
        assertThat(Json.parse(Json.write(tree))).isEqualTo(tree);
    }

    @Test
    void nonFiniteNumbersCannotBeWritten() {
        assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> Json.write(new Object())).hasMessageContaining("Object");
    }

    @Test
    void theStreamingWriterChecksNesting() {
        StringBuilder sb = new StringBuilder();
        JsonWriter w = new JsonWriter(sb);
        w.beginObject().name("a").beginArray().value(1).value("two").endArray().name("b").nullValue().endObject();
        w.requireComplete();
        assertThat(sb).hasToString("{\"a\":[1,\"two\"],\"b\":null}");
        assertThatThrownBy(() -> new JsonWriter(new StringBuilder()).beginArray().name("x"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter(new StringBuilder()).beginObject().value(1))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter(new StringBuilder()).beginObject().endArray())
                .isInstanceOf(IllegalStateException.class);
        JsonWriter open = new JsonWriter(new StringBuilder());
        open.beginArray();
        assertThatThrownBy(open::requireComplete).hasMessageContaining("unclosed");
    }

    @Test
    void ioErrorsOfTheTargetAreUnchecked() {
        Appendable broken = new Appendable() {
            public Appendable append(CharSequence csq) throws IOException {
                throw new IOException("disk full");
            }

            public Appendable append(CharSequence csq, int start, int end) throws IOException {
                throw new IOException("disk full");
            }

            public Appendable append(char c) throws IOException {
                throw new IOException("disk full");
            }
        };
        assertThatThrownBy(() -> Json.write(List.of(1), broken)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("disk full");
    }
}

package org.histodraw.server.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.json.JsonMapper.Builder;
import java.io.IOException;

/**
 * The server's one Jackson mapper: every JSON text the server reads or writes goes through it
 * (stored geometry and properties, API answers, websocket messages), so there is one set of rules.
 * NaN and the infinities are neither read (they are not JSON) nor written (a number that is not
 * finite fails the write instead of becoming a bare {@code NaN} that clients cannot parse).
 */
public final class Jackson {
    /** For whole documents: unknown fields ignored, anything after the value refused. */
    public static final ObjectMapper MAPPER = builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    /** For reading one value after another from a stream (no check for what follows each value). */
    public static final ObjectMapper STREAMING = builder().build();

    private Jackson() {
    }

    private static Builder builder() {
        JsonFactory factory = JsonFactory.builder().addDecorator((f, g) -> new FiniteNumbers(g)).build();
        return JsonMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);
    }

    /** Jackson would write NaN as a bare token or a string; neither is a number a client can use. */
    private static final class FiniteNumbers extends JsonGeneratorDelegate {
        FiniteNumbers(JsonGenerator g) {
            super(g, true);
        }

        @Override
        public void writeNumber(double v) throws IOException {
            if (!Double.isFinite(v)) {
                throw new JsonGenerationException("refusing to write the non-finite number " + v, this);
            }
            super.writeNumber(v);
        }

        @Override
        public void writeNumber(float v) throws IOException {
            if (!Float.isFinite(v)) {
                throw new JsonGenerationException("refusing to write the non-finite number " + v, this);
            }
            super.writeNumber(v);
        }
    }

    /** Compact JSON text of a value; a non-finite number fails with an IllegalStateException (our bug, not the client's). */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}

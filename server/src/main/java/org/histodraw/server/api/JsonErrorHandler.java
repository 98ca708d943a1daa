package org.histodraw.server.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.histodraw.server.store.Jackson;

/**
 * Errors Jetty raises itself, before any route sees the request (a malformed or ambiguous URI such
 * as {@code %00} or {@code ..;}, a bad header, a body too large), answered like every other error
 * of the API: {@code {"error": "..."}} as JSON, never Jetty's HTML page.
 */
public final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        byte[] body = json(code, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(json(status, reason));
    }

    private static byte[] json(int code, String message) {
        String reason = HttpStatus.getMessage(code);
        String text = message == null || message.isBlank() || message.equals(reason) ? reason
                : reason + ": " + message;
        return Jackson.write(Map.of("error", text)).getBytes(StandardCharsets.UTF_8);
    }
}

package org.histodraw.server.api;

import java.util.Map;

/** An HTTP error with a message that names the problem, sent as {@code {"error": message, ...details}}. */
public class ApiError extends RuntimeException {
    private final int status;
    private final transient Map<String, Object> details;

    public ApiError(int status, String message) {
        this(status, message, Map.of());
    }

    public ApiError(int status, String message, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.details = Map.copyOf(details);
    }

    public int status() {
        return status;
    }

    public Map<String, Object> details() {
        return details;
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, message);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }
}

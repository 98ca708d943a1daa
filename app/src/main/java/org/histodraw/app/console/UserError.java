package org.histodraw.app.console;

/**
 * A problem with the user's input that the message alone explains (a missing file, images of
 * different sizes...): printed as one line {@code histodraw: error: <message>}, exit code 1.
 */
public final class UserError extends RuntimeException {

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}

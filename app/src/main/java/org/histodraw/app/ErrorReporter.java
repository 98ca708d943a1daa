package org.histodraw.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CancellationException;
import org.histodraw.app.console.UserError;
import org.histodraw.slides.io.SlideException;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * The one place where errors meet the user: every failure becomes one line
 * {@code histodraw: error: <message>} on stderr, never a stack trace unless {@code --debug}.
 * Usage errors (bad or missing options, contradictions) exit with 2 and point to the command's help;
 * failures while working (files, data) exit with 1.
 */
final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler {
    static final int USAGE = 2;
    static final int FAILURE = 1;
    static final String PREFIX = "histodraw: error: ";

    private final PrintWriter err;
    private final boolean debug;

    ErrorReporter(PrintWriter err, boolean debug) {
        this.err = err;
        this.debug = debug;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        err.println(PREFIX + oneLine(ex.getMessage()) + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        trace(ex);
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        report(ex);
        return FAILURE;
    }

    void report(Throwable ex) {
        err.println(PREFIX + message(ex));
        trace(ex);
    }

    private void trace(Throwable ex) {
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
    }

    /** What the user reads: the message for expected failures, the exception's kind for bugs. */
    static String message(Throwable ex) {
        String m = ex.getMessage() == null ? "" : oneLine(ex.getMessage());
        if (ex instanceof NoSuchFileException) {
            return "no such file: " + m;
        }
        if (ex instanceof AccessDeniedException) {
            return "permission denied: " + m;
        }
        if (ex instanceof UncheckedIOException u && u.getCause() != null && m.isEmpty()) {
            return message(u.getCause());
        }
        if (ex instanceof CancellationException) {
            return "cancelled" + (m.isEmpty() ? "" : ": " + m);
        }
        boolean expected = ex instanceof UserError || ex instanceof SlideException || ex instanceof IllegalArgumentException
                || ex instanceof IOException || ex instanceof UncheckedIOException || ex instanceof UnsupportedOperationException;
        if (expected && !m.isEmpty()) {
            return m;
        }
        return "internal error: " + ex.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m)
                + " (run with --debug for the stack trace)";
    }

    static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}

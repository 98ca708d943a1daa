package org.histodraw.app;

import java.nio.file.Files;
import java.nio.file.Path;
import org.histodraw.app.console.UserError;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Option checks shared by the commands. What the command line alone shows to be wrong (a value out
 * of range, options that contradict each other) is a usage error, exit code 2; what the file system
 * says (a missing or unreadable file) is a {@link UserError}, exit code 1.
 */
final class Checks {
    private final CommandSpec spec;

    Checks(CommandSpec spec) {
        this.spec = spec;
    }

    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    boolean given(String option) {
        return spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    void range(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw usage(option + " must be " + min + ".." + max + ", not " + value);
        }
    }

    void atLeastZero(String option, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw usage(option + " must be a number >= 0, not " + value);
        }
    }

    /** The file exists, is a file and can be read. */
    static void readableFile(String option, Path file) {
        if (!Files.exists(file)) {
            throw new UserError(option + ": no such file: " + file);
        }
        if (Files.isDirectory(file)) {
            throw new UserError(option + ": a folder, not a file: " + file);
        }
        if (!Files.isReadable(file)) {
            throw new UserError(option + ": cannot read (permission denied): " + file);
        }
    }

    /** A file can be created or replaced there: its folder exists and it is not itself a folder. */
    static void writableFile(String option, Path file) {
        if (Files.isDirectory(file)) {
            throw new UserError(option + ": a folder, not a file: " + file);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UserError(option + ": no such folder: " + parent);
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new UserError(option + ": cannot write (permission denied): " + file);
        }
    }

    /** The folder exists or can be created: nothing but a folder is in the way. */
    static void usableFolder(String option, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError(option + ": a file is in the way of the folder: " + dir);
        }
        if (Files.isDirectory(dir) && !Files.isWritable(dir)) {
            throw new UserError(option + ": cannot write into (permission denied): " + dir);
        }
        // A folder still to be made: its nearest existing parent must take new folders, so that a
        // long training run does not end in "cannot write".
        Path parent = dir.toAbsolutePath().getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (!Files.exists(dir) && parent != null && (!Files.isDirectory(parent) || !Files.isWritable(parent))) {
            throw new UserError(option + ": cannot create the folder (" + parent + " is not writable): " + dir);
        }
    }

    static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}

package org.histodraw.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import org.histodraw.app.console.Terminal;

/**
 * What every {@code histodraw} command shares: the terminal it talks through, its picocli spec (for
 * usage errors that name the command) and the option checks. A command declares its options, turns
 * them into a request in one method (usage errors exit with 2, missing files with 1, see
 * {@link Checks}) and hands the request to whatever does the work.
 */
abstract class HistoDrawCommand implements Callable<Integer> {
    protected final Terminal terminal;

    @Spec
    CommandSpec spec;

    HistoDrawCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    /** The checks of this command's options. */
    Checks checks() {
        return new Checks(spec);
    }
}

package org.histodraw.app.bench;

import org.histodraw.app.Terminal;

/** Does the work of {@code histodraw bench}: times features, training and prediction. */
public class BenchRunner {

    public void run(BenchRequest request, Terminal terminal) {
        throw new UnsupportedOperationException("wired by the lead");
    }
}

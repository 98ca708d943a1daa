package org.histodraw.app.demo;

import org.histodraw.app.Terminal;

/** Does the work of {@code histodraw demo}: segments the shipped demo image with its shipped regions. */
public class DemoRunner {

    public void run(DemoRequest request, Terminal terminal) {
        throw new UnsupportedOperationException("wired by the lead");
    }
}

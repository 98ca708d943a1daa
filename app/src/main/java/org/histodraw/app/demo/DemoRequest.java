package org.histodraw.app.demo;

import java.nio.file.Path;

/**
 * A validated {@code histodraw demo} job.
 *
 * @param out     folder for the demo's results
 * @param threads worker threads
 */
public record DemoRequest(Path out, int threads) {
}

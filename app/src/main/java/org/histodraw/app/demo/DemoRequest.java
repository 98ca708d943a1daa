package org.histodraw.app.demo;

import java.nio.file.Path;

/**
 * A validated {@code histodraw demo} job.
 *
 * @param batch   true: segment the demo image once and write files (no server)
 * @param out     folder for the batch results
 * @param threads worker threads
 * @param data    the demo server's data folder (database, pyramids)
 * @param port    the demo server's port (0 picks a free one)
 */
public record DemoRequest(boolean batch, Path out, int threads, Path data, int port) {
}

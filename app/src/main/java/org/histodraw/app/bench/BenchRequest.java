package org.histodraw.app.bench;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A validated {@code histodraw bench} job.
 *
 * @param size    side in pixels of the synthetic test image
 * @param images  a folder of real images to time as well
 * @param threads worker threads
 */
public record BenchRequest(int size, Optional<Path> images, int threads) {
}

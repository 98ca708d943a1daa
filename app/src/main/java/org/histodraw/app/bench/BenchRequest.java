package org.histodraw.app.bench;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A validated {@code histodraw bench} job.
 *
 * @param size        side in pixels of the square test slide
 * @param images      a folder of NN.png + NN_scribbles.png to build the mosaic from (else found or the demo image)
 * @param threads     worker threads
 * @param writeInputs where to write the mosaic and its labels as PNG for the reference stack
 * @param features    feature settings text, empty for the engine's default
 * @param trees       trees in the forest
 * @param depth       maximum tree depth
 * @param warmUp      run the job once on a small corner first, so the timings show the JIT-compiled steady state
 */
public record BenchRequest(int size, Optional<Path> images, int threads, Optional<Path> writeInputs,
                           Optional<String> features, int trees, int depth, boolean warmUp) {
}
